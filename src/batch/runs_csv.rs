//! `runs.csv`: one row per replication and variant, every score a column. Read
//! back, a row at a time, for `--resume`, `ttx merge` and the summary; a row cut
//! short by a kill is ignored.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// The header line for a scenario's score columns ([`super::score_columns`]).
pub fn runs_header(columns: &[String]) -> String {
    let mut h = "replication,variant,seed".to_string();
    for c in columns {
        let _ = write!(h, ",{c}");
    }
    h
}

/// One line, newline included. Floats print in their shortest round-trip form, so
/// a row read back and written again is the same bytes.
pub fn write_run_row(replication: u64, variant: &str, seed: u64, row: &[Option<f64>]) -> String {
    let mut line = format!("{replication},\"{}\",{seed}", variant.replace('"', "\"\""));
    for v in row {
        let _ = match v {
            Some(x) if x.is_finite() => write!(line, ",{x}"),
            _ => write!(line, ","),
        };
    }
    line.push('\n');
    line
}

#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    pub replication: u64,
    pub variant: String,
    pub seed: u64,
    pub values: Vec<Option<f64>>,
}

/// Why a runs.csv cannot be read as the batch's.
#[derive(Debug, thiserror::Error)]
pub enum RunsCsvError {
    #[error("cannot read {}: {source}", path.display())]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{} is not a runs.csv of ttx: its header does not start with replication,variant,seed", path.display())]
    NotRunsCsv { path: PathBuf },
    #[error("{} holds other score columns than this scenario gives (another scenario, or another ttx): {difference}", path.display())]
    OtherColumns { path: PathBuf, difference: String },
}

/// Reads the complete rows of a runs.csv one at a time, in constant memory, each
/// with the byte offset where it ends. It stops at the first row that is torn or
/// malformed (a kill mid-write): the caller cuts the file there before appending.
pub struct RunsReader {
    reader: BufReader<File>,
    line: String,
    length: u64,
    columns: Vec<String>,
}

impl RunsReader {
    /// Opens a runs.csv and reads its score columns from the header.
    pub fn open(path: &Path) -> Result<Self, RunsCsvError> {
        let unreadable = |source| RunsCsvError::Unreadable { path: path.to_path_buf(), source };
        let file = File::open(path).map_err(unreadable)?;
        let mut reader = BufReader::new(file);
        let mut header = String::new();
        reader.read_line(&mut header).map_err(unreadable)?;
        let Some(rest) = header.trim_end().strip_prefix("replication,variant,seed") else {
            return Err(RunsCsvError::NotRunsCsv { path: path.to_path_buf() });
        };
        let columns = rest.split(',').skip(1).map(String::from).collect();
        Ok(Self { reader, length: header.len() as u64, line: String::new(), columns })
    }

    /// Opens a runs.csv and checks that it holds exactly these score columns.
    pub fn open_expecting(path: &Path, columns: &[String]) -> Result<Self, RunsCsvError> {
        let reader = Self::open(path)?;
        if reader.columns != columns {
            let difference = first_difference(&reader.columns, columns);
            return Err(RunsCsvError::OtherColumns { path: path.to_path_buf(), difference });
        }
        Ok(reader)
    }

    /// The score columns, in order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Bytes up to the end of the last complete row read so far.
    pub fn complete_length(&self) -> u64 {
        self.length
    }
}

impl Iterator for RunsReader {
    type Item = RunRow;

    fn next(&mut self) -> Option<RunRow> {
        self.line.clear();
        self.reader.read_line(&mut self.line).ok()?;
        let row = parse_row(&self.line, self.columns.len())?;
        self.length += self.line.len() as u64;
        Some(row)
    }
}

/// Words for where two column lists part.
pub fn first_difference(found: &[String], expected: &[String]) -> String {
    match found.iter().zip(expected).position(|(a, b)| a != b) {
        Some(k) => format!("column {} is \"{}\" where \"{}\" was expected", k + 4, found[k], expected[k]),
        None => format!("{} score columns where {} were expected", found.len(), expected.len()),
    }
}

fn parse_row(line: &str, columns: usize) -> Option<RunRow> {
    if !line.ends_with('\n') {
        return None;
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
    let record = reader.records().next()?.ok()?;
    if record.len() != 3 + columns {
        return None;
    }
    let values: Result<Vec<Option<f64>>, _> =
        record.iter().skip(3).map(|c| if c.is_empty() { Ok(None) } else { c.parse().map(Some) }).collect();
    Some(RunRow {
        replication: record[0].parse().ok()?,
        variant: record[1].to_string(),
        seed: record[2].parse().ok()?,
        values: values.ok()?,
    })
}
