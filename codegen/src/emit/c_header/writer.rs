//! Writes C source text in the header's style: four-space indentation, braces on
//! their own lines (as eBPF for Windows' headers have them), and Doxygen `/** */`
//! blocks whose prose is wrapped to [`WIDTH`] columns without ever starting a line
//! with something Doxygen would read as markup.

use std::fmt::Display;

use crate::emit::escape;
use crate::emit::lines::{INDENT, Lines, deref_to_lines};
use crate::model::{Doc, Model};

/// Comment text is wrapped to keep lines within this many columns.
const WIDTH: usize = 96;

/// A C header being written, line by line.
pub(super) struct CWriter {
    out: Lines,
}

deref_to_lines!(CWriter);

impl CWriter {
    /// A file that starts with the one-line generated-file banner.
    pub(super) fn new(model: &Model) -> Self {
        CWriter {
            out: Lines::new(model, "//"),
        }
    }

    pub(super) fn finish(self) -> String {
        self.out.finish()
    }

    /// `head` on its line, `{` on the next, and one level deeper.
    pub(super) fn open(&mut self, head: impl Display) {
        self.line(head);
        self.line("{");
        self.out.depth += 1;
    }

    /// One level shallower and `}` followed by `tail` (` name;` or `;`).
    pub(super) fn close(&mut self, tail: &str) {
        self.out.depth = self.out.depth.saturating_sub(1);
        self.line(format_args!("}}{tail}"));
    }

    /// A `/** ... */` block at the current indentation, each logical line wrapped to
    /// [`WIDTH`]. Structural lines (`@page`, `@section`, ...) must stay on one line
    /// and are not wrapped; an empty line is a paragraph break.
    pub(super) fn comment(&mut self, lines: &[String]) {
        self.comment_block("/**", lines);
    }

    /// Like [`CWriter::comment`], as a plain `/* */` comment that Doxygen skips.
    pub(super) fn plain_comment(&mut self, lines: &[String]) {
        self.comment_block("/*", lines);
    }

    fn comment_block(&mut self, opener: &str, lines: &[String]) {
        let indent = INDENT.repeat(self.out.depth);
        let width = WIDTH.saturating_sub(indent.len() + 3);
        self.line(opener);
        for line in lines {
            if line.is_empty() {
                self.line(" *");
                continue;
            }
            let structural = ["@page ", "@section ", "@subsection "]
                .iter()
                .any(|p| line.starts_with(p));
            let pieces = if structural {
                vec![line.clone()]
            } else {
                wrap(line, width)
            };
            // Continuation lines of a @param/@retval are indented to read as one entry.
            let hang = line.starts_with('@') && !line.starts_with("@brief");
            for (i, piece) in pieces.iter().enumerate() {
                let hang = if i > 0 && hang { "  " } else { "" };
                self.line(format_args!(" * {hang}{piece}"));
            }
        }
        self.line(" */");
    }
}

/// `@brief` paragraph and detail paragraphs, separated by blank lines, as the
/// lines of a comment block.
pub(super) fn doc_lines(doc: &Doc) -> Vec<String> {
    let mut lines = vec![format!("@brief {}", escape::c_doc(&doc.brief))];
    for paragraph in &doc.details {
        lines.push(String::new());
        lines.push(escape::c_doc(paragraph));
    }
    lines
}

/// Greedy word wrap at spaces. A line may only begin with a word that cannot start a
/// list, heading or numbered item (one starting with a letter, an escape or a
/// parenthesis), and a `\ref` stays on one line with its target; other words stay on
/// the line before, even when that makes it longer than `width`.
fn wrap(line: &str, width: usize) -> Vec<String> {
    // Units that must not be split: a word that cannot start a line joins the one
    // before it, as does the target of a `\ref`.
    let mut units: Vec<String> = Vec::new();
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let can_start = word
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '\\' || c == '(');
        match units.last_mut() {
            Some(last) if !can_start || last == "\\ref" || last.ends_with(" \\ref") => {
                last.push(' ');
                last.push_str(word);
            }
            _ => units.push(word.to_owned()),
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for unit in units {
        if current.is_empty() {
            current = unit;
        } else if current.chars().count() + 1 + unit.chars().count() <= width {
            current.push(' ');
            current.push_str(&unit);
        } else {
            lines.push(std::mem::replace(&mut current, unit));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_starts_lines_only_with_safe_words_and_keeps_refs_whole() {
        // (line, width, expected lines)
        let cases: [(&str, usize, &[&str]); 4] = [
            ("aaa bbb ccc", 7, &["aaa bbb", "ccc"]),
            // `-x`, `42.` and `+y` cannot start a line: they stay on the one before.
            ("aaa -x bbb 42. ccc +y", 5, &["aaa -x", "bbb 42.", "ccc +y"]),
            (
                "see \\ref target_name now",
                10,
                &["see", "\\ref target_name", "now"],
            ),
            (
                "averyveryverylongword x",
                5,
                &["averyveryverylongword", "x"],
            ),
        ];
        for (line, width, expected) in cases {
            assert_eq!(
                wrap(line, width),
                expected,
                "line {line:?} at width {width}"
            );
        }
    }

    #[test]
    fn comments_are_indented_and_hang_continued_entries() {
        let mut w = CWriter {
            out: Lines::at_depth(1),
        };
        let long = "word ".repeat(30);
        w.comment(&[
            "@brief short".to_owned(),
            String::new(),
            format!("@param[in] x {long}"),
        ]);
        let text = w.finish();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[..3], ["    /**", "     * @brief short", "     *"]);
        assert!(lines[4].starts_with("     *   word"), "{text}");
        assert_eq!(lines.last(), Some(&"     */"));
    }
}
