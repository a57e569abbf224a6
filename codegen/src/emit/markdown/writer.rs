//! Writes GitHub-flavoured Markdown block by block: headings, paragraphs, fenced
//! code, lists and tables, each followed by the blank line that ends it.

use std::fmt::{Display, Write as _};

use crate::emit::artifact::banner;
use crate::model::Model;

/// A Markdown document being written, block by block.
pub(super) struct MarkdownWriter {
    text: String,
}

impl MarkdownWriter {
    /// A document that starts with the generated-file banner as an HTML comment.
    pub(super) fn new(model: &Model) -> Self {
        let mut text = String::with_capacity(64 * 1024);
        let _ = write!(text, "<!-- {} -->\n\n", banner(model));
        MarkdownWriter { text }
    }

    /// The document, ending in exactly one newline however its last block ended.
    pub(super) fn finish(mut self) -> String {
        let trimmed = self.text.trim_end().len();
        self.text.truncate(trimmed);
        self.text.push('\n');
        self.text
    }

    /// `### text`, at `level` (1 to 6).
    pub(super) fn heading(&mut self, level: usize, text: impl Display) {
        let _ = write!(self.text, "{} {text}\n\n", "#".repeat(level));
    }

    /// One paragraph (already Markdown).
    pub(super) fn paragraph(&mut self, text: impl Display) {
        let _ = write!(self.text, "{text}\n\n");
    }

    /// A fenced code block in `language`.
    pub(super) fn code_block(&mut self, language: &str, code: impl Display) {
        let _ = write!(self.text, "```{language}\n{code}\n```\n\n");
    }

    /// One item of a bullet list, nested `depth` levels deep (0 at the top); end the
    /// list with [`end_list`](Self::end_list).
    pub(super) fn item(&mut self, depth: usize, text: impl Display) {
        let _ = writeln!(self.text, "{}- {text}", "  ".repeat(depth));
    }

    /// The blank line after a list.
    pub(super) fn end_list(&mut self) {
        self.text.push('\n');
    }

    /// A table: header row, then one row per entry, each cell already Markdown.
    pub(super) fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        let _ = writeln!(self.text, "| {} |", header.join(" | "));
        self.text.push('|');
        for _ in header {
            self.text.push_str(" --- |");
        }
        self.text.push('\n');
        for row in rows {
            let _ = writeln!(self.text, "| {} |", row.join(" | "));
        }
        self.text.push('\n');
    }
}

/// `text` as a code span inside a table cell: a fence longer than any run of
/// backticks in it, and `|` escaped (GitHub splits cells before reading code spans).
pub(super) fn code_cell(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_cells_survive_backticks_and_pipes() {
        let cases = [
            ("name", "`name`"),
            ("a|b", "`a\\|b`"),
            ("x`y", "``x`y``"),
            ("`x", "`` `x ``"),
        ];
        for (input, expected) in cases {
            assert_eq!(code_cell(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn tables_have_a_rule_row_and_end_with_a_blank_line() {
        let mut w = MarkdownWriter {
            text: String::new(),
        };
        w.table(&["A", "B"], &[vec!["1".to_owned(), "2".to_owned()]]);
        assert_eq!(w.text, "| A | B |\n| --- | --- |\n| 1 | 2 |\n\n");
    }
}
