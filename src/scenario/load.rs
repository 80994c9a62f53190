//! From a file on disk (plus `--set` overrides) to a validated [`Scenario`], or
//! every problem found, each located at `file:line:column`.

use super::InjectId;
use super::diagnostic::{Diagnostic, Diagnostics, Origin, closest};
use super::overrides::{self, EditedText, Override, Provenance};
use super::raw::RawScenario;
use super::syntax_tree::{self, line_column, offset_of};
use super::validate::{Problem, validate};
use super::validated::Scenario;
use ron::error::{Error as RonError, SpannedError};
use std::path::Path;

/// Reads, overrides, parses and validates a scenario file. The file is named in
/// diagnostics as the user wrote its path.
pub fn load_file(path: &Path, overrides: &[Override]) -> Result<Scenario, Diagnostics> {
    let file = path.display().to_string();
    let text = read_text(path, "the scenario")?;
    load_str(&file, &text, overrides)
}

/// A text file as an editor shows it: UTF-8 (bad bytes are an error at their
/// line and column), without a byte-order mark, with `\n` line endings (CRLF and
/// old Mac CR are converted, so positions match the editor's).
fn read_text(path: &Path, what: &str) -> Result<String, Diagnostics> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => e.to_string(),
        };
        Diagnostics(vec![Diagnostic {
            origin: Origin::File { file: file.clone() },
            message: format!("cannot read {what}: {reason}"),
        }])
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        // Where the bad bytes are, as an editor counts: the text before them is valid.
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let (line, column) = line_column(valid, valid.len());
        Diagnostics(vec![Diagnostic {
            origin: Origin::Position {
                file: file.clone(),
                line,
                column,
                source_line: valid.lines().last().filter(|_| !valid.ends_with('\n')).unwrap_or("").to_string(),
            },
            message: format!("bytes that are not UTF-8 text: save {what} as UTF-8"),
        }])
    })?;
    Ok(editor_text(&text).into_owned())
}

/// Editors' conventions that say nothing about the content: a UTF-8 byte-order
/// mark, and CRLF or old Mac line endings (a lone CR would put every error on
/// line 1). What remains has the positions the user sees in an editor.
fn editor_text(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// As [`load_file`], for text already in memory (tests, the console's branches).
pub fn load_str(file: &str, text: &str, overrides: &[Override]) -> Result<Scenario, Diagnostics> {
    let text = editor_text(text);
    let text = text.as_ref();
    let locator = Locator::new(file, text);
    if text.trim().is_empty() {
        return Err(Diagnostics(vec![Diagnostic {
            origin: Origin::File { file: file.to_string() },
            message: "the file is empty: expected a scenario, Scenario(version: 1, name: ..., ...)".into(),
        }]));
    }
    if overrides.is_empty() {
        let unedited = EditedText { text: text.to_string(), placed: Vec::new() };
        let raw = parse_raw(text).map_err(|e| Diagnostics(vec![locator.ron_error(text, &e, &unedited)]))?;
        return locator.validated(&unedited, &raw);
    }
    let tree = match syntax_tree::parse(text) {
        Ok(tree) => tree,
        // The file itself is broken: report that first, as without overrides.
        Err(tree_error) => {
            let unedited = EditedText { text: text.to_string(), placed: Vec::new() };
            let diagnostic = match parse_raw(text) {
                Err(e) => locator.ron_error(text, &e, &unedited),
                Ok(_) => locator.at(
                    &unedited,
                    tree_error.offset,
                    "ttx cannot locate values in this file for --set; write the value in the file instead".into(),
                ),
            };
            return Err(Diagnostics(vec![diagnostic]));
        }
    };
    // A bare word (`--set currency=USD`) is first tried as written, since it may
    // name a variant; when ron then stops inside it, it is tried once more as
    // text, and the first error is kept if that does not help either.
    let mut as_text = vec![false; overrides.len()];
    let mut first_error: Option<(usize, Diagnostic)> = None;
    loop {
        let edits = overrides::plan_edits(&tree, overrides, &as_text).map_err(|problems| {
            Diagnostics(
                problems
                    .into_iter()
                    .map(|(assignment, message)| Diagnostic { origin: Origin::Override { assignment }, message })
                    .collect(),
            )
        })?;
        let edited = overrides::apply(text, edits);
        let error = match parse_raw(&edited.text) {
            Ok(raw) => return locator.validated(&edited, &raw),
            Err(e) => locator.ron_error(&edited.text, &e, &edited),
        };
        let blamed = match &error.origin {
            Origin::Override { assignment } => overrides.iter().rposition(|o| &o.label() == assignment),
            _ => None,
        };
        match (blamed, first_error.take()) {
            (Some(i), None) if !as_text[i] && overrides::bare_word(&overrides[i].value) => {
                as_text[i] = true;
                first_error = Some((i, error));
            }
            (Some(i), Some((j, first))) if i == j => return Err(Diagnostics(vec![first])),
            _ => return Err(Diagnostics(vec![error])),
        }
    }
}

fn parse_raw(text: &str) -> Result<RawScenario, SpannedError> {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME).from_str(text)
}

struct Locator<'a> {
    file: &'a str,
    original: &'a str,
    lines: syntax_tree::LineIndex,
}

impl<'a> Locator<'a> {
    fn new(file: &'a str, original: &'a str) -> Self {
        Self { file, original, lines: syntax_tree::LineIndex::new(original) }
    }
}

impl Locator<'_> {
    /// Checks what serde cannot see (a map key given twice) and validates; the
    /// scenario carries its warnings, located like errors.
    fn validated(&self, edited: &EditedText, raw: &RawScenario) -> Result<Scenario, Diagnostics> {
        if let Ok(tree) = syntax_tree::parse(&edited.text) {
            let duplicates = syntax_tree::duplicate_keys(&tree, &edited.text);
            if !duplicates.is_empty() {
                return Err(Diagnostics(
                    duplicates
                        .into_iter()
                        .map(|(offset, key)| self.at(edited, offset, duplicate_key_message(&key)))
                        .collect(),
                ));
            }
        }
        let (mut scenario, warnings) = validate(raw).map_err(|problems| self.problems(edited, problems))?;
        scenario.warnings = self.problems(edited, warnings).0;
        Ok(scenario)
    }

    fn at(&self, edited: &EditedText, offset: usize, message: String) -> Diagnostic {
        let origin = match edited.provenance(offset) {
            Provenance::Override(assignment) => Origin::Override { assignment },
            Provenance::Original(original_offset) => {
                let (line, column) = self.lines.line_column(self.original, original_offset);
                Origin::Position {
                    file: self.file.to_string(),
                    line,
                    column,
                    source_line: self.lines.line(self.original, line).to_string(),
                }
            }
        };
        Diagnostic { origin, message }
    }

    fn ron_error(&self, text: &str, error: &SpannedError, edited: &EditedText) -> Diagnostic {
        let offset = offset_of(text, error.span.start.line, error.span.start.col);
        // ron may place an error on the blank before the bad value: when that value
        // came from an override, the override is what to blame.
        let token = offset + text[offset..].len() - text[offset..].trim_start().len();
        let offset = match edited.provenance(token) {
            Provenance::Override(_) => token,
            Provenance::Original(_) => offset,
        };
        let message = decimal_for_integer(text, offset).unwrap_or_else(|| describe_ron_error(&error.code));
        self.at(edited, offset, message)
    }

    fn problems(&self, edited: &EditedText, problems: Vec<Problem>) -> Diagnostics {
        let tree = syntax_tree::parse(&edited.text).ok();
        let mut located: Vec<(usize, Diagnostic)> = problems
            .into_iter()
            .map(|p| {
                let offset = tree.as_ref().map_or(0, |t| t.locate(&p.path).0.start);
                (offset, self.at(edited, offset, p.message))
            })
            .collect();
        located.sort_by_key(|(offset, _)| *offset);
        Diagnostics(located.into_iter().map(|(_, d)| d).collect())
    }
}

fn duplicate_key_message(key: &str) -> String {
    format!("key {key} is given twice in this map; give each key once")
}

/// ron reads `maturity: 1.5` as the integer 1 followed by stray text and says it
/// expected a comma. When an error sits on the `.` of a decimal number, the number
/// is what to explain.
fn decimal_for_integer(text: &str, offset: usize) -> Option<String> {
    let (before, after) = text.split_at_checked(offset)?;
    let fraction = after.strip_prefix('.')?;
    let digits_after = fraction.bytes().take_while(u8::is_ascii_digit).count();
    let digits_before = before.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits_after == 0 || digits_before == 0 {
        return None;
    }
    let number = &text[offset - digits_before..offset + 1 + digits_after];
    Some(format!("expected a whole number here, found {number}"))
}

/// ron's messages, reworded to say what was found and what was expected in the
/// terms of the scenario format.
fn describe_ron_error(code: &RonError) -> String {
    let one_of = |expected: &[&str]| expected.join(", ");
    let hint = |found: &str, expected: &'static [&'static str]| match closest(found, expected.iter().copied()) {
        Some(near) => format!("; did you mean \"{near}\"?"),
        None => format!("; expected one of: {}", one_of(expected)),
    };
    let inside = |outer: &Option<String>| outer.as_ref().map(|o| format!(" in {o}")).unwrap_or_default();
    match code {
        RonError::NoSuchStructField { expected, found, outer } => {
            format!("unknown field \"{found}\"{}{}", inside(outer), hint(found, expected))
        }
        RonError::MissingStructField { field, outer } => {
            format!("missing field \"{field}\"{}", inside(outer))
        }
        RonError::DuplicateStructField { field, outer } => {
            format!("field \"{field}\" is given twice{}", inside(outer))
        }
        RonError::NoSuchEnumVariant { expected, found, outer } => {
            let what = outer.as_deref().unwrap_or("variant");
            format!("unknown {what} \"{found}\"{}", hint(found, expected))
        }
        RonError::ExpectedDifferentStructName { expected, found } => {
            format!("expected {expected}(...) here, found {found}(...)")
        }
        RonError::Eof => "unexpected end of file: a bracket or parenthesis is not closed".into(),
        RonError::InvalidValueForType { expected, found } => {
            format!("expected {expected}, found {found}")
        }
        RonError::TrailingCharacters => "unexpected text after the end of the scenario".into(),
        RonError::ExceededRecursionLimit => format!(
            "values nested more than {} deep; a scenario needs only a few levels of brackets",
            syntax_tree::MAX_DEPTH
        ),
        // ron's own advice (`r#name`) is about raw identifiers, which no scenario
        // field takes: the user meant a text value or a variant name.
        RonError::SuggestRawIdentifier(found) | RonError::InvalidIdentifier(found) => {
            format!("unexpected name `{found}`; a text value goes in double quotes: \"{found}\"")
        }
        RonError::IntegerOutOfBounds => "number out of range for this field".into(),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            chars.next().map(|c| c.to_lowercase().collect::<String>() + chars.as_str()).unwrap_or(text)
        }
    }
}

/// Reads a decisions file, a RON map from decision id to option id
/// (`{"isolate-port": "isolate"}`), against `scenario`. Returns (inject index,
/// option index) pairs; every unknown id is reported with its position.
pub fn load_decisions(path: &Path, scenario: &Scenario) -> Result<Vec<(InjectId, usize)>, Diagnostics> {
    let file = path.display().to_string();
    let text = read_text(path, "the decisions file")?;
    let locator = Locator::new(&file, &text);
    let unedited = EditedText { text: text.clone(), placed: Vec::new() };
    let map: std::collections::BTreeMap<String, String> =
        ron::from_str(&text).map_err(|e| Diagnostics(vec![locator.ron_error(&text, &e, &unedited)]))?;
    let tree = syntax_tree::parse(&text).ok();
    if let Some(tree) = &tree {
        let duplicates = syntax_tree::duplicate_keys(tree, &text);
        if !duplicates.is_empty() {
            return Err(Diagnostics(
                duplicates
                    .into_iter()
                    .map(|(offset, key)| locator.at(&unedited, offset, duplicate_key_message(&format!("\"{key}\""))))
                    .collect(),
            ));
        }
    }
    let position = |key: &str, value: bool| -> usize {
        let Some(syntax_tree::NodeKind::Map(entries)) = tree.as_ref().map(|t| &t.kind) else {
            return 0;
        };
        entries
            .iter()
            .find(|(k, _)| matches!(&k.kind, syntax_tree::NodeKind::Str(s) if s == key))
            .map_or(0, |(k, v)| if value { v.start } else { k.start })
    };
    // Contingency injects (no `at`) are delivered only by a facilitator in `ttx
    // play`; their decisions are made there, not in a file.
    let decisions: Vec<(InjectId, &super::Decision)> = scenario
        .each_inject()
        .filter(|(_, inj)| inj.at.is_some())
        .filter_map(|(i, inj)| inj.decision.as_ref().map(|d| (i, d)))
        .collect();
    let contingent = |id: &str| {
        scenario.injects.iter().find(|inj| inj.at.is_none() && inj.decision.as_ref().is_some_and(|d| d.id == id))
    };
    let mut chosen = Vec::new();
    let mut problems = Vec::new();
    for (decision_id, option_id) in &map {
        let Some((inject, decision)) = decisions.iter().find(|(_, d)| &d.id == decision_id) else {
            if let Some(inject) = contingent(decision_id) {
                problems.push((
                    position(decision_id, false),
                    format!(
                        "decision \"{decision_id}\" belongs to contingency inject \"{}\", which only a facilitator delivers (ttx play); a decisions file cannot choose it",
                        inject.id
                    ),
                ));
                continue;
            }
            let ids: Vec<&str> = decisions.iter().map(|(_, d)| d.id.as_str()).collect();
            let hint = match closest(decision_id, ids.iter().copied()) {
                Some(near) => format!("; did you mean \"{near}\"?"),
                None if ids.is_empty() => "; the scenario poses no decision".to_string(),
                None => format!("; expected one of: {}", ids.join(", ")),
            };
            problems.push((position(decision_id, false), format!("unknown decision \"{decision_id}\"{hint}")));
            continue;
        };
        match decision.options.iter().position(|o| &o.id == option_id) {
            Some(option) => chosen.push((*inject, option)),
            None => {
                let ids: Vec<&str> = decision.options.iter().map(|o| o.id.as_str()).collect();
                problems.push((
                    position(decision_id, true),
                    format!(
                        "decision \"{decision_id}\" has no option \"{option_id}\"; expected one of: {}",
                        ids.join(", ")
                    ),
                ));
            }
        }
    }
    if problems.is_empty() {
        return Ok(chosen);
    }
    problems.sort_by_key(|(offset, _)| *offset);
    Err(Diagnostics(problems.into_iter().map(|(offset, message)| locator.at(&unedited, offset, message)).collect()))
}
