//! A light syntax tree of a RON text that remembers where every value is.
//!
//! serde forgets positions once a value is parsed, yet every validation error must
//! name `line:column`, and `--set` must find the text of a value to replace it.
//! This tree is built from the same text `ron` parses; it understands enough RON
//! (structs, tuples, lists, maps, strings, comments, attributes) to locate values
//! by path, and leaves checking the grammar to `ron`.

/// One value of the text with its byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub start: usize,
    pub end: usize,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `Name(field: value, ...)` or `(field: value, ...)`; `open` is the byte just
    /// after `(`, where a missing field can be inserted.
    Struct {
        fields: Vec<(String, Node)>,
        open: usize,
    },
    /// `[a, b]`, `(a, b)`, `Some(a)`, `Variant(a)`.
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    Str(String),
    /// Numbers, booleans, identifiers, chars, `()`.
    Atom,
}

/// One step of a path into the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Field(String),
    Index(usize),
}

impl Node {
    /// Follows `path` as far as the text goes: the node itself when every segment
    /// exists, otherwise the deepest ancestor that does (so an error about a
    /// missing field points at the struct that lacks it).
    pub fn locate(&self, path: &[Segment]) -> (&Node, usize) {
        let mut node = self;
        for (depth, segment) in path.iter().enumerate() {
            match node.child(segment) {
                Some(child) => node = child,
                None => return (node, depth),
            }
        }
        (node, path.len())
    }

    pub fn child(&self, segment: &Segment) -> Option<&Node> {
        match (&self.kind, segment) {
            (NodeKind::Struct { fields, .. }, Segment::Field(name)) => {
                fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
            }
            (NodeKind::Seq(items), Segment::Index(i)) => items.get(*i),
            // `Some(x)` and newtype variants are transparent for field access.
            (NodeKind::Seq(items), Segment::Field(_)) if items.len() == 1 => items[0].child(segment),
            _ => None,
        }
    }

    /// The string value of field `name`, when this node is a struct that has it.
    pub fn string_field(&self, name: &str) -> Option<&str> {
        match &self.child(&Segment::Field(name.to_string()))?.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Every key given twice in one map, as (offset of the second, key as written);
/// serde would keep the last silently. Keys compare by value for strings and by
/// their text otherwise.
pub fn duplicate_keys(root: &Node, text: &str) -> Vec<(usize, String)> {
    fn walk(node: &Node, text: &str, found: &mut Vec<(usize, String)>) {
        match &node.kind {
            NodeKind::Struct { fields, .. } => fields.iter().for_each(|(_, v)| walk(v, text, found)),
            NodeKind::Seq(items) => items.iter().for_each(|v| walk(v, text, found)),
            NodeKind::Map(entries) => {
                let mut seen = std::collections::BTreeSet::new();
                for (key, value) in entries {
                    let name = match &key.kind {
                        NodeKind::Str(s) => s.clone(),
                        _ => text[key.start..key.end].to_string(),
                    };
                    if !seen.insert(name.clone()) {
                        found.push((key.start, name));
                    }
                    walk(value, text, found);
                }
            }
            NodeKind::Str(_) | NodeKind::Atom => {}
        }
    }
    // Depth is bounded by MAX_DEPTH, so the walk may recurse.
    let mut found = Vec::new();
    walk(root, text, &mut found);
    found
}

/// Where the tree builder gave up; `ron` reports the real error for such text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxTreeError {
    pub offset: usize,
}

pub fn parse(text: &str) -> Result<Node, SyntaxTreeError> {
    let mut parser = Parser { bytes: text.as_bytes(), text, pos: 0, depth: 0 };
    parser.skip_trivia()?;
    while parser.bytes[parser.pos..].starts_with(b"#!") {
        parser.skip_attribute()?;
        parser.skip_trivia()?;
    }
    let root = parser.value()?;
    parser.skip_trivia()?;
    if parser.pos != parser.bytes.len() {
        return Err(parser.error());
    }
    Ok(root)
}

/// 1-based line and column of a byte offset; columns count characters, as `ron`'s do.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Where each line of a text starts, for locating many offsets in one text
/// without rescanning it each time (a file with thousands of problems would
/// otherwise take quadratic time to report them).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Self { starts }
    }

    /// As [`line_column`].
    pub fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|start| *start <= offset);
        let start = self.starts[line - 1];
        (line, text[start..offset].chars().count() + 1)
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.starts.get(line.wrapping_sub(1)).copied().unwrap_or(text.len()).min(text.len());
        let end = self.starts.get(line).map_or(text.len(), |next| next - 1);
        let line = &text[start..end.max(start)];
        line.strip_suffix('\r').unwrap_or(line)
    }
}

/// Byte offset of a 1-based line and character column (the inverse of [`line_column`]).
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (index, content) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            let within = content.char_indices().nth(column.saturating_sub(1)).map_or(content.len(), |(i, _)| i);
            return offset + within;
        }
        offset += content.len();
    }
    text.len()
}

/// How deep values may nest: ron's own limit, so that every text the tree
/// accepts ron can parse, and a hostile file of nested brackets cannot exhaust the
/// stack (the builder recurses once a level).
pub const MAX_DEPTH: usize = 128;

/// Whitespace as ron reads it (`ron::parse::is_whitespace_char`): besides ASCII
/// whitespace, the vertical tab, form feed, NEL, the direction marks and the
/// Unicode line and paragraph separators. Any difference would make the tree give
/// up on files ron accepts, and every error would then lose its position.
fn is_ron_whitespace(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\x0B' | '\x0C' | '\u{85}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'
    )
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self) -> SyntaxTreeError {
        SyntaxTreeError { offset: self.pos }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn expect(&mut self, byte: u8) -> Result<(), SyntaxTreeError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn skip_trivia(&mut self) -> Result<(), SyntaxTreeError> {
        loop {
            match (self.peek(), self.bytes.get(self.pos + 1)) {
                (Some(b), _) if b.is_ascii() && is_ron_whitespace(char::from(b)) => self.pos += 1,
                (Some(b), _)
                    if b >= 0x80 && self.text.get(self.pos..).is_some_and(|t| t.starts_with(is_ron_whitespace)) =>
                {
                    self.pos += self.text[self.pos..].chars().next().map_or(1, char::len_utf8);
                }
                (Some(b'/'), Some(b'/')) => {
                    while self.peek().is_some_and(|b| b != b'\n') {
                        self.pos += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    self.pos += 2;
                    let mut depth = 1;
                    while depth > 0 {
                        match (self.peek(), self.bytes.get(self.pos + 1)) {
                            (None, _) => return Err(self.error()),
                            (Some(b'/'), Some(b'*')) => {
                                depth += 1;
                                self.pos += 2;
                            }
                            (Some(b'*'), Some(b'/')) => {
                                depth -= 1;
                                self.pos += 2;
                            }
                            _ => self.pos += 1,
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn skip_attribute(&mut self) -> Result<(), SyntaxTreeError> {
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b']' {
                return Ok(());
            }
        }
        Err(self.error())
    }

    fn value(&mut self) -> Result<Node, SyntaxTreeError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error());
        }
        self.depth += 1;
        let node = self.value_at_depth();
        self.depth -= 1;
        node
    }

    fn value_at_depth(&mut self) -> Result<Node, SyntaxTreeError> {
        let start = self.pos;
        let kind = match self.peek().ok_or_else(|| self.error())? {
            b'(' => return self.parenthesised(start),
            b'[' => NodeKind::Seq(self.sequence(b'[', b']')?),
            b'{' => self.map()?,
            b'"' => NodeKind::Str(self.string()?),
            b'\'' => {
                self.quoted_char()?;
                NodeKind::Atom
            }
            b'r' if matches!(self.bytes.get(self.pos + 1), Some(b'"' | b'#')) => NodeKind::Str(self.raw_string()?),
            b'b' if self.bytes.get(self.pos + 1) == Some(&b'"') => {
                self.pos += 1;
                NodeKind::Str(self.string()?)
            }
            b if b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.') => {
                self.number();
                NodeKind::Atom
            }
            b if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => {
                self.identifier();
                let after_name = self.pos;
                self.skip_trivia()?;
                if self.peek() == Some(b'(') {
                    return self.parenthesised(start);
                }
                self.pos = after_name;
                NodeKind::Atom
            }
            _ => return Err(self.error()),
        };
        Ok(Node { start, end: self.pos, kind })
    }

    fn identifier(&mut self) {
        if self.bytes[self.pos..].starts_with(b"r#") {
            self.pos += 2;
        }
        while self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80) {
            self.pos += 1;
        }
    }

    fn number(&mut self) {
        if matches!(self.peek(), Some(b'-' | b'+')) {
            self.pos += 1;
        }
        while let Some(b) = self.peek() {
            let exponent_sign = matches!(b, b'-' | b'+') && matches!(self.bytes[self.pos - 1], b'e' | b'E');
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || exponent_sign {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn string(&mut self) -> Result<String, SyntaxTreeError> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.pos..];
            let c = rest.chars().next().ok_or_else(|| self.error())?;
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let escaped = self.text[self.pos..].chars().next().ok_or_else(|| self.error())?;
                    self.pos += escaped.len_utf8();
                    out.push(match escaped {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        '0' => '\0',
                        other => other, // \" \\ and \u{..} kept approximately: ids never use them
                    });
                }
                c => out.push(c),
            }
        }
    }

    fn raw_string(&mut self) -> Result<String, SyntaxTreeError> {
        self.pos += 1; // r
        let hashes = self.bytes[self.pos..].iter().take_while(|b| **b == b'#').count();
        self.pos += hashes;
        self.expect(b'"')?;
        let terminator = format!("\"{}", "#".repeat(hashes));
        let rest = &self.text[self.pos..];
        let end = rest.find(&terminator).ok_or_else(|| self.error())?;
        self.pos += end + terminator.len();
        Ok(rest[..end].to_string())
    }

    fn quoted_char(&mut self) -> Result<(), SyntaxTreeError> {
        self.pos += 1;
        if self.peek() == Some(b'\\') {
            self.pos += 1;
        }
        let c = self.text[self.pos..].chars().next().ok_or_else(|| self.error())?;
        self.pos += c.len_utf8();
        while self.peek().is_some_and(|b| b != b'\'') {
            self.pos += 1; // rest of a \u{...} escape
        }
        self.expect(b'\'')
    }

    fn sequence(&mut self, open: u8, close: u8) -> Result<Vec<Node>, SyntaxTreeError> {
        self.expect(open)?;
        let mut items = Vec::new();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(close) {
                self.pos += 1;
                return Ok(items);
            }
            items.push(self.value()?);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b) if b == close => {}
                _ => return Err(self.error()),
            }
        }
    }

    fn map(&mut self) -> Result<NodeKind, SyntaxTreeError> {
        self.expect(b'{')?;
        let mut entries = Vec::new();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(b'}') {
                self.pos += 1;
                return Ok(NodeKind::Map(entries));
            }
            let key = self.value()?;
            self.skip_trivia()?;
            self.expect(b':')?;
            self.skip_trivia()?;
            let value = self.value()?;
            entries.push((key, value));
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return Err(self.error()),
            }
        }
    }

    /// After an optional name: `(field: v, ...)` becomes a struct, anything else a
    /// sequence.
    fn parenthesised(&mut self, start: usize) -> Result<Node, SyntaxTreeError> {
        self.expect(b'(')?;
        let open = self.pos;
        self.skip_trivia()?;
        if self.starts_named_field() {
            let mut fields = Vec::new();
            loop {
                self.skip_trivia()?;
                if self.peek() == Some(b')') {
                    self.pos += 1;
                    break;
                }
                let name_start = self.pos;
                self.identifier();
                let name = self.text[name_start..self.pos].trim_start_matches("r#").to_string();
                self.skip_trivia()?;
                self.expect(b':')?;
                self.skip_trivia()?;
                fields.push((name, self.value()?));
                self.skip_trivia()?;
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b')') => {}
                    _ => return Err(self.error()),
                }
            }
            return Ok(Node { start, end: self.pos, kind: NodeKind::Struct { fields, open } });
        }
        self.pos = open - 1;
        let items = self.sequence(b'(', b')')?;
        let kind = if items.is_empty() { NodeKind::Struct { fields: Vec::new(), open } } else { NodeKind::Seq(items) };
        Ok(Node { start, end: self.pos, kind })
    }

    fn starts_named_field(&mut self) -> bool {
        let saved = self.pos;
        let is_field = match self.peek() {
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                self.identifier();
                self.skip_trivia().is_ok() && self.peek() == Some(b':') && self.bytes.get(self.pos + 1) != Some(&b':')
            }
            _ => false,
        };
        self.pos = saved;
        is_field
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Segment {
        Segment::Field(name.to_string())
    }

    #[test]
    fn locates_nested_values_by_path() {
        let text = "// c\nScenario(\n  name: \"x\", /* y */\n  csirts: [Csirt(id: \"a\", analysts: -3)],\n  effort: Exponential(mean: \"1h\"),\n  opt: Some(\"z\"),\n)";
        let root = parse(text).unwrap();
        let (node, depth) = root.locate(&[field("csirts"), Segment::Index(0), field("analysts")]);
        assert_eq!(depth, 3);
        assert_eq!(&text[node.start..node.end], "-3");
        assert_eq!(line_column(text, node.start), (4, 37));
        let (node, _) = root.locate(&[field("effort"), field("mean")]);
        assert_eq!(&text[node.start..node.end], "\"1h\"");
        let (node, _) = root.locate(&[field("opt")]);
        assert_eq!(&text[node.start..node.end], "Some(\"z\")");
        let (node, depth) = root.locate(&[field("csirts"), Segment::Index(0), field("missing")]);
        assert_eq!((depth, &text[node.start..node.end]), (2, "Csirt(id: \"a\", analysts: -3)"));
        assert_eq!(root.locate(&[field("csirts"), Segment::Index(0)]).0.string_field("id"), Some("a"));
    }

    #[test]
    fn nesting_is_followed_to_rons_limit_and_no_deeper() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        assert_eq!(parse(&nested(MAX_DEPTH + 1)), Err(SyntaxTreeError { offset: MAX_DEPTH }));
        // A hostile depth is an error, not a stack overflow.
        assert!(parse(&nested(1_000_000)).is_err());
    }

    #[test]
    fn whitespace_is_what_ron_takes_for_whitespace() {
        let tree = parse("(a:\x0b1,\u{2028}b:\x0c2)").unwrap();
        assert!(matches!(&tree.kind, NodeKind::Struct { fields, .. } if fields.len() == 2));
    }

    #[test]
    fn the_line_index_agrees_with_line_column() {
        let text = "ab\ncdé\n\nf";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            if text.is_char_boundary(offset) {
                assert_eq!(index.line_column(text, offset), line_column(text, offset), "offset {offset}");
            }
        }
        assert_eq!(
            (index.line(text, 1), index.line(text, 2), index.line(text, 3), index.line(text, 4)),
            ("ab", "cdé", "", "f")
        );
    }

    #[test]
    fn offsets_and_positions_are_inverse() {
        let text = "ab\nçd\n\nef";
        for offset in [0, 1, 3, 5, 7, 8, 9] {
            let (l, c) = line_column(text, offset);
            assert_eq!(offset_of(text, l, c), offset, "offset {offset}");
        }
    }
}
