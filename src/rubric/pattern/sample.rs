//! A plain phrase a pattern matches, read off the pattern's text: the words a candidate gaming
//! the rubric would list for it (the keyword-list probe of `pack test`).

use std::collections::BTreeMap;

/// A plain phrase a pattern matches: first alternatives, groups expanded to their first entry,
/// gaps dropped, `*` and `?` removed. Good enough to build a keyword list from.
pub fn sample_phrase(
    pattern: &str,
    groups: &BTreeMap<String, Vec<String>>,
    depth: usize,
) -> String {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' => {
                // First alternative at this nesting level.
                let mut level = 1;
                let start = i + 1;
                let mut end = start;
                let mut j = start;
                let mut first_end = None;
                while j < chars.len() && level > 0 {
                    match chars[j] {
                        '(' => level += 1,
                        ')' => level -= 1,
                        '|' if level == 1 && first_end.is_none() => first_end = Some(j),
                        _ => {}
                    }
                    if level > 0 {
                        end = j + 1;
                    }
                    j += 1;
                }
                let inner: String = chars[start..first_end.unwrap_or(end)].iter().collect();
                let phrase = sample_phrase(&inner, groups, depth);
                if !phrase.is_empty() {
                    out.push(phrase);
                }
                i = j;
            }
            '@' => {
                let start = i + 1;
                let mut j = start;
                while j < chars.len()
                    && (chars[j].is_alphanumeric() || matches!(chars[j], '-' | '_'))
                {
                    j += 1;
                }
                let name: String = chars[start..j].iter().collect();
                if depth < 3
                    && let Some(first) = groups.get(&name).and_then(|g| g.first())
                {
                    let phrase = sample_phrase(first, groups, depth + 1);
                    if !phrase.is_empty() {
                        out.push(phrase);
                    }
                }
                i = j;
            }
            '~' => {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            c if c.is_whitespace() || matches!(c, '*' | '?' | ')' | '|') => i += 1,
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], '(' | ')' | '|' | '~' | '@' | '*' | '?')
                {
                    i += 1;
                }
                out.push(chars[start..i].iter().collect());
            }
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_phrases() {
        let mut groups = BTreeMap::new();
        groups.insert(
            "change".to_string(),
            vec!["deploy*".to_string(), "x".to_string()],
        );
        for (pattern, want) in [
            ("what ~3 (chang*|different)", "what chang"),
            ("@change ~5 recent*", "deploy recent"),
            ("(roll back|revert*)", "roll back"),
            ("(the)? root cause", "the root cause"),
            ("@missing word", "word"),
            ("((a|b) c|d)", "a c"),
        ] {
            assert_eq!(sample_phrase(pattern, &groups, 0), want, "{pattern}");
        }
    }
}
