//! Problems found in a scenario, each tied to where the user can fix it.

use std::fmt;

/// Where a problem is: a position in the file, an override on the command line, or
/// the file as a whole (it cannot be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Position {
        file: String,
        line: usize,
        column: usize,
        /// The offending line of the file, for the caret display.
        source_line: String,
    },
    Override {
        /// How the override is named: `--set KEY=VALUE`, `--vary KEY=VALUE`, ...
        assignment: String,
    },
    File {
        file: String,
    },
}

/// One problem with a scenario, as the user will read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub origin: Origin,
    pub message: String,
}

impl Diagnostic {
    /// The first line of the rendering: `file:line:column: message`. Tests and
    /// tools match on it.
    pub fn headline(&self) -> String {
        match &self.origin {
            Origin::Position { file, line, column, .. } => format!("{file}:{line}:{column}: {}", self.message),
            Origin::Override { assignment } => format!("{assignment}: {}", self.message),
            Origin::File { file } => format!("{file}: {}", self.message),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// The headline, then the source line with a caret under the column, as
    /// compilers show it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.headline())?;
        if let Origin::Position { line, column, source_line, .. } = &self.origin {
            let gutter = " ".repeat(line.to_string().len());
            let pad: String = source_line
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n{gutter} |\n{line} | {source_line}\n{gutter} | {pad}^")?;
        }
        Ok(())
    }
}

/// Every problem found in one scenario: validation reports them all at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        let count = self.0.len();
        write!(f, "{count} problem{} found", if count == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// The closest candidate within a small edit distance, for "did you mean" hints.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(closest("fj-cret", ["fj-cert", "ws-cert"]), Some("fj-cert"));
        assert_eq!(closest("banking", ["fj-cert", "ws-cert"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn renders_a_caret_under_the_column() {
        let d = Diagnostic {
            origin: Origin::Position { file: "a.ron".into(), line: 12, column: 5, source_line: "    x: 1,".into() },
            message: "bad".into(),
        };
        assert_eq!(d.to_string(), "error: a.ron:12:5: bad\n   |\n12 |     x: 1,\n   |     ^");
    }
}
