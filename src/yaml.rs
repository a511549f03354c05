//! The one place YAML is read: text checks, a location-aware tree, a schema walk that reports
//! every structural problem at once, and the typed parse.
//!
//! serde stops at the first error, which is unkind to a pack author with three typos. So every
//! file is first read into a small tree that keeps the line and column of each key and value; that
//! tree is walked against the JSON Schema derived from the serde types (so the two never drift),
//! collecting every unknown field, wrong type and missing field. Only a file that passes is then
//! deserialised into the typed model, and later semantic checks find their locations by path in
//! the same tree.

use std::borrow::Cow;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;
use serde_saphyr::{Budget, MessageFormatter, Options, Spanned};

use crate::diag::{Diagnostic, Pos};

/// Largest input file rehearse reads, in bytes. Packs and answer files are prose; anything larger
/// is almost certainly the wrong file, and refusing it keeps memory and time bounded.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// A YAML value with the position it starts at.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value starts.
    pub pos: Pos,
    /// The value.
    pub value: Value,
}

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A mapping, keys in document order with their own positions.
    Map(Vec<(Key, Node)>),
    /// A sequence.
    Seq(Vec<Node>),
    /// A string scalar.
    Str(String),
    /// A whole number.
    Int(i64),
    /// A number with a fraction (or too large for `i64`).
    Float(f64),
    /// `true` / `false` (and YAML 1.1 spellings such as `no`, which trip authors up).
    Bool(bool),
    /// `~`, `null` or nothing.
    Null,
}

/// A mapping key and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// Where the key starts.
    pub pos: Pos,
}

/// One step of a path from the root of a document to a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index, 0-based.
    Index(usize),
}

/// Builds a path from a list of segments: `path!["questions", 3, "id"]`.
#[macro_export]
macro_rules! path {
    ($($seg:expr),* $(,)?) => {
        ::std::vec::Vec::<$crate::yaml::Seg>::from([$($crate::yaml::Seg::from($seg)),*])
    };
}

impl From<&str> for Seg {
    fn from(s: &str) -> Self {
        Seg::Key(s.to_string())
    }
}

impl From<String> for Seg {
    fn from(s: String) -> Self {
        Seg::Key(s)
    }
}

impl From<&String> for Seg {
    fn from(s: &String) -> Self {
        Seg::Key(s.clone())
    }
}

impl From<usize> for Seg {
    fn from(i: usize) -> Self {
        Seg::Index(i)
    }
}

/// Renders a path as authors write it: `questions[3].steps[0].id`.
pub fn display_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() {
        out.push_str("the top level");
    }
    out
}

impl Node {
    /// The value at `path`, if it exists.
    pub fn get(&self, path: &[Seg]) -> Option<&Node> {
        let mut node = self;
        for seg in path {
            node = match (seg, &node.value) {
                (Seg::Key(k), Value::Map(entries)) => {
                    &entries.iter().find(|(key, _)| &key.name == k)?.1
                }
                (Seg::Index(i), Value::Seq(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Where the value at `path` is, or its nearest ancestor that exists (a missing field is
    /// reported at the mapping that lacks it).
    pub fn locate(&self, path: &[Seg]) -> Pos {
        (0..=path.len())
            .rev()
            .find_map(|n| self.get(&path[..n]).map(|node| node.pos))
            .unwrap_or(self.pos)
    }

    /// Where the key of the last segment of `path` is written, falling back to [`Node::locate`].
    pub fn locate_key(&self, path: &[Seg]) -> Pos {
        if let Some((Seg::Key(name), parent)) = path.split_last()
            && let Some(Node {
                value: Value::Map(entries),
                ..
            }) = self.get(parent)
            && let Some((key, _)) = entries.iter().find(|(k, _)| &k.name == name)
        {
            return key.pos;
        }
        self.locate(path)
    }

    fn type_name(&self) -> &'static str {
        match self.value {
            Value::Map(_) => "a mapping",
            Value::Seq(_) => "a list",
            Value::Str(_) => "a string",
            Value::Int(_) => "a whole number",
            Value::Float(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Null => "nothing (null)",
        }
    }
}

/// Checks that `bytes` is a non-empty UTF-8 text no larger than [`MAX_FILE_BYTES`], and returns it
/// as text. `what` says what the file should contain, for the empty-file message.
pub fn text_of<'a>(file: &str, bytes: &'a [u8], what: &str) -> Result<&'a str, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::file(
            file,
            format!(
                "file is {} bytes, over the limit of {} bytes (4 MiB); is this the right file?",
                bytes.len(),
                MAX_FILE_BYTES
            ),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let pos = pos_of_offset(&String::from_utf8_lossy(&bytes[..e.valid_up_to()]), None);
            return Err(Diagnostic::at(
                file,
                pos,
                "not UTF-8 text (a binary file?); save the file as UTF-8",
            ));
        }
    };
    if let Some(offset) = text.find('\0') {
        return Err(Diagnostic::at(
            file,
            pos_of_offset(text, Some(offset)),
            "contains a NUL byte, so it is not a text file; is this the right file?",
        ));
    }
    if text.trim().is_empty() {
        return Err(Diagnostic::file(
            file,
            format!("file is empty; it should contain {what}"),
        ));
    }
    Ok(text)
}

/// The 1-based line and column of byte `offset` in `text` (the end when `None`).
fn pos_of_offset(text: &str, offset: Option<usize>) -> Pos {
    let upto = &text[..offset.unwrap_or(text.len())];
    let line = upto.matches('\n').count() + 1;
    let column = upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos::new(line as u32, column as u32)
}

fn options() -> Options {
    let mut budget = Budget::default();
    // Packs are prose with light structure: these bounds are generous for any real pack and
    // reject alias bombs and pathological nesting in milliseconds.
    budget.max_depth = 48;
    budget.max_aliases = 2_000;
    budget.max_anchors = 2_000;
    budget.max_events = 400_000;
    budget.max_nodes = 200_000;
    budget.max_recorded_anchor_events = 50_000;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    options
}

/// Turns a parser error into a diagnostic, without the parser's own location prefix or snippet:
/// the message says what usually causes it, and the diagnostic shows the line with a caret.
fn parse_diagnostic(file: &str, text: &str, err: &serde_saphyr::Error) -> Diagnostic {
    let plain = err.without_snippet();
    let message: Cow<'_, str> = serde_saphyr::DefaultMessageFormatter.format_message(plain);
    let mut message = tidy_parser_message(&message);
    match err.location() {
        Some(loc) if loc.line() > 0 => {
            let pos = Pos::new(loc.line() as u32, loc.column().max(1) as u32);
            if message.starts_with("YAML syntax") {
                let line = text.lines().nth(pos.line as usize - 1).unwrap_or("");
                if let Some(hint) = syntax_hint(&message, line) {
                    message.push_str("; ");
                    message.push_str(hint);
                }
            }
            Diagnostic::at(file, pos, message).with_snippet(text)
        }
        _ => Diagnostic::file(file, message),
    }
}

/// What usually causes a YAML syntax error, from the parser's words and the line it points at.
/// The parser describes what it expected; an author needs the mistake that made it expect that.
fn syntax_hint(message: &str, line: &str) -> Option<&'static str> {
    let m = message.to_ascii_lowercase();
    let indent = &line[..line.len() - line.trim_start().len()];
    if m.contains("tab") || indent.contains('\t') {
        return Some(
            "YAML does not allow tabs for indentation: indent with spaces (two per level is usual)",
        );
    }
    if m.contains("':'") || m.contains("mapping values") {
        return Some(
            "usually a value that contains `: ` without quotes (write `title: \"Caching: why\"`), \
             or a bracket or quote left open on the line before",
        );
    }
    if m.contains("unclosed")
        || m.contains("end of stream")
        || m.contains("quoted scalar")
        || m.contains("flow sequence")
        || m.contains("flow mapping")
    {
        return Some("a quote or bracket opened here is never closed: close it");
    }
    if m.contains("indent")
        || m.contains("expected '-'")
        || m.contains("block")
        || m.contains("expected key")
    {
        return Some(
            "usually indentation: items of one list, or keys of one mapping, must start in the \
             same column, indented with spaces",
        );
    }
    if m.contains("anchor") || m.contains("alias") {
        return Some(
            "`&` and `*` start anchors and aliases in YAML: quote a value that begins with them",
        );
    }
    None
}

/// The parser's messages are good but written for developers; these rewrites say what to do.
fn tidy_parser_message(message: &str) -> String {
    let message = message
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(message)
        .trim()
        .to_string();
    if message.starts_with("duplicate mapping key") {
        return format!("{message}; each key may appear once in a mapping");
    }
    if message.contains("budget breached") {
        return if message.contains("Depth") {
            "nested deeper than 48 levels; a pack never needs that much nesting".to_string()
        } else if message.contains("Alias") || message.contains("RecordedAnchor") {
            "expands too many aliases (an alias bomb?); write the content out instead of \
             repeating aliases"
                .to_string()
        } else if message.contains("Anchor") {
            // Anchors alone expand nothing: too many of them is clutter, not a bomb.
            "defines more than 2000 anchors (`&name`); a pack needs few if any, so remove the \
             ones no alias (`*name`) uses"
                .to_string()
        } else {
            "the document is too large or too complex for a pack; split it into several files"
                .to_string()
        };
    }
    if message.contains("multiple YAML documents") {
        return "a second YAML document starts here (`---`); a pack or answers file is one \
                document, so remove the `---` line or move what follows into its own file"
            .to_string();
    }
    format!("YAML syntax: {message}")
}

/// Parses `text` into a location-aware tree. Syntax errors, duplicate keys and exceeded budgets
/// (alias bombs, deep nesting) come back as one diagnostic: the parser cannot go past them.
pub fn parse_tree(file: &str, text: &str) -> Result<Node, Diagnostic> {
    refuse_tags(file, text)?;
    let spanned: Spanned<RawValue> = serde_saphyr::from_str_with_options(text, options())
        .map_err(|e| parse_diagnostic(file, text, &e))?;
    Ok(spanned_to_node(spanned))
}

/// Refuses YAML tags other than the core schema's (`!!str`, `!!int` and the like): a tag such as
/// `!!python/object:os.system` asks some YAML readers to build an object or run code. rehearse
/// would ignore it, but a pack carrying one is either broken or probing, and the author should
/// hear so rather than have it accepted in silence. Tags need a `!`, so text without one is not
/// scanned; a syntax error is left to the tree parser, which reports it better.
fn refuse_tags(file: &str, text: &str) -> Result<(), Diagnostic> {
    use granit_parser::{Event, Parser};
    if !text.contains('!') {
        return Ok(());
    }
    let mut parser = Parser::new_from_str(text);
    while let Some(Ok((event, span))) = parser.next_event() {
        let tag = match &event {
            Event::Scalar(_, _, _, tag)
            | Event::SequenceStart(_, _, tag)
            | Event::MappingStart(_, _, tag) => tag,
            _ => continue,
        };
        if let Some(tag) = tag.as_ref().filter(|t| !t.is_yaml_core_schema()) {
            let shown = match tag.handle() {
                "tag:yaml.org,2002:" => format!("!!{}", tag.suffix()),
                handle => format!("{handle}{}", tag.suffix()),
            };
            // The event starts at the value; the tag is the `!` word just before it.
            let line = span.start.line() as u32;
            let mut column = span.start.col() as u32 + 1;
            if let Some(offset) = span.start.byte_offset().filter(|&o| o <= text.len()) {
                let before = &text[..offset];
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let words = before[line_start..].trim_end();
                if let Some(word) = words.rsplit(' ').next().filter(|w| w.starts_with('!')) {
                    column = words[..words.len() - word.len()].chars().count() as u32 + 1;
                }
            }
            return Err(Diagnostic::at(
                file,
                Pos::new(line, column),
                format!(
                    "the YAML tag `{shown}` is not part of this format; remove it (rehearse \
                     reads plain text, numbers and lists, and never turns YAML into objects)"
                ),
            ));
        }
    }
    Ok(())
}

/// Deserialises `text` into `T`. Call it after [`check_schema`] found nothing, so errors here are
/// rare; they still come back located.
pub fn parse_typed<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options(text, options())
        .map_err(|e| parse_diagnostic(file, text, &e))
}

/// Deserialises a file that has a JSON copy made at build time: from the copy when it has one
/// that reads as `T`, otherwise from the YAML, whose errors name the line and column.
pub fn parse_with_copy<T: DeserializeOwned>(
    file: &str,
    yaml: &str,
    json: Option<&str>,
) -> Result<T, Diagnostic> {
    match json.map(serde_json::from_str) {
        Some(Ok(value)) => Ok(value),
        _ => parse_typed(file, yaml),
    }
}

fn spanned_to_node(s: Spanned<RawValue>) -> Node {
    let pos = Pos::new(s.referenced.line() as u32, s.referenced.column() as u32);
    let value = match s.value {
        RawValue::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        pos: Pos::new(k.referenced.line() as u32, k.referenced.column() as u32),
                        name: k.value.0,
                    };
                    (key, spanned_to_node(v))
                })
                .collect(),
        ),
        RawValue::Seq(items) => Value::Seq(items.into_iter().map(spanned_to_node).collect()),
        RawValue::Str(s) => Value::Str(s),
        RawValue::Int(i) => Value::Int(i),
        RawValue::Float(f) => Value::Float(f),
        RawValue::Bool(b) => Value::Bool(b),
        RawValue::Null => Value::Null,
    };
    Node { pos, value }
}

/// What the parser hands back before positions are folded in.
enum RawValue {
    Map(Vec<(Spanned<KeyText>, Spanned<RawValue>)>),
    Seq(Vec<Spanned<RawValue>>),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
}

/// A mapping key rendered as text, whatever scalar it was written as.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RawValue::deserialize(d).map(|v| {
            KeyText(match v {
                RawValue::Str(s) => s,
                RawValue::Int(i) => i.to_string(),
                RawValue::Float(f) => f.to_string(),
                RawValue::Bool(b) => b.to_string(),
                RawValue::Null => "null".to_string(),
                RawValue::Map(_) | RawValue::Seq(_) => "<complex key>".to_string(),
            })
        })
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = RawValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::Str(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<RawValue, E> {
                Ok(RawValue::Str(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawValue, E> {
                Ok(RawValue::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
                Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Int))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<RawValue, E> {
                Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Int))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<RawValue, E> {
                Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Int))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue::Float(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
                RawValue::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<RawValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(RawValue::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawValue, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = a.next_key()? {
                    entries.push((key, a.next_value()?));
                }
                Ok(RawValue::Map(entries))
            }
        }
        d.deserialize_any(RawVisitor)
    }
}

/// Walks `node` against a JSON Schema (as produced by schemars for the serde types) and reports
/// every unknown field, missing field, wrong type, out-of-range number and unknown enum value it
/// finds.
pub fn check_schema(file: &str, node: &Node, schema: &Json) -> Vec<Diagnostic> {
    check_and_repair(file, node, schema).problems
}

/// What the schema walk found, and a repaired copy of the document for the checks after it.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Every structural problem, located.
    pub problems: Vec<Diagnostic>,
    /// The document as JSON with each problem mended so that it deserialises: unknown fields and
    /// bad optional values left out, a misspelt enum value replaced by the value it is closest to,
    /// and placeholders where a required value is missing or unusable. `None` only when the
    /// document itself is unusable (not a mapping where one is needed).
    pub repaired: Option<Json>,
    /// Paths whose content in `repaired` is a placeholder: checks of meaning should say nothing
    /// under them, since the author never wrote what they would be talking about.
    pub placeholders: Vec<Vec<Seg>>,
}

impl Checked {
    /// True when `path` lies under a placeholder.
    pub fn is_placeholder(&self, path: &[Seg]) -> bool {
        under_any(&self.placeholders, path)
    }
}

/// True when `path` starts with one of `prefixes`.
pub fn under_any(prefixes: &[Vec<Seg>], path: &[Seg]) -> bool {
    prefixes.iter().any(|p| path.starts_with(p))
}

/// Walks `node` against `schema` like [`check_schema`], and repairs what it reports, so that the
/// semantic checks can still run on a file with structural problems and every problem of a file
/// comes out in one run, not one round after another.
pub fn check_and_repair(file: &str, node: &Node, schema: &Json) -> Checked {
    let mut walker = Walker {
        file,
        root: schema,
        out: Vec::new(),
        placeholders: Vec::new(),
    };
    let repaired = walker.check(node, schema, &mut Vec::new());
    Checked {
        problems: walker.out,
        repaired,
        placeholders: walker.placeholders,
    }
}

/// A string no author can write in a YAML scalar that passes the text checks (it holds a NUL),
/// so a placeholder never collides with a real id.
const PLACEHOLDER: &str = "\u{0}";

struct Walker<'a> {
    file: &'a str,
    root: &'a Json,
    out: Vec<Diagnostic>,
    placeholders: Vec<Vec<Seg>>,
}

impl<'a> Walker<'a> {
    fn resolve(&self, mut schema: &'a Json) -> &'a Json {
        // Follow `$ref`s into `$defs`; a bounded loop guards against a self-referencing schema.
        for _ in 0..16 {
            match schema.get("$ref").and_then(Json::as_str) {
                Some(r) => {
                    let name = r.rsplit('/').next().unwrap_or(r);
                    match self.root.get("$defs").and_then(|d| d.get(name)) {
                        Some(s) => schema = s,
                        None => return schema,
                    }
                }
                None => return schema,
            }
        }
        schema
    }

    fn report(&mut self, pos: Pos, message: String) {
        self.out.push(Diagnostic::at(self.file, pos, message));
    }

    /// Checks `node`; returns its repaired value, or `None` when it cannot be kept at all.
    fn check(&mut self, node: &Node, schema: &'a Json, path: &mut Vec<Seg>) -> Option<Json> {
        let schema = self.resolve(schema);
        if let Some(variants) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            let variants: Vec<&Json> = variants.as_array().into_iter().flatten().collect();
            return self.check_variants(node, &variants, path);
        }
        if let Some(allowed) = schema.get("enum").and_then(Json::as_array) {
            return self.check_enum(node, allowed.iter().collect(), path);
        }
        if let Some(c) = schema.get("const") {
            return self.check_enum(node, vec![c], path);
        }
        let types = schema_types(schema);
        if types.is_empty() {
            return Some(to_json(node));
        }
        if !types.iter().any(|t| type_matches(t, node)) {
            let expected = types
                .iter()
                .filter(|t| *t != "null")
                .map(|t| type_phrase(t))
                .collect::<Vec<_>>()
                .join(" or ");
            let mut message = format!(
                "{}: expected {}, found {}",
                display_path(path),
                expected,
                node.type_name()
            );
            if let Value::Bool(b) = node.value
                && types.iter().any(|t| t == "string")
            {
                message.push_str(&format!(
                    "; YAML reads words like yes/no/on/off as booleans ({b}): put the value in quotes"
                ));
            }
            self.report(node.pos, message);
            return None;
        }
        match &node.value {
            Value::Map(entries) => Some(self.check_map(node, entries, schema, path)),
            Value::Seq(items) => {
                let Some(item_schema) = schema.get("items") else {
                    return Some(to_json(node));
                };
                let mut repaired = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    let value = match self.check(item, item_schema, path) {
                        Some(v) => v,
                        // Kept in place, so the indexes of the items after it do not shift.
                        None => self.placeholder_at(item_schema, path),
                    };
                    repaired.push(value);
                    path.pop();
                }
                Some(Json::Array(repaired))
            }
            Value::Int(_) | Value::Float(_) => self.check_range(node, schema, path),
            _ => Some(to_json(node)),
        }
    }

    /// A number against `minimum` and `maximum`.
    fn check_range(&mut self, node: &Node, schema: &Json, path: &[Seg]) -> Option<Json> {
        let (value, shown) = match node.value {
            Value::Int(i) => (i as f64, i.to_string()),
            Value::Float(f) => (f, f.to_string()),
            _ => return Some(to_json(node)),
        };
        let min = schema.get("minimum").and_then(Json::as_f64);
        let max = schema.get("maximum").and_then(Json::as_f64);
        let low = min.is_some_and(|m| value < m || value.is_nan());
        let high = max.is_some_and(|m| value > m);
        if !low && !high {
            return Some(to_json(node));
        }
        let range = match (min, max) {
            (Some(a), Some(b)) => format!("from {a} to {b}"),
            (Some(a), None) => format!("of at least {a}"),
            (None, Some(b)) => format!("of at most {b}"),
            (None, None) => String::new(),
        };
        let what = if schema_types(schema).iter().any(|t| t == "integer") {
            "a whole number"
        } else {
            "a number"
        };
        let mut message = format!(
            "{}: expected {what} {range}, found {shown}",
            display_path(path)
        );
        // `x-note` (an extension editors ignore) says what the number counts.
        if let Some(note) = schema.get("x-note").and_then(Json::as_str) {
            message.push_str(&format!(" ({note})"));
        }
        self.report(node.pos, message);
        None
    }

    fn check_map(
        &mut self,
        node: &Node,
        entries: &[(Key, Node)],
        schema: &'a Json,
        path: &mut Vec<Seg>,
    ) -> Json {
        let properties = schema.get("properties").and_then(Json::as_object);
        let additional = schema.get("additionalProperties");
        let known: Vec<&str> = properties
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .collect();
        let mut repaired = serde_json::Map::new();
        for (key, value) in entries {
            path.push(Seg::Key(key.name.clone()));
            if let Some(prop) = properties.and_then(|p| p.get(&key.name)) {
                match self.check(value, prop, path) {
                    Some(v) => {
                        repaired.insert(key.name.clone(), v);
                    }
                    // A bad required value is replaced; a bad optional one is left out, and the
                    // field takes its default.
                    None if required.contains(&key.name.as_str()) => {
                        let v = self.placeholder_at(prop, path);
                        repaired.insert(key.name.clone(), v);
                    }
                    None => {}
                }
            } else {
                match additional {
                    Some(Json::Bool(false)) => {
                        let parent = display_path(&path[..path.len() - 1]);
                        let mut message = format!("unknown field `{}` in {parent}", key.name);
                        match suggest(&key.name, &known) {
                            Some(s) => message.push_str(&format!("; did you mean `{s}`?")),
                            None => message.push_str(&format!(
                                "; expected one of: {}",
                                known
                                    .iter()
                                    .map(|k| format!("`{k}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                        }
                        self.report(key.pos, message);
                    }
                    Some(extra @ Json::Object(_)) => {
                        let key_ok = match schema.get("propertyNames") {
                            Some(names) => {
                                let key_node = Node {
                                    pos: key.pos,
                                    value: Value::Str(key.name.clone()),
                                };
                                self.check(&key_node, names, path)
                            }
                            None => Some(Json::String(key.name.clone())),
                        };
                        let value = self.check(value, extra, path);
                        // A misspelt key is kept under the name it was mended to.
                        if let (Some(Json::String(k)), Some(v)) = (key_ok, value) {
                            repaired.insert(k, v);
                        }
                    }
                    _ => {
                        repaired.insert(key.name.clone(), to_json(value));
                    }
                }
            }
            path.pop();
        }
        for name in required {
            if !entries.iter().any(|(k, _)| k.name == name) {
                self.report(
                    node.pos,
                    format!("missing field `{name}` in {}", display_path(path)),
                );
                if let Some(prop) = properties.and_then(|p| p.get(name)) {
                    path.push(Seg::Key(name.to_string()));
                    let v = self.placeholder_at(prop, path);
                    path.pop();
                    repaired.insert(name.to_string(), v);
                }
            }
        }
        Json::Object(repaired)
    }

    fn check_variants(
        &mut self,
        node: &Node,
        variants: &[&'a Json],
        path: &mut Vec<Seg>,
    ) -> Option<Json> {
        let consts: Vec<&Json> = variants
            .iter()
            .filter_map(|v| self.resolve(v).get("const"))
            .collect();
        if !consts.is_empty() && consts.len() == variants.len() {
            return self.check_enum(node, consts, path);
        }
        if matches!(node.value, Value::Null) && variants.iter().any(|v| self.is_null_only(v)) {
            return Some(Json::Null);
        }
        // Otherwise check against the first variant that is not `null`: for `Option<T>`, the
        // errors of `T` are what the author needs. A variant without a `type` (a `$ref` to an
        // enum, say) is not `null`.
        let first = variants.iter().find(|v| !self.is_null_only(v));
        match first {
            Some(first) => self.check(node, first, path),
            None => Some(to_json(node)),
        }
    }

    /// True for a schema that only admits `null`.
    fn is_null_only(&self, schema: &Json) -> bool {
        let types = schema_types(self.resolve(schema));
        !types.is_empty() && types.iter().all(|t| t == "null")
    }

    fn check_enum(&mut self, node: &Node, allowed: Vec<&Json>, path: &[Seg]) -> Option<Json> {
        let names: Vec<&str> = allowed.iter().filter_map(|v| v.as_str()).collect();
        let ok = match &node.value {
            Value::Str(s) => names.contains(&s.as_str()),
            Value::Null => allowed.iter().any(|v| v.is_null()),
            _ => false,
        };
        if ok {
            return Some(to_json(node));
        }
        let found = match &node.value {
            Value::Str(s) => format!("`{s}`"),
            _ => node.type_name().to_string(),
        };
        let mut message = format!(
            "{}: unknown value {found}; expected one of: {}",
            display_path(path),
            names.join(", ")
        );
        let suggestion = match &node.value {
            Value::Str(s) => suggest(s, &names),
            _ => None,
        };
        if let Some(s) = suggestion {
            message.push_str(&format!(" (did you mean `{s}`?)"));
        }
        self.report(node.pos, message);
        // Checked further as the value it was most likely meant to be, so problems that depend
        // on it (the steps of a kind, say) are still found in this run.
        suggestion.map(|s| Json::String(s.to_string()))
    }

    /// A placeholder for a required value at `path` that is missing or unusable, remembered so
    /// that nothing is reported about its made-up content. An enum placeholder (the first value)
    /// would steer checks that depend on it, so the whole mapping around it is set aside then.
    fn placeholder_at(&mut self, schema: &'a Json, path: &[Seg]) -> Json {
        let value = self.placeholder(schema, 0);
        let is_choice = {
            let s = self.resolve(schema);
            s.get("enum").is_some()
                || s.get("const").is_some()
                || s.get("oneOf").is_some()
                || s.get("anyOf").is_some()
        };
        let at = if is_choice && !path.is_empty() {
            path[..path.len() - 1].to_vec()
        } else {
            path.to_vec()
        };
        self.placeholders.push(at);
        value
    }

    /// The smallest value `schema` admits, as far as the typed model needs one.
    fn placeholder(&self, schema: &'a Json, depth: usize) -> Json {
        let schema = self.resolve(schema);
        if depth > 16 {
            return Json::Null;
        }
        if let Some(variants) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            let variants: Vec<&Json> = variants.as_array().into_iter().flatten().collect();
            if variants.iter().any(|v| self.is_null_only(v)) {
                return Json::Null;
            }
            return variants
                .first()
                .map_or(Json::Null, |v| self.placeholder(v, depth + 1));
        }
        if let Some(first) = schema
            .get("enum")
            .and_then(Json::as_array)
            .and_then(|a| a.first())
        {
            return first.clone();
        }
        if let Some(c) = schema.get("const") {
            return c.clone();
        }
        let types = schema_types(schema);
        let number = |default: Json| {
            schema
                .get("minimum")
                .cloned()
                .filter(Json::is_number)
                .unwrap_or(default)
        };
        match types.first().map(String::as_str) {
            _ if types.iter().any(|t| t == "null") => Json::Null,
            Some("object") => {
                let mut map = serde_json::Map::new();
                let properties = schema.get("properties");
                for name in schema
                    .get("required")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Json::as_str)
                {
                    if let Some(prop) = properties.and_then(|p| p.get(name)) {
                        map.insert(name.to_string(), self.placeholder(prop, depth + 1));
                    }
                }
                Json::Object(map)
            }
            Some("array") => Json::Array(Vec::new()),
            Some("string") => Json::String(PLACEHOLDER.to_string()),
            Some("integer") => number(Json::from(0)),
            Some("number") => number(Json::from(0.0)),
            Some("boolean") => Json::Bool(false),
            _ => Json::Null,
        }
    }
}

/// A node as plain JSON (positions dropped). A number JSON cannot hold (NaN, infinity) becomes
/// `null`.
fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Str(s) => Json::String(s.clone()),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Bool(b) => Json::Bool(*b),
        Value::Null => Json::Null,
    }
}

fn schema_types(schema: &Json) -> Vec<String> {
    match schema.get("type") {
        Some(Json::String(t)) => vec![t.clone()],
        Some(Json::Array(ts)) => ts
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn type_matches(t: &str, node: &Node) -> bool {
    matches!(
        (t, &node.value),
        ("object", Value::Map(_))
            | ("array", Value::Seq(_))
            | ("string", Value::Str(_))
            | ("integer", Value::Int(_))
            | ("number", Value::Int(_) | Value::Float(_))
            | ("boolean", Value::Bool(_))
            | ("null", Value::Null)
    )
}

fn type_phrase(t: &str) -> &'static str {
    match t {
        "object" => "a mapping",
        "array" => "a list",
        "string" => "a string",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        _ => "a value",
    }
}

/// The closest candidate to a misspelt name, when one is close enough to be a likely typo.
pub fn suggest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_keeps_positions_of_keys_and_values() {
        let tree = parse_tree("f.yaml", "a: 1\nb:\n  - x\n  - {c: true}\n").unwrap();
        assert_eq!(tree.locate_key(&path!["b"]), Pos::new(2, 1));
        assert_eq!(tree.locate(&path!["b", 1, "c"]), Pos::new(4, 9));
        // A missing leaf is located at its nearest existing ancestor.
        assert_eq!(tree.locate(&path!["b", 0, "zzz"]), Pos::new(3, 5));
    }

    #[test]
    fn duplicate_keys_are_rejected_with_their_position() {
        let err = parse_tree("f.yaml", "a: 1\na: 2\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos::new(2, 1)));
        assert!(err.message.starts_with("duplicate mapping key"), "{err}");
    }

    #[test]
    fn text_checks_catch_empty_binary_and_huge_files() {
        assert!(
            text_of("f", b"  \n", "a pack")
                .unwrap_err()
                .message
                .contains("empty")
        );
        let err = text_of("f", b"ok\n\xff\xfe", "a pack").unwrap_err();
        assert_eq!(err.pos, Some(Pos::new(2, 1)));
        assert!(
            text_of("f", b"a\0b", "a pack")
                .unwrap_err()
                .message
                .contains("NUL")
        );
        let huge = vec![b'a'; MAX_FILE_BYTES + 1];
        assert!(
            text_of("f", &huge, "a pack")
                .unwrap_err()
                .message
                .contains("limit")
        );
    }

    #[test]
    fn syntax_errors_show_the_line_a_caret_and_the_usual_cause() {
        let err = parse_tree("f.yaml", "a: 1\nlist:\n\t- x\n").unwrap_err();
        assert!(err.message.contains("indent with spaces"), "{err}");
        assert_eq!(
            err.snippet.as_deref(),
            Some("2 | list:\n3 | \u{2192}- x\n  |  ^"),
            "{err}"
        );
        let err = parse_tree("f.yaml", "title: Caching: when and why\n").unwrap_err();
        assert!(err.message.contains("without quotes"), "{err}");
        let shown = err.to_string();
        assert!(
            shown.ends_with("1 | title: Caching: when and why\n  |               ^"),
            "{shown}"
        );
        // Control characters in the file never reach the terminal through a snippet.
        let err = parse_tree("f.yaml", "a: \u{1b}[2J: b\n").unwrap_err();
        assert!(!err.to_string().contains('\u{1b}'), "{err}");
    }

    fn pack_schema() -> Json {
        crate::pack::schema::pack_file()
    }

    #[test]
    fn an_enum_behind_an_option_is_checked_and_suggested() {
        let tree = parse_tree(
            "f.yaml",
            "format_version: 1\nid: p\ntitle: T\nversion: 1.0.0\nquestions:\n  - {id: q, kind: trade-off, title: T, prompt: P, level: senor}\n",
        )
        .unwrap();
        let problems = check_schema("f.yaml", &tree, &pack_schema());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0]
                .message
                .starts_with("questions[0].level: unknown value `senor`")
                && problems[0].message.ends_with("(did you mean `senior`?)"),
            "{problems:?}"
        );
    }

    #[test]
    fn the_repaired_document_reads_as_the_model_with_placeholders_marked() {
        let text = "format_version: 1\nid: p\ntitle: T\nversion: 1.0.0\nquestions:\n  - id: q\n    kind: tradeoff\n    title: T\n    prompt: P\n    time_budget: 999\n    tilte: x\n  - id: r\n    kind: behavioural\n    title: R\n  - just text\n";
        let tree = parse_tree("f.yaml", text).unwrap();
        let checked = check_and_repair("f.yaml", &tree, &pack_schema());
        // kind, time_budget, tilte; kind and prompt of the second; the third is not a question.
        assert_eq!(checked.problems.len(), 6, "{:?}", checked.problems);
        let pack: crate::model::pack::PackFile =
            serde_json::from_value(checked.repaired.clone().unwrap()).unwrap();
        assert_eq!(pack.questions.len(), 3, "indexes do not shift");
        assert_eq!(pack.questions[0].kind, crate::model::pack::Kind::TradeOff);
        assert_eq!(
            pack.questions[0].time_budget, None,
            "a bad optional value is left out"
        );
        assert!(!checked.is_placeholder(&path!["questions", 0]));
        // An unknown kind with no likely meaning sets its whole question aside.
        assert!(checked.is_placeholder(&path!["questions", 1, "facts"]));
        assert!(checked.is_placeholder(&path!["questions", 2, "id"]));
    }

    #[test]
    fn suggestions_need_a_close_match() {
        assert_eq!(suggest("promt", &["prompt", "title"]), Some("prompt"));
        assert_eq!(suggest("zzzz", &["prompt", "title"]), None);
    }

    /// A value that counts every scalar, sequence and mapping the parser hands it, and gives up
    /// (as an error) past `LIMIT`, so a parser without a budget fails this test instead of
    /// expanding a billion nodes.
    #[derive(Debug)]
    struct Counted;

    thread_local! {
        static HANDED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }

    impl Counted {
        const LIMIT: u64 = 1_000_000;

        fn count<E: de::Error>() -> Result<Counted, E> {
            let n = HANDED.with(|h| {
                h.set(h.get() + 1);
                h.get()
            });
            if n > Self::LIMIT {
                return Err(E::custom("the parser handed over more than the limit"));
            }
            Ok(Counted)
        }
    }

    impl<'de> Deserialize<'de> for Counted {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Counted;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("anything")
                }
                fn visit_str<E: de::Error>(self, _: &str) -> Result<Counted, E> {
                    Counted::count()
                }
                fn visit_unit<E: de::Error>(self) -> Result<Counted, E> {
                    Counted::count()
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Counted, A::Error> {
                    while a.next_element::<Counted>()?.is_some() {}
                    Counted::count()
                }
                fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Counted, A::Error> {
                    while a.next_entry::<Counted, Counted>()?.is_some() {}
                    Counted::count()
                }
            }
            d.deserialize_any(V)
        }
    }

    #[test]
    fn alias_bomb_is_refused_after_bounded_work() {
        // Eleven levels of ten aliases each: 10^12 scalars once expanded.
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse_tree("bomb.yaml", &doc).unwrap_err();
        assert!(e.message.contains("alias bomb"), "{e}");
        // Work is counted, not timed: with the same options the parser stops after handing over
        // at most what the budget allows (50,000 replayed events), far from the limit above.
        HANDED.with(|h| h.set(0));
        let e = serde_saphyr::from_str_with_options::<Counted>(&doc, options()).unwrap_err();
        let handed = HANDED.with(std::cell::Cell::get);
        assert!(e.to_string().contains("budget"), "{e}");
        assert!(handed <= 60_000, "the parser handed over {handed} values");
    }

    #[test]
    fn anchors_without_aliases_are_not_called_a_bomb() {
        let doc: String = (0..5000).map(|i| format!("k{i}: &a{i} v\n")).collect();
        let e = parse_tree("anchors.yaml", &doc).unwrap_err();
        assert!(e.message.contains("more than 2000 anchors"), "{e}");
        assert!(!e.message.contains("bomb"), "{e}");
    }

    #[test]
    fn tags_that_ask_for_objects_are_refused_where_they_are() {
        let e = parse_tree("t.yaml", "a: 1\nb: !!python/object:os.system [ls]\n").unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(2, 4)), "{e}");
        assert!(e.message.contains("`!!python/object:os.system`"), "{e}");
        assert!(parse_tree("t.yaml", "a: !custom x\n").is_err());
        // Core-schema tags are plain YAML, and a `!` in prose is no tag.
        assert!(parse_tree("t.yaml", "a: !!str 12\nb: Great!\n").is_ok());
    }

    #[test]
    fn a_second_document_is_explained_in_our_words() {
        let e = parse_tree("two.yaml", "a: 1\n---\nb: 2\n").unwrap_err();
        assert!(
            e.message.contains("a second YAML document starts here"),
            "{e}"
        );
        assert!(!e.message.contains("from_str"), "{e}");
    }

    #[test]
    fn deep_nesting_is_rejected_not_overflowed() {
        let doc = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_tree("deep.yaml", &doc).is_err());
        let doc = (0..5_000)
            .map(|i| format!("{}- \n", " ".repeat(i)))
            .collect::<String>();
        assert!(parse_tree("deep.yaml", &doc).is_err());
    }
}
