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
    /// compilers show it. A long line (a generated file, a minified one) is cut to
    /// a window around the column, marked with `…`, so one error never prints
    /// megabytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f, "error")
    }
}

impl Diagnostic {
    /// As a warning: the same display, headed `warning:`.
    pub fn as_warning(&self) -> impl fmt::Display + '_ {
        struct Warning<'a>(&'a Diagnostic);
        impl fmt::Display for Warning<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.render(f, "warning")
            }
        }
        Warning(self)
    }

    fn render(&self, f: &mut fmt::Formatter<'_>, label: &str) -> fmt::Result {
        write!(f, "{label}: {}", self.headline())?;
        if let Origin::Position { line, column, source_line, .. } = &self.origin {
            let gutter = " ".repeat(line.to_string().len());
            let (shown, caret) = source_window(source_line, column.saturating_sub(1));
            let pad: String = shown.chars().take(caret).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            write!(f, "\n{gutter} |\n{line} | {shown}\n{gutter} | {pad}^")?;
        }
        Ok(())
    }
}

/// How many characters of a source line are shown at most.
const SOURCE_WINDOW: usize = 100;

/// The part of `line` to show and the caret's character index in it.
fn source_window(line: &str, caret: usize) -> (String, usize) {
    let count = line.chars().count();
    if count <= SOURCE_WINDOW {
        return (line.to_string(), caret);
    }
    let start = caret.saturating_sub(SOURCE_WINDOW / 2).min(count - SOURCE_WINDOW);
    let end = start + SOURCE_WINDOW;
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(line.chars().skip(start).take(SOURCE_WINDOW));
    if end < count {
        shown.push('…');
    }
    (shown, caret - start + usize::from(start > 0))
}

/// Every problem found in one scenario: validation reports them all at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

/// The most problems shown in full; the count covers them all. A generated file
/// with thousands of the same mistake is fixed from the first few.
const SHOWN_PROBLEMS: usize = 100;

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in self.0.iter().take(SHOWN_PROBLEMS) {
            writeln!(f, "{diagnostic}")?;
        }
        if self.0.len() > SHOWN_PROBLEMS {
            writeln!(f, "... and {} more not shown", self.0.len() - SHOWN_PROBLEMS)?;
        }
        let count = self.0.len();
        write!(f, "{count} problem{} found", if count == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// The closest candidate within a small edit distance, for "did you mean" hints.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_len = wanted.chars().count();
    let limit = (wanted_len / 3).max(1);
    candidates
        .into_iter()
        // Lengths further apart than the limit cannot be within it: skipping them
        // keeps a megabyte-long unknown name from costing an edit distance each.
        .filter(|c| c.chars().count().abs_diff(wanted_len) <= limit)
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

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_column() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let d = Diagnostic {
            origin: Origin::Position { file: "a.ron".into(), line: 1, column: 5001, source_line: line },
            message: "bad".into(),
        };
        let shown = format!("…{}X{}…", "a".repeat(50), "b".repeat(49));
        let caret = format!("{}^", " ".repeat(51));
        assert_eq!(d.to_string(), format!("error: a.ron:1:5001: bad\n  |\n1 | {shown}\n  | {caret}"));
    }
}
