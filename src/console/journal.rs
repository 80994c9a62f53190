//! The session directory, saved as the exercise goes: `session.json` (scenario,
//! seed), `scenario.ron` (a copy of the scenario played, so the session resumes
//! from any directory and whatever happens to the original) and `journal.txt`,
//! one command per line. A command is written and flushed to disk *before* it is
//! carried out; one that cannot be saved is refused, so a crash, a full disk or a
//! closed laptop loses nothing that was acknowledged. The journal is a script:
//! `ttx play FILE --script DIR/journal.txt` replays the session exactly.
//!
//! One console at a time: a session in play holds `DIR/.lock` (its process id);
//! a second console is refused while that process lives.

use super::command::Command;
use crate::engine::stream_id;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "session.json";
pub const JOURNAL: &str = "journal.txt";
pub const SCENARIO_COPY: &str = "scenario.ron";
const LOCK: &str = ".lock";

/// What a session was started with, to resume it with the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionManifest {
    /// The scenario file, as an absolute path (older sessions: as typed). The
    /// copy in the session directory is what a resume loads.
    pub scenario: String,
    /// FNV-1a of the scenario's text: a changed file cannot resume the session.
    pub scenario_fingerprint: String,
    /// `--set` overrides, applied again on resume.
    pub overrides: Vec<String>,
    pub seed: u64,
    pub max_events: u64,
}

impl SessionManifest {
    pub fn fingerprint(text: &str) -> String {
        format!("{:016x}", stream_id(text))
    }
}

/// Why a session directory or its journal could not be created, read or written.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// `action` is the verb of the message: "cannot write DIR/journal.txt: ...".
    #[error("cannot {action} {}: {source}", path.display())]
    Io { action: &'static str, path: PathBuf, source: io::Error },
    #[error("the session in {} is open in another console (process {pid}); close that one first, or continue there", dir.display())]
    Locked { dir: PathBuf, pid: u32 },
    #[error("cannot lock the session {}: {} keeps reappearing", dir.display(), lock.display())]
    LockReappears { dir: PathBuf, lock: PathBuf },
    #[error("{} holds a session already: continue it with `ttx play --resume {}`, or choose another --out", dir.display(), dir.display())]
    SessionExists { dir: PathBuf },
    #[error("{} already exists: ttx does not overwrite earlier results; choose another --out", dir.display())]
    DirectoryExists { dir: PathBuf },
    #[error("{} is not a ttx play session (cannot read {}: {source})", dir.display(), manifest.display())]
    NotASession { dir: PathBuf, manifest: PathBuf, source: io::Error },
    #[error("{} is not a ttx play session manifest: {source}", path.display())]
    BadManifest { path: PathBuf, source: serde_json::Error },
    #[error("{}:{line}: the journal line is not UTF-8 text", path.display())]
    NotText { path: PathBuf, line: usize },
    /// Nothing of the command stays in the journal: it must be refused.
    #[error("cannot save to {}: {source}; the command was not carried out", path.display())]
    NotSaved { path: PathBuf, source: io::Error },
}

impl JournalError {
    fn io(action: &'static str, path: &Path, source: io::Error) -> Self {
        Self::Io { action, path: path.to_path_buf(), source }
    }
}

/// The open journal of a session in play, and its lock.
pub struct Journal {
    file: File,
    path: PathBuf,
    /// Bytes of whole, acknowledged lines: where a refused command is cut back to.
    len: u64,
    _lock: SessionLock,
}

/// `DIR/.lock` while a console has the session open; removed when it closes.
struct SessionLock {
    path: PathBuf,
}

impl SessionLock {
    fn acquire(dir: &Path) -> Result<Self, JournalError> {
        let path = dir.join(LOCK);
        let me = std::process::id();
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    f.write_all(format!("{me}\n").as_bytes())
                        .and_then(|_| f.sync_all())
                        .map_err(|source| JournalError::io("write", &path, source))?;
                    return Ok(Self { path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(&path).ok().and_then(|t| t.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if pid != me && Path::new("/proc").join(pid.to_string()).exists() => {
                            return Err(JournalError::Locked { dir: dir.to_path_buf(), pid });
                        }
                        // Left by a console that died (or unreadable): take it over.
                        _ => {
                            let _ = fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => return Err(JournalError::io("lock the session", dir, e)),
            }
        }
        Err(JournalError::LockReappears { dir: dir.to_path_buf(), lock: path })
    }
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

impl Journal {
    /// Starts a session directory; refuses one that exists.
    pub fn create(dir: &Path, manifest: &SessionManifest, scenario_text: &str) -> Result<Self, JournalError> {
        if dir.join(MANIFEST).exists() {
            return Err(JournalError::SessionExists { dir: dir.to_path_buf() });
        }
        if dir.exists() {
            return Err(JournalError::DirectoryExists { dir: dir.to_path_buf() });
        }
        fs::create_dir_all(dir).map_err(|e| JournalError::io("create", dir, e))?;
        crate::report::mark(dir, "an exercise session")
            .map_err(|e| JournalError::io("write", &dir.join(crate::report::MARKER), e))?;
        let journal = Self::open_for_append(dir)?;
        let copy = dir.join(SCENARIO_COPY);
        crate::report::write_atomically(&copy, scenario_text.as_bytes())
            .map_err(|e| JournalError::io("write", &copy, e))?;
        // The manifest last: a directory without it is not a session yet.
        let manifest_path = dir.join(MANIFEST);
        let text = serde_json::to_string_pretty(manifest).expect("plain data") + "\n";
        crate::report::write_atomically(&manifest_path, text.as_bytes())
            .map_err(|e| JournalError::io("write", &manifest_path, e))?;
        Ok(journal)
    }

    /// Reads a session directory back: its manifest, its commands and, when a
    /// crash left a line half-written, a note that it was dropped. Every whole
    /// line is kept whatever the torn tail holds (even half a character).
    pub fn read(dir: &Path) -> Result<(SessionManifest, Vec<String>, Option<String>), JournalError> {
        let manifest = Self::manifest(dir)?;
        let path = dir.join(JOURNAL);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(JournalError::io("read", &path, e)),
        };
        // A line cut short by a crash (no newline) was never acknowledged: drop it.
        let whole = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |end| end + 1);
        let mut dropped = None;
        if whole != bytes.len() {
            let tail = String::from_utf8_lossy(&bytes[whole..]).into_owned();
            let trim = |e| JournalError::io("trim the journal", &path, e);
            let file = OpenOptions::new().write(true).open(&path).map_err(trim)?;
            file.set_len(whole as u64).and_then(|_| file.sync_all()).map_err(trim)?;
            dropped = Some(format!(
                "{}: dropped an unfinished last line ({} bytes, \"{}\") that was never acknowledged",
                path.display(),
                bytes.len() - whole,
                tail.trim()
            ));
        }
        let mut lines = Vec::new();
        if let Some(body) = bytes[..whole].strip_suffix(b"\n") {
            for (k, line) in body.split(|b| *b == b'\n').enumerate() {
                let line =
                    std::str::from_utf8(line).map_err(|_| JournalError::NotText { path: path.clone(), line: k + 1 })?;
                lines.push(line.to_string());
            }
        }
        Ok((manifest, lines, dropped))
    }

    /// The manifest of a session directory, or why it is not one.
    pub fn manifest(dir: &Path) -> Result<SessionManifest, JournalError> {
        let manifest_path = dir.join(MANIFEST);
        let text = fs::read_to_string(&manifest_path).map_err(|source| JournalError::NotASession {
            dir: dir.to_path_buf(),
            manifest: manifest_path.clone(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| JournalError::BadManifest { path: manifest_path, source })
    }

    /// Opens the journal for new commands, taking the session's lock.
    pub fn open_for_append(dir: &Path) -> Result<Self, JournalError> {
        let lock = SessionLock::acquire(dir)?;
        let path = dir.join(JOURNAL);
        let file =
            OpenOptions::new().create(true).append(true).open(&path).map_err(|e| JournalError::io("open", &path, e))?;
        let len = file.metadata().map_err(|e| JournalError::io("read", &path, e))?.len();
        Ok(Self { file, path, len, _lock: lock })
    }

    /// Appends a command and waits until it is on disk. On failure nothing of it
    /// stays: the command must then be refused.
    pub fn append(&mut self, command: &Command) -> Result<(), JournalError> {
        self.append_as(None, command)
    }

    /// [`Journal::append`], with who gave the command (`ttx serve`'s roles) as
    /// a `# by ACTOR` comment line written with it in one write: a script and a
    /// resume skip comments, so the journal stays one format for both consoles.
    pub fn append_as(&mut self, actor: Option<&str>, command: &Command) -> Result<(), JournalError> {
        let mut line = String::new();
        if let Some(actor) = actor {
            // One line whatever the actor's text holds.
            line.push_str(&format!("# by {}\n", actor.replace(['\n', '\r'], " ")));
        }
        line.push_str(&command.to_line());
        line.push('\n');
        let written = self.file.write_all(line.as_bytes()).and_then(|_| self.file.sync_data());
        match written {
            Ok(()) => {
                self.len += line.len() as u64;
                Ok(())
            }
            Err(e) => {
                let _ = self.file.set_len(self.len);
                Err(JournalError::NotSaved { path: self.path.clone(), source: e })
            }
        }
    }

    /// Takes back the last [`Journal::append`], for a command that was saved but
    /// then could not be carried out.
    pub fn retract(&mut self, previous_len: u64) -> Result<(), JournalError> {
        self.file
            .set_len(previous_len)
            .and_then(|_| self.file.sync_data())
            .map_err(|e| JournalError::io("take back the last line of", &self.path, e))?;
        self.len = previous_len;
        Ok(())
    }

    /// Bytes of acknowledged lines so far.
    pub fn saved_len(&self) -> u64 {
        self.len
    }
}

/// Carries out `command` journal first: an exercise-changing command is saved
/// before it is applied and refused when it cannot be saved; if it is saved but
/// then fails, its line is taken back.
pub fn perform(session: &mut super::Session, journal: &mut Journal, command: &Command) -> Result<Vec<String>, String> {
    perform_as(session, journal, None, command)
}

/// [`perform`], journaling who gave the command.
pub fn perform_as(
    session: &mut super::Session,
    journal: &mut Journal,
    actor: Option<&str>,
    command: &Command,
) -> Result<Vec<String>, String> {
    if !command.changes_the_exercise() {
        return session.execute(command);
    }
    let before = journal.saved_len();
    journal.append_as(actor, command).map_err(|e| e.to_string())?;
    session.execute(command).or_else(|e| {
        journal.retract(before).map_err(|e| e.to_string())?;
        Err(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::Session;
    use crate::scenario::load_file;
    use std::sync::Arc;

    fn island() -> Session {
        let scenario = load_file(Path::new("scenarios/island-cable-cut.ron"), &[]).expect("bundled scenario");
        Session::new(Arc::new(scenario), 1, 10_000_000)
    }

    #[test]
    fn a_command_that_cannot_be_saved_is_refused_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        // /dev/full: every write fails with "no space left on device".
        let file = OpenOptions::new().append(true).open("/dev/full").unwrap();
        let mut journal =
            Journal { file, path: "/dev/full".into(), len: 0, _lock: SessionLock::acquire(dir.path()).unwrap() };
        let mut session = island();
        let err = perform(&mut session, &mut journal, &Command::Next).unwrap_err();
        assert!(err.starts_with("cannot save to /dev/full: "), "{err}");
        assert!(err.ends_with("; the command was not carried out"), "{err}");
        assert_eq!(session.table().clock(), crate::engine::SimTime::ZERO, "the clock did not move");
        assert!(session.branches()[0].history.is_empty());
    }

    #[test]
    fn a_saved_command_that_then_fails_is_taken_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open_for_append(dir.path()).unwrap();
        let mut session = island();
        perform(&mut session, &mut journal, &Command::Next).unwrap();
        let refused = Command::Choose { option: "isolate".into(), rationale: String::new() };
        let err = perform(&mut session, &mut journal, &refused).unwrap_err();
        assert_eq!(err, "no decision is waiting; `next` plays on to the next one");
        assert_eq!(fs::read_to_string(dir.path().join(JOURNAL)).unwrap(), "next\n");
        assert_eq!(journal.saved_len(), 5);
    }

    #[test]
    fn a_second_lock_on_a_live_session_is_refused_and_a_dead_ones_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        // A lock naming a live process other than this one (pid 1 always runs).
        fs::write(dir.path().join(LOCK), "1\n").unwrap();
        let err = SessionLock::acquire(dir.path()).err().unwrap().to_string();
        assert!(
            err.ends_with("is open in another console (process 1); close that one first, or continue there"),
            "{err}"
        );
        // A lock left by a process that no longer exists.
        fs::write(dir.path().join(LOCK), format!("{}\n", u32::MAX - 1)).unwrap();
        let lock = SessionLock::acquire(dir.path()).unwrap();
        assert_eq!(fs::read_to_string(dir.path().join(LOCK)).unwrap(), format!("{}\n", std::process::id()));
        drop(lock);
        assert!(!dir.path().join(LOCK).exists());
    }
}
