//! `ttx play`: a new or resumed facilitated exercise, in the terminal console or
//! the line-based one, optionally after a script.

use super::Failure;
use super::args::{PlayArgs, SessionArgs};
use super::run_plan::parse_overrides;
use crate::console::journal::SCENARIO_COPY;
use crate::console::plain::PlainError;
use crate::console::{Command, Ending, Journal, Session, SessionManifest, Source, run_plain, tui};
use crate::scenario::load_file;
use std::fs::File;
use std::io::{self, BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn play(args: PlayArgs) -> Result<(), Failure> {
    let (mut session, mut journal, dir) = open_session(&args.session, "play")?;
    let mut stdout = io::stdout();
    if let Some(script) = &args.script {
        let file = File::open(script)
            .map_err(|e| Failure::Input(format!("cannot read the script {}: {e}", script.display())))?;
        let source = Source {
            name: script.display().to_string(),
            strict: true,
            echo: true,
            prompt: false,
            lines: Box::new(BufReader::new(file)),
        };
        match run_plain(&mut session, &mut journal, &dir, source, &mut stdout).map_err(plain_failure)? {
            Ending::Ended => return Ok(()),
            Ending::Left => {}
        }
    }
    let interactive = io::stdin().is_terminal();
    let ending = if args.plain || !interactive || !io::stdout().is_terminal() {
        let source = Source {
            name: "stdin".into(),
            strict: false,
            echo: !interactive,
            prompt: interactive,
            lines: Box::new(io::stdin().lock()),
        };
        run_plain(&mut session, &mut journal, &dir, source, &mut stdout).map_err(plain_failure)?
    } else {
        tui::run_tui(&mut session, &mut journal, &dir).map_err(Failure::Run)?
    };
    if ending == Ending::Left {
        outln!(
            "session saved in {} ({} branch{}); continue with: ttx play --resume {}",
            dir.display(),
            session.branches().len(),
            if session.branches().len() == 1 { "" } else { "es" },
            dir.display()
        );
    }
    Ok(())
}

/// The session `args` name, started or resumed, with the end-of-exercise
/// analysis set: what `ttx play` and `ttx serve` share.
pub(super) fn open_session(args: &SessionArgs, kind: &str) -> Result<(Session, Journal, PathBuf), Failure> {
    if args.max_events == 0 {
        return Err(Failure::Input("--max-events must be at least 1".into()));
    }
    if args.jobs == Some(0) {
        return Err(Failure::Input("--jobs must be at least 1".into()));
    }
    let (mut session, journal, dir) = match &args.resume {
        Some(dir) => resume(dir)?,
        None => start(
            args.file.as_ref().expect("clap requires FILE without --resume"),
            args.seed,
            args.out.clone(),
            &args.overrides,
            args.max_events,
            kind,
        )?,
    };
    if session.seed().checked_add(args.counterfactuals).is_none() {
        return Err(Failure::Input(format!(
            "seed {} with --counterfactuals {} runs past the largest seed; use fewer seeds",
            session.seed(),
            args.counterfactuals
        )));
    }
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    session.set_counterfactuals(args.counterfactuals, jobs);
    Ok((session, journal, dir))
}

fn plain_failure(e: PlainError) -> Failure {
    match e {
        PlainError::Input(message) => Failure::Input(message),
        PlainError::Io(message) => Failure::Run(message),
    }
}

/// A new session of `file` in `out` (default `reports/<scenario>/<kind>-seed-<N>`).
fn start(
    file: &Path,
    seed: Option<u64>,
    out: Option<PathBuf>,
    overrides_given: &[String],
    max_events: u64,
    kind: &str,
) -> Result<(Session, Journal, PathBuf), Failure> {
    let overrides = parse_overrides(overrides_given)?;
    let scenario = load_file(file, &overrides).map_err(Failure::Scenario)?;
    super::print_warnings(&scenario);
    let text =
        std::fs::read_to_string(file).map_err(|e| Failure::Input(format!("cannot read {}: {e}", file.display())))?;
    let seed = seed.unwrap_or(scenario.seed);
    let dir = out.unwrap_or_else(|| {
        let stem = file.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
        Path::new("reports").join(stem).join(format!("{kind}-seed-{seed}"))
    });
    // Absolute, so that the manifest names the file wherever the session is
    // resumed from; the copy written beside the journal is what resumes it.
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let manifest = SessionManifest {
        scenario: absolute.display().to_string(),
        scenario_fingerprint: SessionManifest::fingerprint(&text),
        overrides: overrides_given.to_vec(),
        seed,
        max_events,
    };
    let journal = Journal::create(&dir, &manifest, &text).map_err(Failure::input)?;
    Ok((Session::new(Arc::new(scenario), seed, max_events), journal, dir))
}

/// A saved session, replayed to where it was. A journal that ends the exercise
/// (`end`) is replayed up to it: `ttx serve` shows it ended.
fn resume(dir: &Path) -> Result<(Session, Journal, PathBuf), Failure> {
    // Validate that this is a session, then lock it before reading its journal,
    // so that two consoles can never both replay and append.
    Journal::manifest(dir).map_err(Failure::input)?;
    let journal = Journal::open_for_append(dir).map_err(Failure::input)?;
    let (manifest, lines, dropped) = Journal::read(dir).map_err(Failure::input)?;
    if let Some(note) = dropped {
        eprintln!("note: {note}");
    }
    // The session's own copy of the scenario (sessions from before copies were
    // kept: the file as recorded).
    let copy = dir.join(SCENARIO_COPY);
    let file = if copy.is_file() { copy } else { PathBuf::from(&manifest.scenario) };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| Failure::Input(format!("the session's scenario {} cannot be read: {e}", file.display())))?;
    if SessionManifest::fingerprint(&text) != manifest.scenario_fingerprint {
        return Err(Failure::Input(format!(
            "{} has changed since the session in {} began, so its journal would not replay the same exercise; restore the file, or start a new session",
            file.display(),
            dir.display()
        )));
    }
    let overrides = parse_overrides(&manifest.overrides)?;
    let scenario = load_file(&file, &overrides).map_err(Failure::Scenario)?;
    let mut session = Session::new(Arc::new(scenario), manifest.seed, manifest.max_events);
    // Commands, not lines: `# by ...` comment lines (ttx serve's actors) are not replayed.
    let mut commands = 0;
    for (k, line) in lines.iter().enumerate() {
        let replayed = match Command::parse(line) {
            None | Some(Ok(Command::End)) | Some(Ok(Command::Quit)) => Ok(()),
            Some(Ok(command)) => {
                commands += 1;
                session.execute(&command).map(|_| ())
            }
            Some(Err(e)) => Err(e),
        };
        replayed.map_err(|e| {
            Failure::Input(format!("{}/journal.txt:{}: the journal does not replay: {e}", dir.display(), k + 1))
        })?;
    }
    let board = session.board();
    eprintln!("resumed {} at {} on {} ({commands} commands replayed)", dir.display(), board.clock, board.branch);
    Ok((session, journal, dir.to_path_buf()))
}
