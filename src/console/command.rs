//! What a facilitator can tell the console, as typed in `--plain` mode, read from
//! a `--script`, or produced by the terminal console's keys. The journal stores
//! commands in the same text, so a session file is also a script.

use crate::engine::{SimDuration, SimTime, format_duration, parse_duration};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Play on to the next inject (delivered) or decision (posed).
    Next,
    /// Play on for a duration, stopping early at a decision.
    Advance(SimDuration),
    /// Play on to a time since T+0, stopping early at a decision.
    Until(SimTime),
    /// Answer the decision waiting, with the table's reasons.
    Choose {
        option: String,
        rationale: String,
    },
    /// Deliver a contingency inject now.
    Inject(String),
    /// A facilitator's note at the current time.
    Note(String),
    /// An evaluator's observation at the current time: what was seen, tagged to
    /// one of the scenario's objectives and rated P, S, M or U (HSEEP), so the
    /// after-action report sets the table's judgement beside the simulated one.
    Observe {
        objective: String,
        rating: Observed,
        text: String,
    },
    /// Go back to just before an answered decision, on a new branch.
    Branch(String),
    /// Continue another branch (1-based, as listed).
    Switch(usize),
    /// Take back the last command that changed the exercise, if nothing else
    /// (a branch, a switch, another undo) happened since.
    Undo,
    /// Show the ground truth beside what the CSIRTs know (view only).
    Truth,
    /// Print the board (view only).
    Show,
    /// List the branches (view only).
    Branches,
    Help,
    /// Play every branch to the horizon and write the reports.
    End,
    /// Leave; the session stays resumable.
    Quit,
}

/// The command reference shown by `help` and by the terminal console's `?`.
pub const HELP: &str = "\
keys of the terminal console in brackets; in --plain, type the commands:
 [n] next             play on to the next inject or decision
 [+] advance 1h       play on for a while (stops at a decision)
 [u] until 2d6h       play on to a time since T+0
 [1-9] choose ID WHY  answer the waiting decision, with the table's reasons
 [i] inject ID        deliver a contingency inject now
 [o] note TEXT        add a facilitator note at the current time
 [r] observe OBJECTIVE P|S|M|U TEXT
                      an evaluator's rated observation on an objective
 [b] branch DECISION  go back before an answered decision, on a new branch
 [s] switch N         continue branch N
 [z] undo             take back the last command (before anything else happened)
 [t] truth            show or hide the ground truth (asks first)
 [space]              play on by the hour; space again pauses
 [up/down] [PgUp/PgDn] scroll the CSIRTs pane / the situation pane
 [e] end              play every branch to the horizon, write the reports (asks first)
 [q] quit             leave; ttx play --resume DIR continues (asks first)
     show, branches   print the board, list the branches
 [?] help             this list";

/// The rating an evaluator gives an observation: HSEEP's four, and only those
/// (N/A and "not enough evidence" are what the simulation says of a measure,
/// not what someone watching the table saw).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observed {
    P,
    S,
    M,
    U,
}

impl Observed {
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_uppercase().as_str() {
            "P" => Some(Self::P),
            "S" => Some(Self::S),
            "M" => Some(Self::M),
            "U" => Some(Self::U),
            _ => None,
        }
    }

    pub fn rating(self) -> crate::score::Rating {
        match self {
            Self::P => crate::score::Rating::P,
            Self::S => crate::score::Rating::S,
            Self::M => crate::score::Rating::M,
            Self::U => crate::score::Rating::U,
        }
    }
}

impl Command {
    /// Parses one line; `None` for a blank line or a `#` comment.
    pub fn parse(line: &str) -> Option<Result<Self, String>> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        let need = |what: &str, example: &str| -> Result<Self, String> {
            Err(format!("`{word}` needs {what}, e.g. `{example}`"))
        };
        let no_argument = |command: Self| -> Result<Self, String> {
            if rest.is_empty() { Ok(command) } else { Err(format!("`{word}` takes no argument (got \"{rest}\")")) }
        };
        let duration = |text: &str| {
            parse_duration(text).map_err(|_| format!("\"{text}\" is not a duration: expected e.g. 30m, 1h, 2d6h"))
        };
        Some(match word {
            "next" | "n" => no_argument(Self::Next),
            "advance" | "a" if rest.is_empty() => need("a duration", "advance 1h"),
            "advance" | "a" => duration(rest.trim_start_matches('+')).and_then(positive).map(Self::Advance),
            w if w.starts_with('+') && rest.is_empty() => duration(&w[1..]).and_then(positive).map(Self::Advance),
            "until" | "u" if rest.is_empty() => need("a time since T+0", "until 2d6h"),
            "until" | "u" => duration(rest.trim_start_matches("T+")).map(|d| Self::Until(d.after_start())),
            "choose" | "c" if rest.is_empty() => need("an option", "choose isolate we cannot risk the terminal"),
            "choose" | "c" => {
                let (option, rationale) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                Ok(Self::Choose { option: option.to_string(), rationale: rationale.trim().to_string() })
            }
            "inject" | "i" if rest.is_empty() => need("a contingency inject's id", "inject power-cut"),
            "inject" | "i" => Ok(Self::Inject(rest.to_string())),
            "note" | "o" if rest.is_empty() => need("some text", "note the port's CISO has not answered"),
            "note" | "o" => Ok(Self::Note(rest.to_string())),
            "observe" | "r" => {
                let mut words = rest.splitn(3, char::is_whitespace);
                let (objective, rating, text) =
                    (words.next().unwrap_or(""), words.next().unwrap_or(""), words.next().unwrap_or("").trim());
                let example = "observe triage S the desk triaged the port's report in 40 minutes";
                match Observed::parse(rating) {
                    _ if objective.is_empty() || rating.is_empty() || text.is_empty() => {
                        need("an objective, a rating (P, S, M or U) and what was seen", example)
                    }
                    None => {
                        Err(format!("\"{rating}\" is not a rating: expected P, S, M or U (HSEEP), e.g. `{example}`"))
                    }
                    Some(rating) => {
                        Ok(Self::Observe { objective: objective.to_string(), rating, text: text.to_string() })
                    }
                }
            }
            "branch" | "b" if rest.is_empty() => need("an answered decision's id", "branch port-response"),
            "branch" | "b" => Ok(Self::Branch(rest.to_string())),
            "switch" | "s" => match rest.parse::<usize>() {
                Ok(n) if n >= 1 => Ok(Self::Switch(n)),
                _ => need("a branch number from 1", "switch 1"),
            },
            "undo" | "z" => no_argument(Self::Undo),
            "truth" | "t" => no_argument(Self::Truth),
            "show" | "board" => no_argument(Self::Show),
            "branches" => no_argument(Self::Branches),
            "help" | "?" | "h" => Ok(Self::Help),
            "end" | "e" => no_argument(Self::End),
            "quit" | "q" | "exit" => no_argument(Self::Quit),
            _ => Err(format!("unknown command \"{word}\"; type `help` for the list")),
        })
    }

    /// The line the journal stores: parses back to the same command.
    pub fn to_line(&self) -> String {
        match self {
            Self::Next => "next".into(),
            Self::Advance(d) => format!("advance {}", format_duration(*d)),
            Self::Until(t) => format!("until {}", format_duration(t.since_start())),
            Self::Choose { option, rationale } if rationale.is_empty() => format!("choose {option}"),
            Self::Choose { option, rationale } => format!("choose {option} {rationale}"),
            Self::Inject(id) => format!("inject {id}"),
            Self::Note(text) => format!("note {text}"),
            Self::Observe { objective, rating, text } => {
                format!("observe {objective} {} {text}", rating.rating().as_str())
            }
            Self::Branch(id) => format!("branch {id}"),
            Self::Switch(n) => format!("switch {n}"),
            Self::Undo => "undo".into(),
            Self::Truth => "truth".into(),
            Self::Show => "show".into(),
            Self::Branches => "branches".into(),
            Self::Help => "help".into(),
            Self::End => "end".into(),
            Self::Quit => "quit".into(),
        }
    }

    /// Commands that change the exercise (and so are journaled); the others
    /// only change what is shown.
    pub fn changes_the_exercise(&self) -> bool {
        !matches!(self, Self::Truth | Self::Show | Self::Branches | Self::Help | Self::Quit)
    }
}

fn positive(d: SimDuration) -> Result<SimDuration, String> {
    if d.is_zero() { Err("the duration must be more than 0".into()) } else { Ok(d) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_and_print_back() {
        for line in [
            "next",
            "advance 1h30m",
            "until 2d6h",
            "choose isolate the terminal must not be hit",
            "choose monitor",
            "inject power-cut",
            "note the CISO is unreachable",
            "observe triage S the desk triaged in 40 minutes",
            "branch port-response",
            "switch 2",
            "undo",
            "end",
        ] {
            let command = Command::parse(line).unwrap().unwrap();
            assert_eq!(command.to_line(), line);
        }
        assert_eq!(Command::parse("+2h"), Some(Ok(Command::Advance(SimDuration::from_hours(2)))));
        assert_eq!(Command::parse("  # a comment"), None);
        assert_eq!(Command::parse(""), None);
    }

    #[test]
    fn mistakes_say_what_was_expected() {
        let err = |line: &str| Command::parse(line).unwrap().unwrap_err();
        assert_eq!(err("advance"), "`advance` needs a duration, e.g. `advance 1h`");
        assert_eq!(err("advance soon"), "\"soon\" is not a duration: expected e.g. 30m, 1h, 2d6h");
        assert_eq!(err("advance 0m"), "the duration must be more than 0");
        assert_eq!(err("fly"), "unknown command \"fly\"; type `help` for the list");
        assert_eq!(err("next 2"), "`next` takes no argument (got \"2\")");
        assert_eq!(
            err("observe triage"),
            "`observe` needs an objective, a rating (P, S, M or U) and what was seen, e.g. \
             `observe triage S the desk triaged the port's report in 40 minutes`"
        );
        assert_eq!(
            err("observe triage good fast"),
            "\"good\" is not a rating: expected P, S, M or U (HSEEP), e.g. \
             `observe triage S the desk triaged the port's report in 40 minutes`"
        );
        assert_eq!(err("switch x"), "`switch` needs a branch number from 1, e.g. `switch 1`");
    }
}
