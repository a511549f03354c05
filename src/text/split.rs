//! Splitting source text into words and into units (sentences and bullet lines).
//!
//! Everything works on byte offsets into the original text so that an excerpt can always be
//! quoted exactly as the candidate wrote it. Nothing here allocates per character and nothing can
//! index out of bounds: offsets only ever come from `char_indices`.

/// Apostrophe-like characters: inside a word they join it ("don't" is one word), and
/// normalisation straightens them to `'`.
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}' | '`' | '\u{00b4}'
    )
}

/// One unit of an answer: a sentence, a bullet line or a heading, as a byte range of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitSpan {
    /// Start byte (inclusive).
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// True when the unit came from a bullet or numbered line.
    pub bullet: bool,
}

/// Symbols that stand for a word of their own (`%` is "percent").
pub(crate) fn is_symbol_word(c: char) -> bool {
    matches!(c, '%' | '$' | '\u{20ac}' | '\u{a3}' | '&')
}

/// Byte spans of the words of `text`: runs of letters and digits, keeping inner apostrophes
/// (`don't`) and inner decimal points or thousands separators (`99.9`, `1,000`).
pub fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if is_symbol_word(c) {
            spans.push((start, start + c.len_utf8()));
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if c.is_alphanumeric() {
                j += 1;
                continue;
            }
            let prev = chars[j - 1].1;
            let next = chars.get(j + 1).map(|&(_, n)| n);
            let joins = match next {
                Some(n) if is_apostrophe(c) => prev.is_alphanumeric() && n.is_alphabetic(),
                Some(n) if c == '.' || c == ',' => prev.is_ascii_digit() && n.is_ascii_digit(),
                _ => false,
            };
            if !joins {
                break;
            }
            j += 1;
        }
        // A trailing apostrophe after an s is a plural possessive ("teams'"): keep the word only.
        let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
        spans.push((start, end));
        i = j;
    }
    spans
}

/// True when the gap between two words holds punctuation that ends a clause, which also ends a
/// negation's scope. A line break is not one: hard-wrapped prose breaks lines mid-clause, and
/// lines that really are separate have already been split into units.
pub fn gap_breaks_clause(gap: &str) -> bool {
    gap.chars().any(|c| {
        matches!(
            c,
            ',' | ';' | ':' | '(' | ')' | '[' | ']' | '.' | '!' | '?' | '\u{2013}' | '\u{2014}'
        )
    }) || gap.contains(" - ")
}

/// Length in bytes of a bullet marker at the start of `line` (after its indentation), if any:
/// `-`, `*`, `+`, `•`, `–`, `·`, `1.`, `2)`, `a)` followed by a space.
fn bullet_marker(line: &str) -> Option<usize> {
    let mut chars = line.char_indices();
    let (_, first) = chars.next()?;
    let after = |at: usize| -> Option<usize> {
        let rest = &line[at..];
        (rest.starts_with(' ') || rest.starts_with('\t')).then_some(at + 1)
    };
    if matches!(
        first,
        '-' | '*' | '+' | '\u{2022}' | '\u{2013}' | '\u{b7}' | '\u{25aa}' | '>'
    ) {
        return after(first.len_utf8());
    }
    if first.is_ascii_digit() {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if digits <= 3 && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) {
            return after(digits + 1);
        }
    }
    if first.is_ascii_lowercase() && matches!(line.as_bytes().get(1), Some(b')')) {
        return after(2);
    }
    None
}

/// True for a Markdown heading: `#` signs, then a space (`## Afterwards`; `#hashtag` is prose).
pub(crate) fn is_atx_heading(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') && t.trim_start_matches('#').starts_with([' ', '\t'])
}

/// A Markdown heading (see [`is_atx_heading`]) or a line that is all bold (`**Options**`,
/// `__Next steps__`).
fn is_heading_line(line: &str) -> bool {
    if is_atx_heading(line) {
        return true;
    }
    ["**", "__"].iter().any(|m| {
        line.len() > 2 * m.len()
            && line.starts_with(m)
            && line.ends_with(m)
            && !line[m.len()..line.len() - m.len()].contains(m)
    })
}

const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "vs", "approx", "cf", "mr", "mrs", "ms", "dr", "eg", "ie", "incl", "resp",
    "min", "max", "no", "fig", "est",
];

/// Splits `text` into units. Bullet and numbered lines are units of their own; blank lines and
/// headings ending in `:` break paragraphs; inside a paragraph, sentences end at `.`, `!` or `?`
/// followed by white space (abbreviations and decimals aside).
pub fn split_units(text: &str) -> Vec<UnitSpan> {
    let mut blocks: Vec<UnitSpan> = Vec::new();
    let mut open = false;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start().len();
        let trimmed = content.trim();
        if trimmed.is_empty() {
            open = false;
            continue;
        }
        let body_start = start + indent;
        let body_end = start + indent + content.trim_start().trim_end().len();
        if let Some(marker) = bullet_marker(&content[indent..]) {
            if body_start + marker >= body_end {
                open = false;
                continue;
            }
            blocks.push(UnitSpan {
                start: body_start + marker,
                end: body_end,
                bullet: true,
            });
            open = true;
            continue;
        }
        // A Markdown table row is a unit of its own: each row is one option or one fact. So is
        // a heading line ("## Afterwards", "**What I'd check**"): it labels what follows, and
        // joined to the next sentence it would take that sentence down with it.
        if trimmed.starts_with('|') || is_heading_line(trimmed) {
            blocks.push(UnitSpan {
                start: body_start,
                end: body_end,
                bullet: false,
            });
            open = false;
            continue;
        }
        // A line continues the paragraph (hard-wrapped prose) unless the previous one was a
        // heading ending in ':' or a bullet and this line is not indented under it. Case plays
        // no part, so that upper- or lower-casing an answer never changes its units.
        let continues = open
            && blocks.last().is_some_and(|b| {
                let prev = text[b.start..b.end].trim_end();
                !(prev.ends_with(':') || (b.bullet && indent == 0))
            });
        match blocks.last_mut() {
            Some(block) if continues => block.end = body_end,
            _ => blocks.push(UnitSpan {
                start: body_start,
                end: body_end,
                bullet: false,
            }),
        }
        open = true;
    }
    let mut units = Vec::new();
    for block in blocks {
        split_sentences(text, block, &mut units);
    }
    units
}

/// Splits one block into sentences, appending non-empty ones to `out`.
fn split_sentences(text: &str, block: UnitSpan, out: &mut Vec<UnitSpan>) {
    let body = &text[block.start..block.end];
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut sentence_start = 0;
    let mut i = 0;
    let push = |from: usize, to: usize, out: &mut Vec<UnitSpan>| {
        let piece = &body[from..to];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if trimmed.chars().any(char::is_alphanumeric) {
            out.push(UnitSpan {
                start: block.start + from + lead,
                end: block.start + from + lead + trimmed.len(),
                bullet: block.bullet,
            });
        }
    };
    while i < chars.len() {
        let (at, c) = chars[i];
        let terminal = matches!(c, '.' | '!' | '?' | '\u{2026}')
            || (c == ':' && chars.get(i + 1).is_some_and(|&(_, n)| n == '\n'));
        if !terminal {
            i += 1;
            continue;
        }
        // Swallow runs ("?!", "...") and closing quotes or brackets.
        let mut j = i + 1;
        while j < chars.len()
            && matches!(
                chars[j].1,
                '.' | '!' | '?' | '"' | '\'' | ')' | ']' | '\u{201d}' | '\u{2019}'
            )
        {
            j += 1;
        }
        let at_end = j >= chars.len();
        let followed_by_space = chars.get(j).is_some_and(|&(_, n)| n.is_whitespace());
        if !(at_end || followed_by_space) {
            i = j;
            continue;
        }
        // "lag > 5 min." then a new line starting "After:" ends there: an abbreviation's stop at
        // the end of a line, before a capital, closes the sentence.
        let new_line_capital = chars.get(j).is_some_and(|&(_, n)| n == '\n')
            && chars[j..]
                .iter()
                .map(|&(_, n)| n)
                .find(|n| !n.is_whitespace())
                .is_some_and(char::is_uppercase);
        if c == '.' && j == i + 1 && !new_line_capital && is_abbreviation(&body[sentence_start..at])
        {
            i = j;
            continue;
        }
        let end = chars.get(j).map_or(body.len(), |&(b, _)| b);
        push(sentence_start, end, out);
        sentence_start = end;
        i = j;
    }
    if sentence_start < body.len() {
        push(sentence_start, body.len(), out);
    }
}

/// True when the text before a full stop ends with an abbreviation or a single letter.
fn is_abbreviation(before: &str) -> bool {
    let last = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_lowercase();
    let last = last.trim_start_matches(['"', '\'', '(']);
    (last.chars().count() == 1 && last.chars().all(char::is_alphabetic))
        || ABBREVIATIONS.contains(&last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(text: &str) -> Vec<(String, bool)> {
        split_units(text)
            .into_iter()
            .map(|u| (text[u.start..u.end].to_string(), u.bullet))
            .collect()
    }

    fn plain(list: &[&str]) -> Vec<(String, bool)> {
        list.iter().map(|s| (s.to_string(), false)).collect()
    }

    #[test]
    fn table_rows_are_units_of_their_own() {
        let text = "| option | gain | cost |\n|---|---|---|\n| Kafka | replay | one more group |\n";
        let units = split_units(text);
        let rows: Vec<&str> = units.iter().map(|u| &text[u.start..u.end]).collect();
        assert_eq!(
            rows,
            [
                "| option | gain | cost |",
                "| Kafka | replay | one more group |"
            ]
        );
    }

    #[test]
    fn heading_lines_are_units_of_their_own() {
        let text = "## Patients first\nTomorrow's list matters more than the cause.\n\
                    **What I'd check**\nDeploys and flags first\n#hashtag stays prose\n";
        let units = split_units(text);
        let got: Vec<&str> = units.iter().map(|u| &text[u.start..u.end]).collect();
        assert_eq!(
            got,
            [
                "## Patients first",
                "Tomorrow's list matters more than the cause.",
                "**What I'd check**",
                "Deploys and flags first\n#hashtag stays prose"
            ]
        );
    }

    #[test]
    fn sentence_table() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("One. Two? Three!", &["One.", "Two?", "Three!"]),
            (
                "p99 went from 1.5s to 4s. Then what?",
                &["p99 went from 1.5s to 4s.", "Then what?"],
            ),
            (
                "Use e.g. a queue, i.e. Kafka. Done.",
                &["Use e.g. a queue, i.e. Kafka.", "Done."],
            ),
            (
                "Wrapped line\ncontinues here. Next.",
                &["Wrapped line\ncontinues here.", "Next."],
            ),
            (
                "Check deploys\nLook at p99",
                &["Check deploys\nLook at p99"],
            ),
            (
                "Options:\nA queue or a cron",
                &["Options:", "A queue or a cron"],
            ),
            ("Para one\n\npara two", &["Para one", "para two"]),
            ("...", &[]),
            ("Wait... what?", &["Wait...", "what?"]),
        ];
        for (input, want) in cases {
            assert_eq!(units(input), plain(want), "{input:?}");
        }
    }

    #[test]
    fn an_abbreviation_ending_a_line_before_a_capital_ends_the_sentence() {
        let got = units("Today: hold reminders while lag > 5 min.\nAfter: fix the accounts.");
        assert_eq!(got.len(), 2, "{got:?}");
        let prose = units("We waited about 5 min. and then it cleared.");
        assert_eq!(prose.len(), 1, "{prose:?}");
    }

    #[test]
    fn bullets_are_units_and_markers_are_dropped() {
        let got =
            units("First:\n- check deploys\n  and flags\n2. compare p50 with p99\n* roll back");
        assert_eq!(
            got,
            vec![
                ("First:".to_string(), false),
                ("check deploys\n  and flags".to_string(), true),
                ("compare p50 with p99".to_string(), true),
                ("roll back".to_string(), true),
            ]
        );
    }

    #[test]
    fn words_keep_contractions_and_decimals() {
        let text = "Don't add 1,000 pods; 99.9% isn't 'it'.";
        let words: Vec<&str> = word_spans(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(
            words,
            ["Don't", "add", "1,000", "pods", "99.9", "%", "isn't", "it"]
        );
    }

    #[test]
    fn clause_breaks() {
        for (gap, want) in [
            (" ", false),
            (", ", true),
            (" - ", true),
            ("-", false),
            ("; ", true),
        ] {
            assert_eq!(gap_breaks_clause(gap), want, "{gap:?}");
        }
    }
}
