//! Writes Rust source text laid out as a person would: four-space indentation, `///`
//! comments, one blank line between items, and a call that does not fit in 100
//! columns broken into one argument per line.
//!
//! The Rust emitters build their files as text with this writer rather than as
//! `quote` tokens pretty-printed by `syn` and `prettyplease`: parsing and printing
//! the tokens again cost about 90% of the generator's time (see the README's
//! Performance section). The generated crates are compiled by the tests, so a
//! mistake in the text is a compile error there.

use std::fmt::{Display, Write as _};

use crate::model::{Doc, Model};

/// Rust's default `max_width`, which the layout keeps to where it can.
const MAX_WIDTH: usize = 100;
const INDENT: &str = "    ";

/// A Rust source file being written, line by line.
pub(super) struct RustWriter {
    text: String,
    depth: usize,
}

impl RustWriter {
    /// A file that starts with the one-line generated-file banner.
    pub(super) fn new(model: &Model) -> Self {
        let mut text = String::with_capacity(64 * 1024);
        let _ = writeln!(text, "// {}", super::banner(model));
        RustWriter { text, depth: 0 }
    }

    pub(super) fn finish(self) -> String {
        self.text
    }

    /// One line at the current indentation (an empty `line` stays empty). Takes
    /// `format_args!` as well as text, so a formatted line is written in place.
    pub(super) fn line(&mut self, line: impl Display) {
        let start = self.text.len();
        self.indent();
        let indented = self.text.len();
        let _ = write!(self.text, "{line}");
        if self.text.len() == indented {
            self.text.truncate(start);
        }
        self.text.push('\n');
    }

    /// Several lines of fixed text, each indented to the current depth. `block`'s
    /// own indentation is kept relative to it.
    pub(super) fn lines(&mut self, block: &str) {
        for line in block.lines() {
            self.line(line);
        }
    }

    /// The blank line between two items.
    pub(super) fn blank(&mut self) {
        self.text.push('\n');
    }

    /// `head {` (a bare `{` when `head` is empty) and one level deeper.
    pub(super) fn open(&mut self, head: impl Display) {
        self.indent();
        let indented = self.text.len();
        let _ = write!(self.text, "{head}");
        if self.text.len() > indented {
            self.text.push(' ');
        }
        self.text.push_str("{\n");
        self.depth += 1;
    }

    /// [`call`](Self::call) followed by ` {`, one level deeper: a function's
    /// signature (`head` its name, `args` its parameters, `tail` its return type).
    pub(super) fn open_call(&mut self, head: &str, args: &[String], tail: &str) {
        self.call(head, args, &format!("{tail} {{"));
        self.depth += 1;
    }

    /// `head` (ending in `[` or `&[`) and one level deeper: a multi-line list.
    pub(super) fn open_bracket(&mut self, head: &str) {
        self.line(head);
        self.depth += 1;
    }

    /// One level shallower and `tail` (`],` or `];`).
    pub(super) fn close_bracket(&mut self, tail: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.line(tail);
    }

    /// One level deeper without a brace: a continued expression.
    pub(super) fn open_block(&mut self) {
        self.depth += 1;
    }

    /// Back from [`open_block`](Self::open_block).
    pub(super) fn close_block(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// One level shallower and `}` followed by `tail` (`;`, `,` or nothing).
    pub(super) fn close(&mut self, tail: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.line(format_args!("}}{tail}"));
    }

    /// The spec's doc text as `///` lines: brief, then each further paragraph after
    /// a `///` line. Doc text is one paragraph per line by construction (`Doc`).
    pub(super) fn docs(&mut self, doc: &Doc) {
        for (i, paragraph) in doc.paragraphs().enumerate() {
            if i > 0 {
                self.line("///");
            }
            self.doc(&super::markdown::escape(paragraph));
        }
    }

    /// One `///` line per line of `text` (already Markdown).
    pub(super) fn doc(&mut self, text: &str) {
        self.comment("///", text);
    }

    /// One `//!` line per line of `text` (already Markdown).
    pub(super) fn inner_doc(&mut self, text: &str) {
        self.comment("//!", text);
    }

    fn comment(&mut self, marker: &str, text: &str) {
        for line in text.lines() {
            if line.is_empty() {
                self.line(marker);
            } else {
                self.line(format_args!("{marker} {line}"));
            }
        }
    }

    /// `head(args)tail` on one line when it fits (or has nothing to break), else one
    /// argument per line with a trailing comma, as rustfmt breaks a call.
    pub(super) fn call(&mut self, head: &str, args: &[String], tail: &str) {
        // `head(a, b)tail`: the parentheses, the arguments and a `, ` between each two.
        let separators = 2 * args.len().saturating_sub(1);
        let width = head.len() + 2 + args.iter().map(String::len).sum::<usize>() + separators;
        let width = width + tail.len();
        if args.is_empty() || self.fits_width(width) {
            self.line(format_args!("{head}({}){tail}", args.join(", ")));
            return;
        }
        self.line(format_args!("{head}("));
        self.depth += 1;
        for arg in args {
            self.line(format_args!("{arg},"));
        }
        self.depth -= 1;
        self.line(format_args!("){tail}"));
    }

    /// `head [items]tail` or `head &[items]tail` (the `[` or `&[` ends `head`) on
    /// one line when it fits, else one item per line with a trailing comma.
    pub(super) fn list(&mut self, head: &str, items: &[String], tail: &str) {
        let one_line = format!("{head}{}]{tail}", items.join(", "));
        if items.is_empty() || self.fits(&one_line) {
            self.line(one_line);
            return;
        }
        self.line(head);
        self.depth += 1;
        for item in items {
            self.line(format_args!("{item},"));
        }
        self.depth -= 1;
        self.line(format_args!("]{tail}"));
    }

    /// Whether `line` fits within the width at the current indentation.
    pub(super) fn fits(&self, line: &str) -> bool {
        self.fits_width(line.chars().count())
    }

    /// Whether a line `width` bytes long fits at the current indentation. Bytes
    /// overcount non-ASCII text, which at worst breaks a line that would fit.
    fn fits_width(&self, width: usize) -> bool {
        self.depth * INDENT.len() + width <= MAX_WIDTH
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.text.push_str(INDENT);
        }
    }
}

/// A Rust string literal holding `text` exactly (quotes, backslashes, non-ASCII
/// and all): `str`'s `Debug` form is valid Rust literal syntax.
pub(super) fn string(text: &str) -> String {
    format!("{text:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer() -> RustWriter {
        RustWriter {
            text: String::new(),
            depth: 1,
        }
    }

    #[test]
    fn a_call_breaks_only_when_it_does_not_fit() {
        let mut w = writer();
        w.call("f", &["a".to_owned(), "b".to_owned()], ";");
        let long = "x".repeat(50);
        w.call("g", &[long.clone(), long.clone()], ";");
        assert_eq!(
            w.finish(),
            format!("    f(a, b);\n    g(\n        {long},\n        {long},\n    );\n")
        );
    }

    #[test]
    fn comments_keep_paragraph_breaks() {
        let mut w = writer();
        w.doc("one\n\ntwo");
        assert_eq!(w.finish(), "    /// one\n    ///\n    /// two\n");
    }

    #[test]
    fn string_literals_escape_what_rust_needs() {
        assert_eq!(string(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
        assert_eq!(string("tab\there"), r#""tab\there""#);
        assert_eq!(string("größe"), "\"größe\"");
    }
}
