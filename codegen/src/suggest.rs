//! "Did you mean": the one rule for offering a name in place of a misspelt one,
//! used by every resolver rule and by the reader of unknown keys (`spec/parse.rs`), so
//! it sits before both stages.

/// The candidate closest to `written`, if it is close enough to be a likely typo:
/// at most two edits, or a quarter of the candidate's length for long names. Ties
/// go to the first in alphabetical order, so the answer never depends on the
/// order of `candidates`.
pub fn suggest<'a>(
    written: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        // Optimal string alignment: a swap of two letters (`uint23_t`) counts once.
        .map(|c| (strsim::osa_distance(written, c), c))
        .filter(|&(d, c)| d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

/// The help text that offers `near` in place of what was written.
pub fn did_you_mean(near: &str) -> String {
    format!("did you mean `{near}`?")
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn offers_the_closest_likely_typo_only() {
        let candidates = ["uint32_t", "uint16_t", "int", "name", "doc"];
        // (written, expected)
        let cases = [
            ("uint23_t", Some("uint32_t")),
            ("uint61_t", Some("uint16_t")),
            ("nmae", Some("name")),
            ("dco", Some("doc")),
            ("completely_else", None),
            ("", None),
        ];
        for (written, expected) in cases {
            assert_eq!(suggest(written, candidates), expected, "{written:?}");
        }
    }
}
