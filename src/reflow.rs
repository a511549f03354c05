//! Prose re-flowed to a terminal's width, pure.
//!
//! Pack authors wrap their YAML by hand at whatever width their editor shows (often ~95
//! columns), so printed as is a scenario breaks mid-sentence on an 80-column terminal. Here a
//! paragraph (consecutive plain lines) is joined and filled to the width by `textwrap`; a list
//! item is filled on its own with its continuation lines hanging under its text; fenced or
//! indented code, tables and headings keep their lines exactly, because re-flowing them would
//! change what they say. Without a width (output that is not a terminal) nothing is re-flowed,
//! so files and pipes get the author's bytes.

/// `text` with every line indented by `indent`, re-flowed to `width` columns when one is given.
/// Trailing blank lines are dropped and blank lines come out empty (no trailing spaces).
pub fn reflow(text: &str, width: Option<usize>, indent: &str) -> String {
    let text = text.trim_end();
    let Some(width) = width else {
        return text
            .lines()
            .map(|l| indented(indent, l))
            .collect::<Vec<_>>()
            .join("\n");
    };
    let mut out: Vec<String> = Vec::new();
    for block in blocks(text) {
        match block {
            Block::Blank => out.push(String::new()),
            Block::Verbatim(line) => out.push(indented(indent, line)),
            Block::Paragraph { lead, words } => {
                let first = format!("{indent}{lead}");
                out.push(wrap(&words, width, &first, &first));
            }
            Block::Item {
                lead,
                marker,
                words,
            } => {
                let first = format!("{indent}{lead}{marker}");
                let hang = " ".repeat(first.chars().count());
                out.push(wrap(&words, width, &first, &hang));
            }
        }
    }
    out.join("\n")
}

/// One logical line filled to `width`: continuation lines are indented by `hang`, and the first
/// keeps its own leading spaces. Unchanged without a width. The line may carry colour codes;
/// `textwrap` does not count them as width.
pub fn fill(line: &str, width: Option<usize>, hang: &str) -> String {
    let Some(width) = width else {
        return line.to_string();
    };
    let lead_len = line.len() - line.trim_start_matches(' ').len();
    let (lead, rest) = line.split_at(lead_len);
    wrap(rest, width, lead, hang)
}

/// The narrowest width re-flowed to: below it, a hanging indent leaves no room for words.
const MIN_WIDTH: usize = 24;

fn wrap(words: &str, width: usize, first: &str, hang: &str) -> String {
    let options = textwrap::Options::new(width.max(MIN_WIDTH))
        .initial_indent(first)
        .subsequent_indent(hang)
        // A URL or a long identifier stays whole and runs past the edge rather than being cut.
        .break_words(false);
    textwrap::fill(words, options)
}

fn indented(indent: &str, line: &str) -> String {
    if line.trim().is_empty() {
        String::new()
    } else {
        format!("{indent}{line}")
    }
}

/// A run of the text, as the re-flow treats it.
#[derive(Debug, PartialEq, Eq)]
enum Block<'a> {
    Blank,
    /// Kept exactly: code, a table row, a heading.
    Verbatim(&'a str),
    /// Plain lines joined: `lead` is the first line's indentation.
    Paragraph {
        lead: &'a str,
        words: String,
    },
    /// A list item and its continuation lines: `lead` is the indentation before the marker.
    Item {
        lead: &'a str,
        marker: &'a str,
        words: String,
    },
}

/// The list marker at the start of `line` (after its indentation), with the space after it:
/// `- `, `* `, `+ `, `1. `, `2) `.
fn list_marker(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for bullet in ["- ", "* ", "+ "] {
        if t.starts_with(bullet) {
            return Some(&t[..2]);
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let after = &t[digits..];
        if after.starts_with(". ") || after.starts_with(") ") {
            return Some(&t[..digits + 2]);
        }
    }
    None
}

/// Lines that must keep their shape: code indented by four spaces or a tab, table rows,
/// headings, and a fence line itself.
fn is_structured(line: &str) -> bool {
    let t = line.trim_start();
    line.starts_with("    ")
        || line.starts_with('\t')
        || t.starts_with('|')
        || t.starts_with('#')
        || t.starts_with("```")
        || t.starts_with("~~~")
}

fn leading(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            out.push(Block::Verbatim(line));
            continue;
        }
        if in_fence {
            out.push(Block::Verbatim(line));
            continue;
        }
        if t.is_empty() {
            out.push(Block::Blank);
            continue;
        }
        if let Some(marker) = list_marker(line) {
            let lead = leading(line);
            let mut words = t[marker.len()..].trim().to_string();
            // Continuation lines: indented past the marker's own indentation, not a new item.
            while let Some(next) = lines.peek() {
                let nt = next.trim_start();
                if nt.is_empty()
                    || list_marker(next).is_some()
                    || leading(next).len() <= lead.len()
                    || nt.starts_with('|')
                    || nt.starts_with("```")
                {
                    break;
                }
                words.push(' ');
                words.push_str(nt.trim_end());
                lines.next();
            }
            out.push(Block::Item {
                lead,
                marker,
                words,
            });
            continue;
        }
        if is_structured(line) {
            out.push(Block::Verbatim(line));
            continue;
        }
        let lead = leading(line);
        let mut words = t.trim_end().to_string();
        while let Some(next) = lines.peek() {
            if next.trim().is_empty() || list_marker(next).is_some() || is_structured(next) {
                break;
            }
            words.push(' ');
            words.push_str(next.trim());
            lines.next();
        }
        out.push(Block::Paragraph { lead, words });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCENARIO: &str = "Our product pages publish stock changes to a Kafka topic with 24\n\
                            partitions, and three consumers read them.\n\
                            \n\
                            What we know:\n\
                            - p99 latency doubled at 10:00 and it has stayed there since, while\n  the median is flat.\n\
                            - No deploy.\n\
                            \n\
                            ```\n\
                            GET /products/42   1.9 s\n\
                            ```\n\
                            | region | p99 |\n\
                            |---|---|\n";

    #[test]
    fn without_a_width_text_keeps_its_lines() {
        let out = reflow(SCENARIO, None, "  ");
        assert_eq!(out.lines().count(), SCENARIO.trim_end().lines().count());
        assert!(out.starts_with("  Our product pages"), "{out}");
        assert!(
            out.contains("\n\n  What we know:"),
            "blank lines carry no indent: {out}"
        );
    }

    #[test]
    fn paragraphs_fill_the_width_and_lists_code_and_tables_keep_their_shape() {
        let out = reflow(SCENARIO, Some(40), "");
        for line in out.lines() {
            assert!(
                line.chars().count() <= 40 || line.starts_with('|'),
                "{line:?} is wider than 40 in\n{out}"
            );
        }
        assert!(
            out.starts_with(
                "Our product pages publish stock changes\nto a Kafka topic with 24 partitions,"
            ),
            "{out}"
        );
        // The item's continuation hangs under its text, the next item starts afresh.
        assert!(
            out.contains("- p99 latency doubled at 10:00 and it\n  has stayed there since,"),
            "{out}"
        );
        assert!(out.contains("\n- No deploy.\n"), "{out}");
        assert!(out.contains("```\nGET /products/42   1.9 s\n```"), "{out}");
        assert!(out.ends_with("| region | p99 |\n|---|---|"), "{out}");
    }

    #[test]
    fn numbered_items_and_indent() {
        let out = reflow("1. one two three four five six seven", Some(24), "  ");
        assert_eq!(out, "  1. one two three four\n     five six seven");
    }

    #[test]
    fn fill_hangs_continuations_and_ignores_colour_codes() {
        let line = "  - Blast radius: say who is affected and how badly";
        assert_eq!(
            fill(line, Some(30), "    "),
            "  - Blast radius: say who is\n    affected and how badly"
        );
        assert_eq!(fill(line, None, "    "), line);
        let painted = "  \u{1b}[33m-\u{1b}[0m Blast radius: say who is affected and how badly";
        let filled = fill(painted, Some(30), "    ");
        assert_eq!(filled.lines().count(), 2, "{filled}");
    }
}
