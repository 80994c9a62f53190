//! The line-based console (`--plain`, and whenever stdin is not a terminal): reads
//! commands, prints what happened. For scripts, screen readers and tests.

use super::command::Command;
use super::exercise_files::write_exercise;
use super::journal::{Journal, perform};
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

/// The longest command line read, so that input without newlines cannot fill
/// memory.
const MAX_LINE: usize = 64 * 1024;

/// Why the line console stopped short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlainError {
    /// What was given is wrong (a script's bad line, input that is not UTF-8
    /// text): the user's to fix.
    Input(String),
    /// Reading or saving failed.
    Io(String),
}

/// Runs commands from `source` until `end`, `quit` or the end of input.
pub fn run_plain(
    session: &mut Session,
    journal: &mut Journal,
    dir: &Path,
    source: Source<'_>,
    out: &mut dyn Write,
) -> Result<Ending, PlainError> {
    let Source { name, strict, echo, prompt, mut lines } = source;
    let mut number = 0;
    let mut bytes = Vec::new();
    loop {
        if prompt {
            let _ = write!(out, "> ");
            let _ = out.flush();
        }
        bytes.clear();
        match std::io::Read::take(&mut lines, MAX_LINE as u64 + 1).read_until(b'\n', &mut bytes) {
            Ok(0) => return Ok(Ending::Left),
            Ok(_) => {}
            Err(e) => return Err(PlainError::Io(format!("cannot read {name}: {e}"))),
        }
        number += 1;
        if bytes.len() > MAX_LINE {
            return Err(PlainError::Input(format!(
                "{name}:{number}: the line is longer than {} KiB; a command is one short line",
                MAX_LINE / 1024
            )));
        }
        let Ok(line) = std::str::from_utf8(&bytes) else {
            return Err(PlainError::Input(format!(
                "{name}:{number}: the line is not UTF-8 text; commands are text, e.g. `next` or `note ...`"
            )));
        };
        // A script saved with a byte-order mark starts with it: not a command.
        let line = if number == 1 { line.strip_prefix('\u{feff}').unwrap_or(line) } else { line };
        // The option numbers the board prints: `2`, or `choose 2 because ...`.
        let line = numbered_choice(session, line).unwrap_or_else(|| line.to_string());
        let Some(parsed) = Command::parse(&line) else { continue };
        if echo {
            let _ = writeln!(out, "> {}", line.trim());
        }
        let outcome = parsed.and_then(|command| match command {
            Command::Quit => Ok(Some(Ending::Left)),
            Command::End => {
                journal.append(&Command::End).map_err(|e| e.to_string())?;
                for l in write_exercise(dir, session)? {
                    let _ = writeln!(out, "{l}");
                }
                Ok(Some(Ending::Ended))
            }
            command => {
                let said = perform(session, journal, &command)?;
                for l in said {
                    let _ = writeln!(out, "{l}");
                }
                Ok(None)
            }
        });
        match outcome {
            Ok(Some(ending)) => return Ok(ending),
            Ok(None) => {}
            Err(e) if strict => return Err(PlainError::Input(format!("{name}:{number}: {e}"))),
            Err(e) => {
                let _ = writeln!(out, "error: {e}");
            }
        }
    }
}

/// `2` or `choose 2 WHY` while a decision waits: the line with option 2's id.
fn numbered_choice(session: &Session, line: &str) -> Option<String> {
    let line = line.trim();
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let (number, rationale) = match word {
        "choose" | "c" => rest.trim().split_once(char::is_whitespace).unwrap_or((rest.trim(), "")),
        _ => (word, rest),
    };
    let n: usize = number.parse().ok()?;
    let option = session.option_numbered(n)?;
    Some(format!("choose {option} {}", rationale.trim()))
}
