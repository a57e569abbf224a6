/// Documentation text of one item: a brief and optional further paragraphs.
///
/// In the spec the first paragraph (up to the first blank line) is the brief. Lines
/// within a paragraph are joined with single spaces, so emitters can re-wrap freely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    pub brief: String,
    pub details: Vec<String>,
}

impl Doc {
    /// Splits spec doc text into paragraphs; `None` when it has no text at all.
    pub fn parse(text: &str) -> Option<Doc> {
        let mut paragraphs = Vec::new();
        let mut current: Vec<&str> = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() {
                if !current.is_empty() {
                    paragraphs.push(current.join(" "));
                    current.clear();
                }
            } else {
                current.extend(line.split_whitespace());
            }
        }
        if !current.is_empty() {
            paragraphs.push(current.join(" "));
        }
        let mut paragraphs = paragraphs.into_iter();
        let brief = paragraphs.next()?;
        Some(Doc {
            brief,
            details: paragraphs.collect(),
        })
    }

    /// Every paragraph, brief first.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.brief.as_str()).chain(self.details.iter().map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::Doc;

    #[test]
    fn splits_brief_from_details_and_joins_lines() {
        let doc = Doc::parse("One\n  line.\n\nSecond\tpara.\n\n\nThird.").unwrap();
        assert_eq!(doc.brief, "One line.");
        assert_eq!(doc.details, ["Second para.", "Third."]);
        assert_eq!(Doc::parse(" \n\n "), None);
    }
}
