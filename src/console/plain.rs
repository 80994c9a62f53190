//! The line-based console (`--plain`, and whenever stdin is not a terminal): reads
//! commands, prints what happened. For scripts, screen readers and tests.

use super::command::Command;
use super::exercise_files::write_exercise;
use super::journal::Journal;
use super::session::Session;
use std::io::{BufRead, Write};
use std::path::Path;

/// How a console session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `end`: reports written.
    Ended,
    /// `quit`, or the input ran out: the session is saved, resumable.
    Left,
}

/// Where commands come from: a script stops at its first bad line (it is meant
/// to be exact); typed input reports the problem and goes on.
pub struct Source<'a> {
    pub name: String,
    pub strict: bool,
    pub echo: bool,
    pub prompt: bool,
    pub lines: Box<dyn BufRead + 'a>,
}

/// Runs commands from `source` until `end`, `quit` or the end of input.
pub fn run_plain(
    session: &mut Session,
    journal: &mut Journal,
    dir: &Path,
    source: Source<'_>,
    out: &mut dyn Write,
) -> Result<Ending, String> {
    let Source { name, strict, echo, prompt, lines } = source;
    let mut number = 0;
    let mut lines = lines.lines();
    loop {
        if prompt {
            let _ = write!(out, "> ");
            let _ = out.flush();
        }
        let Some(line) = lines.next() else { return Ok(Ending::Left) };
        let line = line.map_err(|e| format!("cannot read {name}: {e}"))?;
        number += 1;
        let Some(parsed) = Command::parse(&line) else { continue };
        if echo {
            let _ = writeln!(out, "> {}", line.trim());
        }
        let outcome = parsed.and_then(|command| match command {
            Command::Quit => Ok(Some(Ending::Left)),
            Command::End => {
                journal.append(&Command::End)?;
                for l in write_exercise(dir, session)? {
                    let _ = writeln!(out, "{l}");
                }
                Ok(Some(Ending::Ended))
            }
            command => {
                let said = session.execute(&command)?;
                if command.changes_the_exercise() {
                    journal.append(&command)?;
                }
                for l in said {
                    let _ = writeln!(out, "{l}");
                }
                Ok(None)
            }
        });
        match outcome {
            Ok(Some(ending)) => return Ok(ending),
            Ok(None) => {}
            Err(e) if strict => return Err(format!("{name}:{number}: {e}")),
            Err(e) => {
                let _ = writeln!(out, "error: {e}");
            }
        }
    }
}
