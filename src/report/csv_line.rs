//! CSV rows written straight into a reused buffer, for the two files that grow
//! with the run (events.csv, incidents.csv): a million-incident run writes about
//! ten million rows, and building a `String` per field was a quarter of its time.
//! The rows are the csv crate's, byte for byte (a test compares them): a field is
//! quoted only when it holds a comma, a quote or a line break, with a quote
//! inside doubled.

/// Rows being written; [`CsvRows::take`] hands over what is complete.
#[derive(Debug, Default)]
pub struct CsvRows {
    text: String,
    /// Fields in the row being written, and where it starts in `text`.
    fields: usize,
    row_start: usize,
}

impl CsvRows {
    /// Appends `field`, quoted if it must be.
    pub fn field(&mut self, field: &str) {
        self.field_with(|text| text.push_str(field));
    }

    /// Appends the field `write` writes (a field of several parts, without a
    /// `String` of its own), quoted if it must be.
    pub fn field_with(&mut self, write: impl FnOnce(&mut String)) {
        if self.fields > 0 {
            self.text.push(',');
        }
        self.fields += 1;
        let start = self.text.len();
        write(&mut self.text);
        // A fold rather than `any`: without the early exit it is vectorised,
        // and nearly every field needs the whole scan anyway.
        let quote =
            self.text.as_bytes()[start..].iter().fold(false, |q, b| q | matches!(b, b',' | b'"' | b'\n' | b'\r'));
        if quote {
            let raw = self.text.split_off(start);
            self.text.push('"');
            for c in raw.chars() {
                if c == '"' {
                    self.text.push('"');
                }
                self.text.push(c);
            }
            self.text.push('"');
        }
    }

    /// Appends a number field (never quoted, so not scanned).
    pub fn number(&mut self, value: u64) {
        self.plain(itoa::Buffer::new().format(value));
    }

    /// Appends a field the caller knows needs no quoting (a number, a fixed
    /// name): the scan is skipped.
    pub fn plain(&mut self, field: &str) {
        debug_assert!(!field.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')), "{field:?} needs quoting");
        if self.fields > 0 {
            self.text.push(',');
        }
        self.fields += 1;
        self.text.push_str(field);
    }

    /// Ends the row. A row of one empty field is written `""`, as the csv crate
    /// does, so that it is not read back as a blank line.
    pub fn end(&mut self) {
        if self.fields == 1 && self.text.len() == self.row_start {
            self.text.push_str("\"\"");
        }
        self.text.push('\n');
        self.fields = 0;
        self.row_start = self.text.len();
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Forgets what was written (the buffer is kept for the next rows).
    pub fn clear(&mut self) {
        self.text.clear();
        self.fields = 0;
        self.row_start = 0;
    }

    /// The text written so far, leaving the buffer empty.
    pub fn take(&mut self) -> String {
        self.fields = 0;
        self.row_start = 0;
        std::mem::take(&mut self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever the fields hold, the rows are those the csv crate writes.
    #[test]
    fn rows_match_the_csv_crate() {
        let rows: [&[&str]; 7] = [
            &["1", "incident:3 csirt:a", "sop=x step=triage"],
            &["", "", "x"],
            &["a,b", "say \"hi\"", "two\nlines", "cr\rhere"],
            &["ünïcødé", "\"", ","],
            &["x", "", ""],
            &["only"],
            &[""],
        ];
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        let mut rows_out = CsvRows::default();
        for row in rows {
            w.write_record(row).unwrap();
            row.iter().for_each(|f| rows_out.field(f));
            rows_out.end();
        }
        let expected = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(rows_out.take(), expected);
        let mut parts = CsvRows::default();
        parts.field_with(|t| t.push_str("a,"));
        parts.field_with(|t| t.push('b'));
        parts.plain("c");
        parts.end();
        assert_eq!(parts.take(), "\"a,\",b,c\n");
        let mut numbers = CsvRows::default();
        numbers.number(18_446_744_073_709_551_615);
        numbers.number(0);
        numbers.end();
        assert_eq!(numbers.take(), "18446744073709551615,0\n");
    }
}
