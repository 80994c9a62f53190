//! The session directory, saved as the exercise goes: `session.json` (scenario,
//! seed) and `journal.txt`, one command per line, each flushed to disk before the
//! console answers, so a crash or a closed laptop loses nothing. The journal is a
//! script: `ttx play FILE --script DIR/journal.txt` replays the session exactly.

use super::command::Command;
use crate::engine::stream_id;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = "session.json";
pub const JOURNAL: &str = "journal.txt";

/// What a session was started with, to resume it with the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionManifest {
    /// The scenario file as given on the command line.
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

/// The open journal of a session in play.
pub struct Journal {
    file: File,
    path: PathBuf,
}

impl Journal {
    /// Starts a session directory; refuses one that exists.
    pub fn create(dir: &Path, manifest: &SessionManifest) -> Result<Self, String> {
        if dir.join(MANIFEST).exists() {
            return Err(format!(
                "{} holds a session already: continue it with `ttx play --resume {}`, or choose another --out",
                dir.display(),
                dir.display()
            ));
        }
        if dir.exists() {
            return Err(format!(
                "{} already exists: ttx does not overwrite earlier results; choose another --out",
                dir.display()
            ));
        }
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        crate::report::mark(dir, "an exercise session")
            .map_err(|e| format!("cannot write {}: {e}", dir.join(crate::report::MARKER).display()))?;
        let manifest_path = dir.join(MANIFEST);
        let text = serde_json::to_string_pretty(manifest).expect("plain data") + "\n";
        let tmp = dir.join(".session.json.tmp");
        fs::write(&tmp, text)
            .and_then(|_| fs::rename(&tmp, &manifest_path))
            .map_err(|e| format!("cannot write {}: {e}", manifest_path.display()))?;
        Self::open_for_append(dir)
    }

    /// Reads a session directory back: its manifest and its commands.
    pub fn read(dir: &Path) -> Result<(SessionManifest, Vec<String>), String> {
        let manifest_path = dir.join(MANIFEST);
        let text = fs::read_to_string(&manifest_path).map_err(|e| {
            format!("{} is not a ttx play session (cannot read {}: {e})", dir.display(), manifest_path.display())
        })?;
        let manifest: SessionManifest = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a ttx play session manifest: {e}", manifest_path.display()))?;
        let journal = fs::read_to_string(dir.join(JOURNAL)).unwrap_or_default();
        // A line cut short by a crash (no newline) was never acknowledged: drop it.
        let complete = match journal.rfind('\n') {
            Some(end) => &journal[..=end],
            None => "",
        };
        if complete.len() != journal.len() {
            let file = OpenOptions::new().write(true).open(dir.join(JOURNAL)).map_err(|e| e.to_string())?;
            file.set_len(complete.len() as u64).map_err(|e| format!("cannot trim the journal: {e}"))?;
        }
        Ok((manifest, complete.lines().map(str::to_string).collect()))
    }

    pub fn open_for_append(dir: &Path) -> Result<Self, String> {
        let path = dir.join(JOURNAL);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        Ok(Self { file, path })
    }

    /// Appends a command and waits until it is on disk.
    pub fn append(&mut self, command: &Command) -> Result<(), String> {
        let line = command.to_line() + "\n";
        let write = |f: &mut File| -> io::Result<()> {
            f.write_all(line.as_bytes())?;
            f.sync_data()
        };
        write(&mut self.file).map_err(|e| format!("cannot save to {}: {e}", self.path.display()))
    }
}
