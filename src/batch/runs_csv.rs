//! `runs.csv`: one row per replication and variant, every score a column. Read
//! back for `--resume` and `ttx merge`; a row cut short by a kill is ignored.

use super::score_row::SCORE_COLUMNS;
use std::fmt::Write as _;
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

/// The complete rows of a runs.csv, each with the byte offset where it ends (a torn
/// last line after them is to be cut off before appending).
pub fn read_runs(path: &Path) -> Result<Vec<(RunRow, u64)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut lines = text.split_inclusive('\n');
    let header = lines.next().unwrap_or_default();
    if header.trim_end() != runs_header() {
        return Err(format!("{} is not a runs.csv of this ttx: its header differs", path.display()));
    }
    let mut length = header.len() as u64;
    let mut rows = Vec::new();
    for line in lines {
        if !line.ends_with('\n') {
            break;
        }
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
        let Some(Ok(record)) = reader.records().next() else { break };
        if record.len() != 3 + SCORE_COLUMNS.len() {
            break;
        }
        let (Ok(replication), Ok(seed)) = (record[0].parse(), record[2].parse()) else { break };
        let values: Result<Vec<Option<f64>>, _> =
            record.iter().skip(3).map(|c| if c.is_empty() { Ok(None) } else { c.parse().map(Some) }).collect();
        let Ok(values) = values else { break };
        length += line.len() as u64;
        rows.push((RunRow { replication, variant: record[1].to_string(), seed, values }, length));
    }
    Ok(rows)
}
