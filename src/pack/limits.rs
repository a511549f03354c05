//! The rubric limits checked on a file's YAML tree, before anything else reads it.
//!
//! A pack that asks for 12,000 criteria is refused by the rubric compiler too, but only after
//! the schema walk, the typed parse and the semantic checks have been through all of them, which
//! took seconds; and the compiler sees the pack's criteria merged with the default rubric's, so
//! it could only point at the rubric as a whole. Counting the lists here costs one pass over the
//! tree, refuses such a file right after it is read, and points at the key whose list is too
//! long, with the number the author wrote. The compiler keeps its own checks for what only it
//! sees: the merged totals and the cost of each pattern.

use crate::diag::Diagnostic;
use crate::rubric::pattern::MAX_GROUP_ENTRIES;
use crate::rubric::{MAX_ANTI_PATTERNS, MAX_CRITERIA, MAX_PATTERNS};
use crate::yaml::{Key, Node, Value};

/// Where a rubric can sit in a file of this kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `pack.yaml` or a single-file pack: a `rubric:` and questions, each with a `rubric:`.
    Manifest,
    /// A question file of a directory pack: questions, each with a `rubric:`.
    Questions,
    /// A directory pack's `rubric.yaml`: a rubric at the top level.
    Rubric,
}

/// Every list in the file's rubrics that is longer than its limit, located at its key.
pub fn check(file: &str, tree: &Node, kind: FileKind) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut rubric = |node: &Node| check_rubric(file, node, &mut out);
    match kind {
        FileKind::Rubric => rubric(tree),
        FileKind::Manifest | FileKind::Questions => {
            if kind == FileKind::Manifest
                && let Some(r) = field(tree, "rubric")
            {
                rubric(&r.1);
            }
            if let Some((_, questions)) = field(tree, "questions")
                && let Value::Seq(items) = &questions.value
            {
                for q in items {
                    if let Some(r) = field(q, "rubric") {
                        rubric(&r.1);
                    }
                }
            }
        }
    }
    out
}

/// The entry of mapping `node` with key `name`.
fn field<'a>(node: &'a Node, name: &str) -> Option<&'a (Key, Node)> {
    match &node.value {
        Value::Map(entries) => entries.iter().find(|(k, _)| k.name == name),
        _ => None,
    }
}

/// The items of the sequence under `key`, when it is one.
fn items(entry: &(Key, Node)) -> &[Node] {
    match &entry.1.value {
        Value::Seq(items) => items,
        _ => &[],
    }
}

fn check_rubric(file: &str, rubric: &Node, out: &mut Vec<Diagnostic>) {
    let mut over = |key: &Key, message: String| out.push(Diagnostic::at(file, key.pos, message));
    for (name, limit, why) in [
        (
            "criteria",
            MAX_CRITERIA,
            "every criterion is matched against every sentence of every answer",
        ),
        (
            "anti_patterns",
            MAX_ANTI_PATTERNS,
            "every anti-pattern is matched against every sentence of every answer",
        ),
    ] {
        let Some(entry) = field(rubric, name) else {
            continue;
        };
        let list = items(entry);
        if list.len() > limit {
            over(
                &entry.0,
                format!(
                    "{} {} in one rubric, over the limit of {limit}; {why}, so keep the ones \
                     that tell answers apart",
                    list.len(),
                    name.replace('_', "-")
                ),
            );
            // Each entry is not looked at: the list is refused as a whole.
            continue;
        }
        for spec in list {
            for patterns in ["patterns", "not_with"] {
                if let Some(entry) = field(spec, patterns)
                    && items(entry).len() > MAX_PATTERNS
                {
                    over(
                        &entry.0,
                        format!(
                            "{} patterns in one entry, over the limit of {MAX_PATTERNS}; join \
                             alternatives into a synonym group (`@name`) instead",
                            items(entry).len()
                        ),
                    );
                }
            }
        }
    }
    if let Some((_, groups)) = field(rubric, "groups")
        && let Value::Map(groups) = &groups.value
    {
        for entry in groups {
            if items(entry).len() > MAX_GROUP_ENTRIES {
                over(
                    &entry.0,
                    format!(
                        "synonym group `{}` has {} entries; a group may have at most \
                         {MAX_GROUP_ENTRIES} entries, the ways to say one thing",
                        crate::safe_text::clean_line(&entry.0.name),
                        items(entry).len()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    fn criteria(n: usize, indent: &str) -> String {
        (0..n)
            .map(|i| format!("{indent}- {{id: c{i}, patterns: [cache]}}\n"))
            .collect()
    }

    #[test]
    fn long_lists_are_refused_at_their_key_with_the_count_written() {
        let text = format!(
            "id: p\nrubric:\n  groups:\n    g: [a]\n  criteria:\n{}questions:\n  - id: q\n    \
             rubric:\n      criteria:\n{}",
            criteria(3, "    "),
            criteria(MAX_CRITERIA + 1, "        ")
        );
        let tree = crate::yaml::parse_tree("p.yaml", &text).unwrap();
        let found = check("p.yaml", &tree, FileKind::Manifest);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pos, Some(Pos::new(12, 7)));
        assert!(
            found[0]
                .message
                .starts_with("513 criteria in one rubric, over the limit of 512"),
            "{}",
            found[0]
        );
        // A question file has no pack rubric; a rubric file is one.
        assert!(check("p.yaml", &tree, FileKind::Questions).len() == 1);
        let text = format!("anti_patterns:\n{}", criteria(MAX_ANTI_PATTERNS + 1, "  "));
        let tree = crate::yaml::parse_tree("rubric.yaml", &text).unwrap();
        let found = check("rubric.yaml", &tree, FileKind::Rubric);
        assert_eq!(found[0].pos, Some(Pos::new(1, 1)), "{found:?}");
    }

    #[test]
    fn patterns_and_groups_are_counted_where_they_are() {
        let patterns: Vec<String> = (0..=MAX_PATTERNS).map(|i| format!("w{i}")).collect();
        let group: Vec<String> = (0..=MAX_GROUP_ENTRIES).map(|i| format!("w{i}")).collect();
        let text = format!(
            "groups:\n  big: [{}]\ncriteria:\n  - id: c\n    patterns: [{}]\n",
            group.join(", "),
            patterns.join(", ")
        );
        let tree = crate::yaml::parse_tree("rubric.yaml", &text).unwrap();
        let found: Vec<(Option<Pos>, String)> = check("rubric.yaml", &tree, FileKind::Rubric)
            .into_iter()
            .map(|d| (d.pos, d.message))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, Some(Pos::new(5, 5)));
        assert!(
            found[0].1.starts_with("65 patterns in one entry"),
            "{}",
            found[0].1
        );
        assert_eq!(found[1].0, Some(Pos::new(2, 3)));
        assert!(
            found[1].1.contains("`big` has 4097 entries"),
            "{}",
            found[1].1
        );
    }
}
