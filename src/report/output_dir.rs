//! A report directory that appears complete or not at all, and never replaces a
//! user's earlier results unless asked to.
//!
//! Files are written into a hidden staging directory beside the target; `commit`
//! renames it into place in one step. With `force`, the old directory is moved
//! aside first and deleted only after the new one is in place.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "{0} already exists: ttx does not overwrite earlier results; choose another --out, or pass --force to replace it"
    )]
    Exists(PathBuf),
    #[error("cannot {action} {path}: {source}")]
    Io { action: &'static str, path: PathBuf, source: io::Error },
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> OutputError {
    let path = path.to_path_buf();
    move |source| OutputError::Io { action, path, source }
}

/// A report directory being written.
pub struct OutputDir {
    target: PathBuf,
    staging: PathBuf,
    force: bool,
}

impl OutputDir {
    /// Checks the target up front (so a long run does not end in a refusal) and
    /// creates the staging directory.
    pub fn create(target: &Path, force: bool) -> Result<Self, OutputError> {
        if target.exists() && !force {
            return Err(OutputError::Exists(target.to_path_buf()));
        }
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(io_error("create the directory", parent))?;
        let name = target.file_name().map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_error("clear the staging directory", &staging))?;
        }
        fs::create_dir(&staging).map_err(io_error("create the directory", &staging))?;
        Ok(Self { target: target.to_path_buf(), staging, force })
    }

    /// Path of a file inside the staging directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.staging.join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.file(name);
        fs::write(&path, bytes).map_err(io_error("write", &path))
    }

    /// Moves the finished directory into place.
    pub fn commit(self) -> Result<PathBuf, OutputError> {
        let mut displaced = None;
        if self.target.exists() {
            if !self.force {
                return Err(OutputError::Exists(self.target.clone()));
            }
            let aside = self.staging.with_extension("replaced");
            fs::rename(&self.target, &aside).map_err(io_error("move aside", &self.target))?;
            displaced = Some(aside);
        }
        fs::rename(&self.staging, &self.target).map_err(io_error("move into place", &self.target))?;
        if let Some(aside) = displaced {
            fs::remove_dir_all(&aside).map_err(io_error("remove the replaced directory", &aside))?;
        }
        Ok(self.target.clone())
    }

    /// Removes what was staged (a failed run leaves nothing half-written).
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// Writes a whole file or leaves the old one: a temporary sibling, synced, then
/// renamed over `path`. For the single files written beside a report directory
/// (summaries, manifests, the exercise report).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut file = fs::File::create(&tmp)?;
    io::Write::write_all(&mut file, bytes)?;
    file.sync_all()?;
    fs::rename(&tmp, path)
}
