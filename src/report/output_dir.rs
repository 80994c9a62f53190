//! A report directory that appears complete or not at all, and never replaces a
//! user's earlier results unless asked to.
//!
//! Files are written into a hidden staging directory beside the target; `commit`
//! renames it into place in one step. With `force`, the old directory is moved
//! aside first and deleted only after the new one is in place.
//!
//! Every directory ttx writes holds a [`MARKER`] file. `--force` replaces only
//! such a directory, and never the working directory, one of its ancestors, the
//! home directory or `/` ([`check_replaceable`]): a mistyped `--out` must not
//! delete a user's files.

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
    #[error("refusing to replace {path}: {why}; choose another --out")]
    NotOurs { path: PathBuf, why: String },
}

/// The file that marks a directory as written by ttx (and so replaceable by `--force`).
pub const MARKER: &str = ".ttx-output";

/// Marks `dir` as ttx's own output.
pub fn mark(dir: &Path, what: &str) -> io::Result<()> {
    fs::write(
        dir.join(MARKER),
        format!("written by ttx {} ({what}); --force may replace this directory\n", env!("CARGO_PKG_VERSION")),
    )
}

/// Whether `--force` may replace `target`: it must be a directory ttx wrote (it
/// holds the marker), and not the working directory, an ancestor of it, the home
/// directory or the root. A target that does not exist is always fine.
pub fn check_replaceable(target: &Path) -> Result<(), OutputError> {
    let refuse = |why: String| Err(OutputError::NotOurs { path: target.to_path_buf(), why });
    let Ok(real) = fs::canonicalize(target) else { return Ok(()) };
    if real.parent().is_none() {
        return refuse("it is the root of the file system".into());
    }
    if let Ok(cwd) = std::env::current_dir().and_then(fs::canonicalize)
        && cwd.starts_with(&real)
    {
        let what = if cwd == real { "the working directory" } else { "an ancestor of the working directory" };
        return refuse(format!("it is {what}"));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from).and_then(|h| fs::canonicalize(h).ok())
        && home == real
    {
        return refuse("it is the home directory".into());
    }
    if !real.is_dir() {
        return refuse("it is not a directory".into());
    }
    if !real.join(MARKER).is_file() {
        return refuse(format!(
            "it was not written by ttx (it holds no {MARKER} file), and --force replaces only ttx's own output; remove it yourself if it is meant to go"
        ));
    }
    Ok(())
}

/// Removes `.NAME.partial-PID` staging directories beside `target` left by ttx
/// processes that died (killed mid-run): marked as ttx's, their process gone.
pub fn remove_stale_staging(target: &Path) {
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else { return };
    let prefix = format!(".{name}.partial-");
    // Whether a process lives is read from /proc; without it, nothing is removed.
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file.strip_prefix(&prefix).and_then(|rest| rest.split('.').next()?.parse::<u32>().ok()) else {
            continue;
        };
        let alive = Path::new("/proc").join(pid.to_string()).exists();
        if !alive && pid != std::process::id() && entry.path().join(MARKER).is_file() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
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
        if force {
            check_replaceable(target)?;
        }
        remove_stale_staging(target);
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(io_error("create the directory", parent))?;
        let name = target.file_name().map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_error("clear the staging directory", &staging))?;
        }
        fs::create_dir(&staging).map_err(io_error("create the directory", &staging))?;
        mark(&staging, "a run's report").map_err(io_error("write", &staging.join(MARKER)))?;
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
            // Checked again: the directory may have changed during the run.
            check_replaceable(&self.target)?;
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
/// [`write_atomically`] for a secret (a session's tokens): readable and
/// writable by its owner only, from the moment it exists.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("tmp");
    let mut file = fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp)?;
    io::Write::write_all(&mut file, bytes)?;
    file.sync_all()?;
    fs::rename(&tmp, path)
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut file = fs::File::create(&tmp)?;
    io::Write::write_all(&mut file, bytes)?;
    file.sync_all()?;
    fs::rename(&tmp, path)
}
