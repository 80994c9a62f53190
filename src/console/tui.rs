//! The terminal console (ratatui): the board a facilitator projects, driven by
//! single keys. Every key turns into a [`Command`], carried out and journaled
//! exactly as in `--plain` mode, so the two consoles cannot disagree.
//!
//! Laid out for 80x24 and up; high-contrast colours (white on the terminal's
//! background, yellow for what needs the table's attention, red for services
//! down) that stay readable on a projector.

use super::board::Board;
use super::command::{Command, HELP};
use super::exercise_files::write_exercise;
use super::journal::{Journal, perform};
use super::plain::Ending;
use super::session::Session;
use crate::engine::SimDuration;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::{DefaultTerminal, Frame};
use std::path::Path;
use std::time::{Duration, Instant};

/// Simulated time played per tick while playing on (space).
const PLAY_STEP: SimDuration = SimDuration::HOUR;
/// Wall-clock time between ticks while playing on.
const PLAY_TICK: Duration = Duration::from_millis(700);

/// A line the facilitator is typing, and what it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Prompt {
    Advance,
    Until,
    Rationale(String),
    Note,
    Observe,
    Inject,
    Branch,
    Switch,
    ConfirmEnd,
    ConfirmQuit,
    ConfirmTruth,
}

impl Prompt {
    /// What the prompt asks, with the ids it accepts where there is a list.
    fn label(&self, session: &Session) -> String {
        let list = |ids: Vec<String>| if ids.is_empty() { "none".to_string() } else { ids.join(", ") };
        match self {
            Prompt::Advance => "advance by (Enter for 1h; e.g. 30m, 2d): ".into(),
            Prompt::Until => "play on until T+ (e.g. 2d6h): ".into(),
            Prompt::Rationale(option) => format!("why {option}? (Enter to skip): "),
            Prompt::Note => "note: ".into(),
            Prompt::Observe => {
                let ids: Vec<&str> = session.scenario().objectives.iter().map(|o| o.id.as_str()).collect();
                format!("observe ({}) P|S|M|U what you saw: ", ids.join(", "))
            }
            Prompt::Inject => {
                let ids = session.scenario().injects.iter().filter(|i| i.at.is_none()).map(|i| i.id.clone());
                format!("contingency inject ({}): ", list(ids.collect()))
            }
            Prompt::Branch => {
                let scenario = session.scenario();
                let answered = session.branches()[session.current()]
                    .history
                    .iter()
                    .filter_map(|(_, a)| a.and_then(|i| scenario.injects[i].decision.as_ref()).map(|d| d.id.clone()));
                format!("branch before decision ({}): ", list(answered.collect()))
            }
            Prompt::Switch => format!("switch to branch (1 to {}): ", session.branches().len()),
            Prompt::ConfirmEnd => "end the exercise and write the reports? y to end, any other key goes back ".into(),
            Prompt::ConfirmQuit => "leave the console? (the session is saved) y to leave, any other key stays ".into(),
            Prompt::ConfirmTruth => {
                "show the ground truth (what the CSIRTs do not know yet) to the room? y to show, any other key goes back "
                    .into()
            }
        }
    }

    /// Prompts answered by one key, y or anything else.
    fn is_confirmation(&self) -> bool {
        matches!(self, Prompt::ConfirmEnd | Prompt::ConfirmQuit | Prompt::ConfirmTruth)
    }

    /// The command the typed text makes, if any.
    fn command(&self, text: &str) -> Option<Result<Command, String>> {
        let text = text.trim();
        let line = match self {
            Prompt::Advance if text.is_empty() => "advance 1h".to_string(),
            Prompt::Advance => format!("advance {text}"),
            Prompt::Until => format!("until {text}"),
            Prompt::Rationale(option) => format!("choose {option} {text}"),
            Prompt::Note => format!("note {text}"),
            Prompt::Observe => format!("observe {text}"),
            Prompt::Inject => format!("inject {text}"),
            Prompt::Branch => format!("branch {text}"),
            Prompt::Switch => format!("switch {text}"),
            Prompt::ConfirmEnd | Prompt::ConfirmQuit | Prompt::ConfirmTruth => return None,
        };
        Command::parse(&line)
    }
}

struct Console<'a> {
    session: &'a mut Session,
    journal: &'a mut Journal,
    dir: &'a Path,
    said: Vec<String>,
    error: bool,
    prompt: Option<(Prompt, String)>,
    help: bool,
    /// Lines scrolled off the top of the CSIRTs pane and of the situation pane.
    scroll: [u16; 2],
    playing: bool,
    last_tick: Instant,
    /// What `end` wrote, to print after the console closes.
    report_lines: Vec<String>,
}

/// Runs the terminal console until `end` or `quit`.
pub fn run_tui(session: &mut Session, journal: &mut Journal, dir: &Path) -> Result<Ending, String> {
    let mut terminal =
        ratatui::try_init().map_err(|e| format!("cannot start the terminal console: {e} (try --plain)"))?;
    // Pasted text then arrives as one Paste event instead of keystrokes.
    let _ = ratatui::crossterm::execute!(std::io::stdout(), event::EnableBracketedPaste);
    let mut console = Console::new(session, journal, dir);
    let result = console.run(&mut terminal);
    let _ = ratatui::crossterm::execute!(std::io::stdout(), event::DisableBracketedPaste);
    ratatui::restore();
    // Printed once the terminal is back to normal, so they stay readable.
    for line in &console.report_lines {
        // A closed stdout (piped into head) must not panic after the session ended.
        let _ = std::io::Write::write_all(&mut std::io::stdout(), format!("{line}\n").as_bytes());
    }
    result
}

impl<'a> Console<'a> {
    fn new(session: &'a mut Session, journal: &'a mut Journal, dir: &'a Path) -> Self {
        Console {
            session,
            journal,
            dir,
            said: vec!["press ? for help, n for the next inject or decision".into()],
            error: false,
            prompt: None,
            help: false,
            scroll: [0, 0],
            playing: false,
            last_tick: Instant::now(),
            report_lines: Vec::new(),
        }
    }

    fn run(&mut self, terminal: &mut DefaultTerminal) -> Result<Ending, String> {
        loop {
            let board = self.session.board();
            terminal.draw(|f| self.draw(f, &board)).map_err(|e| format!("cannot draw the console: {e}"))?;
            let wait = if self.playing { PLAY_TICK.saturating_sub(self.last_tick.elapsed()) } else { PLAY_TICK };
            if event::poll(wait).map_err(|e| e.to_string())? {
                let event = event::read().map_err(|e| e.to_string())?;
                if let Event::Paste(text) = &event {
                    self.paste(text);
                    continue;
                }
                let Event::Key(key) = event else { continue };
                if key.kind != KeyEventKind::Press {
                    continue;
                }
                let answering =
                    key.code == KeyCode::Enter && self.prompt.as_ref().is_some_and(|(p, _)| !p.is_confirmation());
                let dropped = if answering { self.drop_queued_keys()? } else { 0 };
                let ending = self.key(key.code, key.modifiers)?;
                if dropped > 0 {
                    self.said.push(format!(
                        "ignored {dropped} keys that arrived with Enter (pasted text?); nothing else was done"
                    ));
                }
                if let Some(ending) = ending {
                    if ending == Ending::Ended {
                        // Writing every branch's report takes a moment: say so first.
                        self.tell(vec!["writing the reports...".into()], false);
                        let board = self.session.board();
                        terminal.draw(|f| self.draw(f, &board)).map_err(|e| format!("cannot draw the console: {e}"))?;
                        self.journal.append(&Command::End).map_err(|e| e.to_string())?;
                        self.report_lines = write_exercise(self.dir, self.session)?;
                    }
                    return Ok(ending);
                }
            } else if self.clock_runs() && self.last_tick.elapsed() >= PLAY_TICK {
                self.last_tick = Instant::now();
                self.tick();
            }
        }
    }

    /// Whether playing on advances the clock now: never while a prompt or the
    /// help is open (the room is reading or typing).
    fn clock_runs(&self) -> bool {
        self.playing && self.prompt.is_none() && !self.help
    }

    /// Pasted text (terminals with bracketed paste deliver it whole) is text: it
    /// goes into the open prompt, line breaks as spaces, and never runs as keys.
    fn paste(&mut self, text: &str) {
        match &mut self.prompt {
            Some((prompt, typed)) if !prompt.is_confirmation() => {
                typed.extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
            }
            _ => self.tell(vec!["pasted text is only taken in a prompt; press o to write a note first".into()], true),
        }
    }

    /// Keys already waiting the moment a prompt is answered came with it (a paste
    /// into a terminal without bracketed paste, or a second pasted line): nobody
    /// types that fast. They are dropped, so they cannot act as commands.
    fn drop_queued_keys(&mut self) -> Result<usize, String> {
        let mut dropped = 0;
        while event::poll(Duration::ZERO).map_err(|e| e.to_string())? {
            if matches!(event::read().map_err(|e| e.to_string())?, Event::Key(_) | Event::Paste(_)) {
                dropped += 1;
            }
        }
        Ok(dropped)
    }

    /// Plays on by one step; stops at a decision or the horizon.
    fn tick(&mut self) {
        let table = self.session.table();
        if table.pending_decision().is_some() || table.at_horizon() {
            self.playing = false;
            return;
        }
        self.carry_out(Command::Advance(PLAY_STEP));
        let table = self.session.table();
        if table.pending_decision().is_some() || table.at_horizon() || self.error {
            self.playing = false;
        }
    }

    fn key(&mut self, code: KeyCode, modifiers: KeyModifiers) -> Result<Option<Ending>, String> {
        if code == KeyCode::Char('c') && modifiers.contains(KeyModifiers::CONTROL) {
            return Ok(Some(Ending::Left));
        }
        if let Some((prompt, _)) = self.prompt.take_if(|(p, _)| p.is_confirmation()) {
            // One key answers: y confirms, anything else goes back.
            if !matches!(code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                self.tell(vec!["nothing done; the exercise goes on".into()], false);
                return Ok(None);
            }
            match prompt {
                Prompt::ConfirmEnd => return Ok(Some(Ending::Ended)),
                Prompt::ConfirmQuit => return Ok(Some(Ending::Left)),
                _ => self.carry_out(Command::Truth),
            }
            return Ok(None);
        }
        if let Some((_, text)) = &mut self.prompt {
            match code {
                KeyCode::Esc => self.prompt = None,
                KeyCode::Backspace => {
                    text.pop();
                }
                KeyCode::Char('u') if modifiers.contains(KeyModifiers::CONTROL) => text.clear(),
                KeyCode::Char(_) if modifiers.contains(KeyModifiers::CONTROL) => {}
                KeyCode::Enter => {
                    let (prompt, text) = self.prompt.take().expect("a prompt is open");
                    match prompt.command(&text) {
                        Some(Ok(command)) => self.carry_out(command),
                        Some(Err(e)) => self.tell(vec![e], true),
                        None => {}
                    }
                }
                KeyCode::Char(c) => text.push(c),
                _ => {}
            }
            return Ok(None);
        }
        if self.help {
            self.help = false;
            return Ok(None);
        }
        let ask = |prompt: Prompt, text: &str| Some((prompt, text.to_string()));
        match code {
            KeyCode::Char('?') | KeyCode::Char('h') => self.help = true,
            KeyCode::Char('q') => self.prompt = ask(Prompt::ConfirmQuit, ""),
            KeyCode::Char('n') => self.carry_out(Command::Next),
            KeyCode::Char(' ') => {
                self.playing = !self.playing;
                self.last_tick = Instant::now();
                let state = if self.playing { "playing on by the hour (space to pause)" } else { "paused" };
                self.tell(vec![state.into()], false);
            }
            KeyCode::Char('+') | KeyCode::Char('a') => self.prompt = ask(Prompt::Advance, ""),
            KeyCode::Char('u') => self.prompt = ask(Prompt::Until, ""),
            KeyCode::Char('o') => self.prompt = ask(Prompt::Note, ""),
            KeyCode::Char('r') => self.prompt = ask(Prompt::Observe, ""),
            KeyCode::Char('i') => self.prompt = ask(Prompt::Inject, ""),
            KeyCode::Char('b') => self.prompt = ask(Prompt::Branch, ""),
            KeyCode::Char('s') => self.prompt = ask(Prompt::Switch, ""),
            // Showing the truth to the room cannot be taken back: ask. Hiding it can.
            KeyCode::Char('t') if !self.session.truth_shown() => self.prompt = ask(Prompt::ConfirmTruth, ""),
            KeyCode::Char('t') => self.carry_out(Command::Truth),
            KeyCode::Char('z') => self.carry_out(Command::Undo),
            KeyCode::Down => self.scroll[0] = self.scroll[0].saturating_add(1),
            KeyCode::Up => self.scroll[0] = self.scroll[0].saturating_sub(1),
            KeyCode::PageDown => self.scroll[1] = self.scroll[1].saturating_add(5),
            KeyCode::PageUp => self.scroll[1] = self.scroll[1].saturating_sub(5),
            KeyCode::Char('e') => self.prompt = ask(Prompt::ConfirmEnd, ""),
            KeyCode::Char(c @ '1'..='9') => {
                let option = self.session.table().pending_decision().and_then(|inject| {
                    let decision = self.session.scenario().injects[inject].decision.as_ref()?;
                    decision.options.get(c as usize - '1' as usize).map(|o| o.id.clone())
                });
                match option {
                    Some(option) => self.prompt = ask(Prompt::Rationale(option), ""),
                    None => self.tell(vec![format!("no decision has an option {c} now")], true),
                }
            }
            _ => {}
        }
        Ok(None)
    }

    fn carry_out(&mut self, command: Command) {
        match perform(self.session, self.journal, &command) {
            Ok(said) => self.tell(said, false),
            Err(e) => self.tell(vec![e], true),
        }
    }

    fn tell(&mut self, lines: Vec<String>, error: bool) {
        self.said = lines;
        self.error = error;
    }

    fn draw(&self, f: &mut Frame, board: &Board) {
        let strong = Style::default().add_modifier(Modifier::BOLD);
        let attention = Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD);
        // The local times, packed onto as many lines as they need (up to three).
        let width = usize::from(f.area().width.max(1));
        let mut locals: Vec<String> = Vec::new();
        for (nation, time) in &board.local_times {
            let item = format!("{nation} {time}");
            match locals.last_mut() {
                Some(line) if line.chars().count() + 3 + item.chars().count() <= width => {
                    line.push_str(" | ");
                    line.push_str(&item);
                }
                _ => locals.push(format!(" {item}")),
            }
        }
        locals.truncate(3);
        let header = 1 + locals.len().max(1) as u16;
        let rows = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Length(header), Constraint::Min(8), Constraint::Length(5)])
            .split(f.area());
        // Clock: simulated time, and the local time in every nation.
        let mut clock = vec![
            Span::styled(format!(" {} ", board.clock), Style::default().fg(Color::Black).bg(Color::White)),
            Span::raw(format!(" {} | {}", board.scenario, board.branch)),
        ];
        if board.at_horizon {
            clock.push(Span::styled("  horizon reached: e to end", attention));
        }
        let header = std::iter::once(Line::from(clock)).chain(locals.into_iter().map(Line::from));
        f.render_widget(Paragraph::new(header.collect::<Vec<_>>()), rows[0]);

        let columns = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
            .split(rows[1]);
        self.draw_csirts(f, columns[0], board, strong);
        self.draw_situation(f, columns[1], board, attention);
        self.draw_footer(f, rows[2], attention);
        if self.help {
            let area = centered(f.area(), 80, 20);
            f.render_widget(Clear, area);
            let lines: Vec<Line> = HELP.lines().map(Line::from).collect();
            let block = Block::default().borders(Borders::ALL).title(" help: any key closes ");
            f.render_widget(Paragraph::new(lines).block(block), area);
        }
    }

    fn draw_csirts(&self, f: &mut Frame, area: Rect, board: &Board, strong: Style) {
        let mut lines: Vec<Line> = board.nations.iter().map(|n| Line::from(n.clone())).collect();
        for c in &board.csirts {
            lines.push(Line::from(Span::styled(c.name.clone(), strong)));
            lines.push(Line::from(format!(" {} open, {} closed, {} queued", c.open, c.closed, c.queued)));
            lines.extend(c.staff.iter().map(|s| Line::from(format!(" {s}"))));
            lines.extend(c.calls.iter().map(|s| Line::from(format!(" {s}"))));
            lines.push(Line::from(format!(" {}", c.trust)));
            lines.extend(c.incidents.iter().map(|i| Line::from(format!(" {i}"))));
            let truth = Style::default().fg(Color::Magenta);
            lines.extend(c.hidden.iter().map(|h| Line::from(Span::styled(format!(" not known: {h}"), truth))));
        }
        if let Some(truth) = &board.truth {
            lines.push(Line::from(Span::styled(truth.clone(), Style::default().fg(Color::Magenta))));
        }
        let title =
            if board.truth.is_some() { " what the CSIRTs know + ground truth " } else { " what the CSIRTs know " };
        f.render_widget(scrolled(lines, title, self.scroll[0], "up/down"), area);
    }

    fn draw_situation(&self, f: &mut Frame, area: Rect, board: &Board, attention: Style) {
        let mut lines = Vec::new();
        if let Some((question, options)) = &board.decision {
            lines.push(Line::from(Span::styled(format!("DECISION {question}"), attention)));
            lines.extend(options.iter().map(|o| Line::from(Span::styled(format!(" {o}"), attention))));
        }
        if let Some(inject) = &board.latest_inject {
            lines.push(Line::from(Span::styled("latest inject", Style::default().add_modifier(Modifier::BOLD))));
            lines.push(Line::from(inject.clone()));
        }
        if !board.assets.is_empty() {
            lines.push(Line::from(Span::styled("services", Style::default().add_modifier(Modifier::BOLD))));
            for (asset, level) in &board.assets {
                let style = if *level < 50.0 {
                    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
                } else if *level < 100.0 {
                    Style::default().fg(Color::Yellow)
                } else {
                    Style::default()
                };
                lines.push(Line::from(Span::styled(format!(" {asset} {level:.0}%"), style)));
            }
        }
        if !board.messages.is_empty() {
            lines.push(Line::from(Span::styled("messages", Style::default().add_modifier(Modifier::BOLD))));
            lines.extend(board.messages.iter().map(|m| Line::from(m.clone())));
        }
        f.render_widget(scrolled(lines, " situation ", self.scroll[1], "PgUp/PgDn"), area);
    }

    fn draw_footer(&self, f: &mut Frame, area: Rect, attention: Style) {
        let mut lines: Vec<Line> = Vec::new();
        let style =
            if self.error { Style::default().fg(Color::Red).add_modifier(Modifier::BOLD) } else { Style::default() };
        // The decision and its options are in the situation pane already.
        let said: Vec<&String> =
            self.said.iter().filter(|l| !l.starts_with("DECISION") && !l.starts_with("  ")).collect();
        let shown = said.len().saturating_sub(3);
        lines.extend(said[shown..].iter().map(|l| Line::from(Span::styled((*l).clone(), style))));
        while lines.len() < 3 {
            lines.push(Line::from(""));
        }
        lines.push(match &self.prompt {
            Some((prompt, text)) => {
                // A long answer scrolls: the end being typed stays in view.
                let label = prompt.label(self.session);
                let room = usize::from(area.width).saturating_sub(label.chars().count() + 2).max(10);
                let count = text.chars().count();
                let shown: String = if count > room {
                    std::iter::once('…').chain(text.chars().skip(count - room + 1)).collect()
                } else {
                    text.clone()
                };
                Line::from(Span::styled(format!("{label}{shown}_"), attention))
            }
            None => Line::from(if self.playing {
                "playing on: space pauses  ? help  q quit".to_string()
            } else {
                "n next  + advance  1-9 choose  i inject  o note  b branch  ? help  q quit".to_string()
            }),
        });
        f.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::TOP)), area);
    }
}

/// A bordered pane showing `lines` from `scroll` on; the title says how to see
/// the rest when it starts further down.
fn scrolled<'a>(lines: Vec<Line<'a>>, title: &'a str, scroll: u16, keys: &str) -> Paragraph<'a> {
    let scroll = scroll.min(lines.len().saturating_sub(1) as u16);
    let title = if scroll > 0 { format!("{title}(scrolled: {keys}) ") } else { title.to_string() };
    let block = Block::default().borders(Borders::ALL).title(title);
    Paragraph::new(lines).block(block).wrap(Wrap { trim: true }).scroll((scroll, 0))
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_file;
    use std::sync::Arc;

    /// The console's key handling on the island, without a terminal.
    fn with_console(check: impl FnOnce(&mut Console<'_>)) {
        let dir = tempfile::tempdir().unwrap();
        let scenario = load_file(Path::new("scenarios/island-cable-cut.ron"), &[]).expect("bundled scenario");
        let mut session = Session::new(Arc::new(scenario), 1, 10_000_000);
        let mut journal = Journal::open_for_append(dir.path()).unwrap();
        let mut console = Console::new(&mut session, &mut journal, dir.path());
        console.said.clear();
        check(&mut console);
    }

    fn press(console: &mut Console<'_>, keys: &str) -> Option<Ending> {
        let mut ending = None;
        for c in keys.chars() {
            let code = if c == '\n' { KeyCode::Enter } else { KeyCode::Char(c) };
            ending = console.key(code, KeyModifiers::NONE).unwrap();
        }
        ending
    }

    #[test]
    fn quitting_ending_and_showing_the_truth_ask_first() {
        with_console(|c| {
            assert_eq!(press(c, "qn"), None, "q then any other key stays");
            assert_eq!(c.said, ["nothing done; the exercise goes on"]);
            assert_eq!(press(c, "t"), None);
            assert!(!c.session.truth_shown(), "t alone shows nothing");
            press(c, "y");
            assert!(c.session.truth_shown());
            press(c, "t");
            assert!(!c.session.truth_shown(), "hiding needs no confirmation");
            assert_eq!(press(c, "ex"), None);
            assert_eq!(press(c, "qy"), Some(Ending::Left));
        });
    }

    #[test]
    fn advance_takes_what_is_typed_and_defaults_to_an_hour() {
        with_console(|c| {
            press(c, "+\n");
            assert_eq!(c.session.table().clock().as_secs(), 3_600);
            press(c, "+2h\n");
            assert_eq!(c.session.table().clock().as_secs(), 3 * 3_600, "typed 2h, not 1h2h");
            press(c, "z");
            assert_eq!(c.session.table().clock().as_secs(), 3_600, "undo takes the last advance back");
        });
    }

    #[test]
    fn pasted_text_is_text_and_the_clock_stops_while_a_prompt_is_open() {
        with_console(|c| {
            c.paste("i\nt\nspace");
            assert!(c.error && c.prompt.is_none(), "outside a prompt a paste does nothing");
            assert!(!c.session.truth_shown());
            press(c, "o");
            c.playing = true;
            assert!(!c.clock_runs(), "no play while the note is typed");
            c.paste("first line\nsecond t line");
            assert_eq!(c.prompt.as_ref().map(|(_, t)| t.as_str()), Some("first line second t line"));
            press(c, "\n");
            assert!(c.clock_runs());
            assert_eq!(c.said, ["noted at T+0s"]);
            assert!(!c.session.truth_shown());
        });
    }

    #[test]
    fn prompts_list_the_ids_they_accept() {
        with_console(|c| {
            assert_eq!(
                Prompt::Inject.label(c.session),
                "contingency inject (power-cut, booking-ransomware, press-call): "
            );
            assert_eq!(Prompt::Switch.label(c.session), "switch to branch (1 to 1): ");
            assert_eq!(Prompt::Branch.label(c.session), "branch before decision (none): ");
        });
    }
}
