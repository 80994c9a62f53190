//! `--set KEY=VALUE`: change one value of a scenario without editing the file.
//!
//! A key is a dotted path. Struct fields are named (`horizon`, `seed`); items of a
//! list are picked by their `id` (or a step by its `name`), or by position
//! (`sops.triage.steps.0.effort`). Examples:
//!
//! ```text
//! --set csirts.fj-cert.analysts=4
//! --set streams.reports.rate=12/h
//! --set sops.triage.steps.triage.effort='Exponential(mean: "30m")'
//! --set streams.reports.limit=1000000
//! ```
//!
//! The value is one RON value, except that text may be written without its quotes
//! (`rate=12/h`, `name=rapid`, `currency=USD`): where the file has a string, or
//! where the bare word is not a RON value, it is quoted; where the file leaves the
//! field out and the word could be a variant name, it is tried as written and then
//! as text (see [`bare_word`]). A value must be exactly one value: `seed=1, horizon:
//! "9d"` is refused, never spliced into the file. The edit is made in the text and the result parsed
//! and validated like the file, so an override can never bypass a check; problems
//! in an overridden value are reported against the `--set` that put it there. A
//! field the file leaves at its default can be set too: it is inserted.

use super::diagnostic::closest;
use super::syntax_tree::{Node, NodeKind};

/// A `--set` that is not KEY=VALUE.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed override \"{assignment}\": {}", if *.empty_value { "the value after '=' is empty" } else { "expected KEY=VALUE, e.g. csirts.natcert.analysts=4" })]
pub struct MalformedOverride {
    pub assignment: String,
    /// There is a key and an '=', but nothing after it.
    pub empty_value: bool,
}

/// One `KEY=VALUE` from the command line (or a batch variant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub key: String,
    pub value: String,
    /// What put it there, as errors name it: `--set`, `--vary`, or a variant of
    /// the scenario's `variants` block.
    pub via: String,
}

impl Override {
    pub fn parse(assignment: &str) -> Result<Self, MalformedOverride> {
        let fail = |empty_value| MalformedOverride { assignment: assignment.to_string(), empty_value };
        match assignment.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() && value.trim().is_empty() => Err(fail(true)),
            Some((key, value)) if !key.trim().is_empty() => Ok(Self::new(key.trim(), value.trim())),
            _ => Err(fail(false)),
        }
    }

    /// A `--set` override.
    pub fn new(key: &str, value: &str) -> Self {
        Self { key: key.to_string(), value: value.to_string(), via: "--set".into() }
    }

    /// The same assignment, attributed to something else than `--set`.
    pub fn via(self, via: impl Into<String>) -> Self {
        Self { via: via.into(), ..self }
    }

    pub fn assignment(&self) -> String {
        format!("{}={}", self.key, self.value)
    }

    /// How errors name it: `--set KEY=VALUE`.
    pub fn label(&self) -> String {
        format!("{} {}", self.via, self.assignment())
    }
}

/// A replacement of `start..end` in the original text.
#[derive(Debug, Clone)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
    pub key: String,
    /// The override's [`Override::label`].
    pub assignment: String,
}

/// The edited text and where each edit landed in it, to trace positions back.
#[derive(Debug, Clone)]
pub struct EditedText {
    pub text: String,
    /// `(start in edited text, end in edited text, original edit)`, in text order.
    pub placed: Vec<(usize, usize, Edit)>,
}

/// Where a byte of the edited text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    Original(usize),
    Override(String),
}

impl EditedText {
    pub fn provenance(&self, offset: usize) -> Provenance {
        let mut shift: isize = 0;
        for (start, end, edit) in &self.placed {
            if offset < *start {
                break;
            }
            if offset < *end || offset == *start {
                return Provenance::Override(edit.assignment.clone());
            }
            shift += (edit.end - edit.start) as isize - (end - start) as isize;
        }
        Provenance::Original((offset as isize + shift).max(0) as usize)
    }
}

/// Resolves every override against the tree of the original text; all problems
/// are returned together, each with the assignment it belongs to.
///
/// `as_text[i]` asks that override `i`, a bare word, be written as text (the
/// loader's second try, when the word as written did not fit the field).
pub fn plan_edits(root: &Node, overrides: &[Override], as_text: &[bool]) -> Result<Vec<Edit>, Vec<(String, String)>> {
    let mut edits: Vec<Edit> = Vec::new();
    let mut problems = Vec::new();
    for (i, o) in overrides.iter().enumerate() {
        match resolve(root, o, as_text.get(i).copied().unwrap_or(false)) {
            Ok(edit) => {
                // A later --set of the same key wins, as on most command lines.
                edits.retain(|e| !same_key(e, o));
                edits.push(edit);
            }
            Err(message) => problems.push((o.label(), message)),
        }
    }
    edits.sort_by_key(|e| (e.start, e.end));
    for pair in edits.windows(2) {
        if pair[1].start < pair[0].end {
            problems.push((
                pair[1].assignment.clone(),
                format!("overlaps with {}; set the outer value or the inner one, not both", pair[0].assignment),
            ));
        }
    }
    if problems.is_empty() { Ok(edits) } else { Err(problems) }
}

fn same_key(edit: &Edit, o: &Override) -> bool {
    edit.key == o.key
}

pub fn apply(text: &str, edits: Vec<Edit>) -> EditedText {
    let mut out = String::with_capacity(text.len());
    let mut placed = Vec::new();
    let mut cursor = 0;
    for edit in edits {
        out.push_str(&text[cursor..edit.start]);
        let start = out.len();
        out.push_str(&edit.replacement);
        placed.push((start, out.len(), edit.clone()));
        cursor = edit.end;
    }
    out.push_str(&text[cursor..]);
    EditedText { text: out, placed }
}

/// A value written without quotes that can only be meant as text, or as text or a
/// name: no RON brackets, quotes or commas in it, and not a raw string.
pub fn bare_word(value: &str) -> bool {
    !value.is_empty()
        && !value.starts_with("r\"")
        && !value.starts_with("r#")
        && !value.chars().any(|c| matches!(c, '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}' | ','))
}

fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The text that goes into the scenario for `value`: itself when it is one RON
/// value, quoted when it is a bare word that must be text.
///
/// `in_file`: the kind of value the file has there (`None` for a field the file
/// leaves out, whose type the text cannot tell).
fn replacement(value: &str, in_file: Option<&NodeKind>, as_text: bool) -> Result<String, String> {
    let is_string_literal = value.starts_with('"') || value.starts_with("r\"") || value.starts_with("r#");
    let file_has_string = matches!(in_file, Some(NodeKind::Str(_)));
    if file_has_string && !is_string_literal || as_text && bare_word(value) {
        return Ok(quoted(value));
    }
    match super::syntax_tree::parse(value) {
        Ok(_) => Ok(value.to_string()),
        Err(_) if in_file.is_none() && bare_word(value) => Ok(quoted(value)),
        Err(e) => Err(format!(
            "the value `{value}` is not one RON value (at character {}); write a single value, quoting text: \
             a number, \"text\", a list [..] or Name(field: ..)",
            value[..e.offset.min(value.len())].chars().count() + 1
        )),
    }
}

/// A field name that may be inserted into the text as it is.
fn is_field_name(segment: &str) -> bool {
    let mut chars = segment.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn resolve(root: &Node, o: &Override, as_text: bool) -> Result<Edit, String> {
    let segments: Vec<&str> = o.key.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "malformed key \"{}\": expected names separated by dots, e.g. csirts.fj-cert.analysts",
            o.key
        ));
    }
    let mut node = root;
    for (depth, segment) in segments.iter().enumerate() {
        let walked = segments[..depth].join(".");
        let place = if walked.is_empty() { "the scenario".to_string() } else { format!("\"{walked}\"") };
        match &node.kind {
            NodeKind::Struct { fields, open } => match fields.iter().find(|(name, _)| name == segment) {
                Some((_, child)) => node = child,
                None if depth + 1 == segments.len() && is_field_name(segment) => {
                    let separator = if fields.is_empty() { "" } else { ", " };
                    return Ok(Edit {
                        start: *open,
                        end: *open,
                        replacement: format!("{segment}: {}{separator}", replacement(&o.value, None, as_text)?),
                        key: o.key.clone(),
                        assignment: o.label(),
                    });
                }
                None => {
                    let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
                    let hint = closest(segment, names.iter().copied())
                        .map(|n| format!("; did you mean \"{n}\"?"))
                        .unwrap_or_else(|| format!("; it has: {}", names.join(", ")));
                    return Err(format!("{place} has no field \"{segment}\"{hint}"));
                }
            },
            NodeKind::Seq(items) => {
                let by_index = segment.parse::<usize>().ok().and_then(|i| items.get(i));
                let by_id = || {
                    items.iter().find(|item| {
                        item.string_field("id") == Some(segment) || item.string_field("name") == Some(segment)
                    })
                };
                match by_index.or_else(by_id) {
                    Some(child) => node = child,
                    None => {
                        let ids: Vec<&str> = items
                            .iter()
                            .filter_map(|i| i.string_field("id").or_else(|| i.string_field("name")))
                            .collect();
                        let hint = closest(segment, ids.iter().copied())
                            .map(|n| format!("; did you mean \"{n}\"?"))
                            .unwrap_or_else(|| format!("; it has: {}", ids.join(", ")));
                        return Err(format!("{place} has no item \"{segment}\"{hint}"));
                    }
                }
            }
            _ => {
                return Err(format!("{place} is a single value; \"{segment}\" cannot be found inside it"));
            }
        }
    }
    let replacement = replacement(&o.value, Some(&node.kind), as_text)?;
    Ok(Edit { start: node.start, end: node.end, replacement, key: o.key.clone(), assignment: o.label() })
}
