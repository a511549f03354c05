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

/// Turns a parser error into a diagnostic, without the parser's own location prefix or snippet.
fn parse_diagnostic(file: &str, err: &serde_saphyr::Error) -> Diagnostic {
    let plain = err.without_snippet();
    let message: Cow<'_, str> = serde_saphyr::DefaultMessageFormatter.format_message(plain);
    let message = tidy_parser_message(&message);
    match err.location() {
        Some(loc) if loc.line() > 0 => Diagnostic::at(
            file,
            Pos::new(loc.line() as u32, loc.column().max(1) as u32),
            message,
        ),
        _ => Diagnostic::file(file, message),
    }
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
        .map_err(|e| parse_diagnostic(file, &e))?;
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
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| parse_diagnostic(file, &e))
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
/// every unknown field, missing field, wrong type and unknown enum value it finds.
pub fn check_schema(file: &str, node: &Node, schema: &Json) -> Vec<Diagnostic> {
    let mut walker = Walker {
        file,
        root: schema,
        out: Vec::new(),
    };
    walker.check(node, schema, &mut Vec::new());
    walker.out
}

struct Walker<'a> {
    file: &'a str,
    root: &'a Json,
    out: Vec<Diagnostic>,
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

    fn check(&mut self, node: &Node, schema: &'a Json, path: &mut Vec<Seg>) {
        let schema = self.resolve(schema);
        if let Some(variants) = schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            let variants: Vec<&Json> = variants.as_array().into_iter().flatten().collect();
            self.check_variants(node, &variants, path);
            return;
        }
        if let Some(allowed) = schema.get("enum").and_then(Json::as_array) {
            self.check_enum(node, allowed.iter().collect(), path);
            return;
        }
        if let Some(c) = schema.get("const") {
            self.check_enum(node, vec![c], path);
            return;
        }
        let types = schema_types(schema);
        if types.is_empty() {
            return;
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
            return;
        }
        match &node.value {
            Value::Map(entries) => self.check_map(node, entries, schema, path),
            Value::Seq(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        path.push(Seg::Index(i));
                        self.check(item, item_schema, path);
                        path.pop();
                    }
                }
            }
            Value::Int(i) => {
                let min = schema.get("minimum").and_then(Json::as_f64);
                let max = schema.get("maximum").and_then(Json::as_f64);
                if min.is_some_and(|m| (*i as f64) < m) || max.is_some_and(|m| (*i as f64) > m) {
                    let range = match (min, max) {
                        (Some(a), Some(b)) => format!("from {a} to {b}"),
                        (Some(a), None) => format!("of at least {a}"),
                        (None, Some(b)) => format!("of at most {b}"),
                        (None, None) => String::new(),
                    };
                    self.report(
                        node.pos,
                        format!(
                            "{}: expected a number {range}, found {i}",
                            display_path(path)
                        ),
                    );
                }
            }
            _ => {}
        }
    }

    fn check_map(
        &mut self,
        node: &Node,
        entries: &[(Key, Node)],
        schema: &'a Json,
        path: &mut Vec<Seg>,
    ) {
        let properties = schema.get("properties").and_then(Json::as_object);
        let additional = schema.get("additionalProperties");
        let known: Vec<&str> = properties
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for (key, value) in entries {
            path.push(Seg::Key(key.name.clone()));
            if let Some(prop) = properties.and_then(|p| p.get(&key.name)) {
                self.check(value, prop, path);
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
                        if let Some(names) = schema.get("propertyNames") {
                            let key_node = Node {
                                pos: key.pos,
                                value: Value::Str(key.name.clone()),
                            };
                            self.check(&key_node, names, path);
                        }
                        self.check(value, extra, path);
                    }
                    _ => {}
                }
            }
            path.pop();
        }
        let required = schema.get("required").and_then(Json::as_array);
        for name in required.into_iter().flatten().filter_map(Json::as_str) {
            if !entries.iter().any(|(k, _)| k.name == name) {
                self.report(
                    node.pos,
                    format!("missing field `{name}` in {}", display_path(path)),
                );
            }
        }
    }

    fn check_variants(&mut self, node: &Node, variants: &[&'a Json], path: &mut Vec<Seg>) {
        let consts: Vec<&Json> = variants
            .iter()
            .filter_map(|v| self.resolve(v).get("const"))
            .collect();
        if !consts.is_empty() && consts.len() == variants.len() {
            self.check_enum(node, consts, path);
            return;
        }
        if matches!(node.value, Value::Null)
            && variants
                .iter()
                .any(|v| schema_types(self.resolve(v)).iter().any(|t| t == "null"))
        {
            return;
        }
        // Otherwise report against the first variant that is not `null`: for `Option<T>`, the
        // errors of `T` are what the author needs.
        let first = variants
            .iter()
            .find(|v| !schema_types(self.resolve(v)).iter().all(|t| t == "null"));
        if let Some(first) = first {
            self.check(node, first, path);
        }
    }

    fn check_enum(&mut self, node: &Node, allowed: Vec<&Json>, path: &[Seg]) {
        let names: Vec<&str> = allowed.iter().filter_map(|v| v.as_str()).collect();
        let ok = match &node.value {
            Value::Str(s) => names.contains(&s.as_str()),
            Value::Null => allowed.iter().any(|v| v.is_null()),
            _ => false,
        };
        if ok {
            return;
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
        if let Value::Str(s) = &node.value
            && let Some(s) = suggest(s, &names)
        {
            message.push_str(&format!(" (did you mean `{s}`?)"));
        }
        self.report(node.pos, message);
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
