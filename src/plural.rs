//! Counts in messages: "1 answer", "2 answers". One helper, so that no message says "1 answers".

/// `n` followed by `one` when `n` is 1 and by `many` otherwise: `plural(3, "file", "files")`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(plural(1, "attempt", "attempts"), "1 attempt");
        assert_eq!(plural(0, "attempt", "attempts"), "0 attempts");
        assert_eq!(
            plural(2, "answers file", "answers files"),
            "2 answers files"
        );
    }
}
