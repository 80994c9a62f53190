//! `runs.csv`: one row per replication and variant, every score a column. Read
//! back, a row at a time, for `--resume`, `ttx merge` and the summary; a row cut
//! short by a kill is ignored.

use super::score_row::SCORE_COLUMNS;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

pub fn runs_header() -> String {
    let mut h = "replication,variant,seed".to_string();
    for c in SCORE_COLUMNS {
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

/// Reads the complete rows of a runs.csv one at a time, in constant memory, each
/// with the byte offset where it ends. It stops at the first row that is torn or
/// malformed (a kill mid-write): the caller cuts the file there before appending.
pub struct RunsReader {
    reader: BufReader<File>,
    line: String,
    length: u64,
}

impl RunsReader {
    /// Opens a runs.csv and checks its header.
    pub fn open(path: &Path) -> Result<Self, String> {
        let file = File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut reader = BufReader::new(file);
        let mut header = String::new();
        reader.read_line(&mut header).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if header.trim_end() != runs_header() {
            return Err(format!("{} is not a runs.csv of this ttx: its header differs", path.display()));
        }
        Ok(Self { reader, length: header.len() as u64, line: String::new() })
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
        let row = parse_row(&self.line)?;
        self.length += self.line.len() as u64;
        Some(row)
    }
}

fn parse_row(line: &str) -> Option<RunRow> {
    if !line.ends_with('\n') {
        return None;
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
    let record = reader.records().next()?.ok()?;
    if record.len() != 3 + SCORE_COLUMNS.len() {
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
