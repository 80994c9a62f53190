//! `runs.csv`: one row per replication and variant, every score a column. Read
//! back, a row at a time, for `--resume`, `ttx merge` and the summary; a row cut
//! short by a kill is ignored.

use std::borrow::Cow;
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
    let mut line = String::with_capacity(32 + variant.len() + 12 * row.len());
    let _ = write!(line, "{replication},\"{}\",{seed}", variant.replace('"', "\"\""));
    let mut integer = itoa::Buffer::new();
    for v in row {
        line.push(',');
        match v {
            // Counts are most of a row: whole numbers print as `{}` prints them
            // ("3", never "3.0"), without the float formatter (a fifth of the
            // batch's serial tail). -0 keeps its sign through the formatter.
            Some(x) if x.fract() == 0.0 && x.abs() < 1e15 && !(*x == 0.0 && x.is_sign_negative()) => {
                line.push_str(integer.format(*x as i64));
            }
            Some(x) if x.is_finite() => {
                let _ = write!(line, "{x}");
            }
            _ => {}
        }
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

/// The fields of one CSV line, quotes undone (a quoted field may hold commas and
/// doubled quotes), or `None` for a malformed one. Building a csv reader per row
/// cost more than all the rest of reading a runs.csv; after that, a `String` per
/// field pushed a char at a time was most of the batch's serial tail (66,000
/// instructions a row of 55 fields). Fields are borrowed from the line, copied
/// only to undo a doubled quote.
fn split_line(line: &str) -> Option<Vec<Cow<'_, str>>> {
    let mut fields = Vec::with_capacity(64);
    let mut rest = line;
    loop {
        if let Some(quoted) = rest.strip_prefix('"') {
            // Up to the closing quote: one not followed by another.
            let (mut field, mut tail, mut first) = (Cow::Borrowed(""), quoted, true);
            loop {
                let at = tail.find('"')?;
                if first {
                    field = Cow::Borrowed(&tail[..at]);
                    first = false;
                } else {
                    field.to_mut().push_str(&tail[..at]);
                }
                tail = &tail[at + 1..];
                match tail.strip_prefix('"') {
                    Some(after) => {
                        field.to_mut().push('"');
                        tail = after;
                    }
                    None => break,
                }
            }
            fields.push(field);
            match tail.strip_prefix(',') {
                Some(next) => rest = next,
                None if tail.is_empty() => return Some(fields),
                None => return None,
            }
            continue;
        }
        match rest.find([',', '"']) {
            Some(at) if rest.as_bytes()[at] == b'"' => return None,
            Some(at) => {
                fields.push(Cow::Borrowed(&rest[..at]));
                rest = &rest[at + 1..];
            }
            None => {
                fields.push(Cow::Borrowed(rest));
                return Some(fields);
            }
        }
    }
}

fn parse_row(line: &str, columns: usize) -> Option<RunRow> {
    if !line.ends_with('\n') {
        return None;
    }
    let fields = split_line(line.trim_end_matches(['\n', '\r']))?;
    if fields.len() != 3 + columns {
        return None;
    }
    let values: Result<Vec<Option<f64>>, _> =
        fields[3..].iter().map(|c| if c.is_empty() { Ok(None) } else { c.parse().map(Some) }).collect();
    Some(RunRow {
        replication: fields[0].parse().ok()?,
        variant: fields[1].clone().into_owned(),
        seed: fields[2].parse().ok()?,
        values: values.ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row ttx writes splits as the csv crate splits it.
    #[test]
    fn rows_split_as_the_csv_crate_reads_them() {
        let variants = ["baseline", "analysts=4", "a, b", "say \"hi\"", "", "BusinessHours(from: \"08:00\")"];
        for (k, variant) in variants.iter().enumerate() {
            let line = write_run_row(k as u64, variant, 7 + k as u64, &[Some(0.25), None, Some(-3.0), Some(f64::NAN)]);
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
            let expected: Vec<String> = reader.records().next().unwrap().unwrap().iter().map(String::from).collect();
            let split: Option<Vec<String>> =
                split_line(line.trim_end()).map(|f| f.into_iter().map(String::from).collect());
            assert_eq!(split, Some(expected), "{line}");
            let row = parse_row(&line, 4).unwrap();
            assert_eq!((row.replication, row.variant.as_str(), row.seed), (k as u64, *variant, 7 + k as u64));
            assert_eq!(row.values, vec![Some(0.25), None, Some(-3.0), None]);
        }
        for line in ["1,,2,", "\"\"\"x\"\"\",y", "\"a\"\"b\"\"c\",", "", "\"\",\"\""] {
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
            let expected: Vec<String> =
                reader.records().next().map_or(vec![String::new()], |r| r.unwrap().iter().map(String::from).collect());
            let split: Option<Vec<String>> = split_line(line).map(|f| f.into_iter().map(String::from).collect());
            assert_eq!(split, Some(expected), "{line}");
        }
        assert_eq!(split_line("1,\"unclosed,2"), None);
        let values = [0.0, -0.0, 3.0, -7.0, 1e14, 999_999_999_999_999.0, 1e15, 1e16, 0.5, -2.5e-7, 1e300];
        let line = write_run_row(0, "v", 1, &values.map(Some));
        let expected: Vec<String> = values.iter().map(|v| format!("{v}")).collect();
        assert_eq!(
            line,
            format!("0,\"v\",1,{}\n", expected.join(",")),
            "whole numbers print as the formatter prints them"
        );
        assert_eq!(split_line("1,a\"b,2"), None, "a quote inside an unquoted field");
        assert_eq!(split_line("\"a\"b,2"), None, "text after a closing quote");
        assert_eq!(parse_row("1,\"a\",2,0.5", 1), None, "a torn row (no newline) is not read");
    }
}
