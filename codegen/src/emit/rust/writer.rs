//! Writes Rust source text laid out as rustfmt lays it out (its default settings,
//! for the constructs the generated files use): four-space indentation, `///`
//! comments, one blank line between items, and calls, lists and chains broken one
//! element per line where rustfmt breaks them. `tests/rust_format.rs` holds the
//! output to `rustfmt --check`, and CI's `cargo fmt --check` sees the bindings.
//!
//! The Rust emitters build their files as text with this writer rather than as
//! `quote` tokens pretty-printed by `syn` and `prettyplease`: parsing and printing
//! the tokens again cost about 90% of the Rust emitter's time (see the README's
//! Performance section). The generated crates are compiled by the tests, so a
//! mistake in the text is a compile error there.

use std::fmt::{Display, Write as _};

use crate::emit::escape;
use crate::emit::lines::{INDENT, Lines, deref_to_lines};
use crate::model::{Doc, Model};

/// rustfmt's default `max_width`. Only what rustfmt does not break either goes past
/// it: doc comments, string literals and the inside of `thread_local!`.
const MAX_WIDTH: usize = 100;
/// rustfmt's default `fn_call_width`, `array_width` and `chain_width`: wider
/// argument lists, arrays and chains go one element per line.
const SHORT_WIDTH: usize = 60;

/// A Rust source file being written, line by line.
pub(super) struct RustWriter {
    out: Lines,
}

deref_to_lines!(RustWriter);

impl RustWriter {
    /// A file that starts with the one-line generated-file banner.
    pub(super) fn new(model: &Model) -> Self {
        RustWriter {
            out: Lines::new(model, "//"),
        }
    }

    pub(super) fn finish(self) -> String {
        self.out.finish()
    }

    /// `head {` (a bare `{` when `head` is empty) and one level deeper.
    pub(super) fn open(&mut self, head: impl Display) {
        self.indent();
        let indented = self.out.text.len();
        let _ = write!(self.out.text, "{head}");
        if self.out.text.len() > indented {
            self.out.text.push(' ');
        }
        self.out.text.push_str("{\n");
        self.out.depth += 1;
    }

    /// A function's signature and ` {`, one level deeper: `head` is everything up to
    /// the parameter list, `tail` the return type (` -> T`) or nothing.
    pub(super) fn open_fn(&mut self, head: &str, params: &[String], tail: &str) {
        self.signature(head, params, &format!("{tail} {{"));
        self.out.depth += 1;
    }

    /// A function's signature, laid out as rustfmt does: on one line when it fits,
    /// else one parameter per line; with no parameters, what follows them (`tail`,
    /// the return type) moves to the next line.
    pub(super) fn signature(&mut self, head: &str, params: &[String], tail: &str) {
        let one_line = format!("{head}({}){tail}", params.join(", "));
        if self.fits(&one_line) {
            self.line(one_line);
        } else if params.is_empty() {
            self.line(format_args!("{head}()"));
            self.line(tail.trim_start());
        } else {
            self.vertical(head, params, &format!("){tail}"));
        }
    }

    /// `head(args)tail`, a function or macro call, laid out as rustfmt does: on one
    /// line when it fits and its arguments take at most 60 columns
    /// (`fn_call_width`), else one argument per line with a trailing comma.
    pub(super) fn call(&mut self, head: &str, args: &[String], tail: &str) {
        match short_call(head, args) {
            // With nothing to break, the call stays on one line whatever its width.
            Some(call) if args.is_empty() || self.fits_width(call.len() + tail.len()) => {
                self.line(format_args!("{call}{tail}"))
            }
            _ => self.vertical(head, args, &format!("){tail}")),
        }
    }

    /// `{ callee(args) }` inside an `unsafe` block, after `prefix` (`let x = ` or
    /// nothing) and before `tail`: on one line when the call may stay on one line
    /// and the whole fits, else the block opened and the call laid out in it.
    pub(super) fn unsafe_call(&mut self, prefix: &str, callee: &str, args: &[String], tail: &str) {
        if let Some(call) = short_call(callee, args) {
            let value = format!("unsafe {{ {call} }}");
            match prefix.strip_suffix(" = ") {
                Some(head) => return self.assign(head, &value),
                None if self.fits(&format!("{prefix}{value}{tail}")) => {
                    return self.line(format_args!("{prefix}{value}{tail}"));
                }
                None => {}
            }
        }
        self.open(format_args!("{prefix}unsafe"));
        self.call(callee, args, "");
        self.close(tail);
    }

    /// `head = value;`, with the value on the next line when the whole does not fit;
    /// an `unsafe { .. }` value too long even for that opens its block instead.
    pub(super) fn assign(&mut self, head: &str, value: &str) {
        let one_line = format!("{head} = {value};");
        let continued = format!("    {value};");
        if self.fits(&one_line) {
            self.line(one_line);
        } else if !self.fits(&continued)
            && let Some(inner) = value
                .strip_prefix("unsafe { ")
                .and_then(|v| v.strip_suffix(" }"))
        {
            self.open(format_args!("{head} = unsafe"));
            self.line(inner);
            self.close(";");
        } else {
            self.line(format_args!("{head} ="));
            self.open_block();
            self.line(format_args!("{value};"));
            self.close_block();
        }
    }

    /// `let NAME: FN_HEAD(PARAMS) -> RET = VALUE;` for a function-pointer type: as
    /// [`RustWriter::assign`] while the type fits on its line, else with one parameter
    /// per line, as rustfmt breaks it.
    pub(super) fn assign_fn_type(
        &mut self,
        binding: &str,
        params: &[String],
        ret: &str,
        value: &str,
    ) {
        let head = format!("{binding}({}) -> {ret}", params.join(", "));
        if self.fits(&format!("{head} =")) {
            self.assign(&head, value);
            return;
        }
        self.line(format_args!("{binding}("));
        self.out.depth += 1;
        for param in params {
            self.line(format_args!("{param},"));
        }
        self.out.depth -= 1;
        let one_line = format!(") -> {ret} = {value};");
        if self.fits(&one_line) {
            self.line(one_line);
        } else {
            self.line(format_args!(") -> {ret} ="));
            self.open_block();
            self.line(format_args!("{value};"));
            self.close_block();
        }
    }

    /// `HEAD = fn(PARAMS) -> RET;`: as [`RustWriter::assign`] while the type fits on
    /// a line, else with one parameter per line, as rustfmt breaks it.
    pub(super) fn assign_fn_value(&mut self, head: &str, params: &[String], ret: &str) {
        let value = format!("fn({}) -> {ret}", params.join(", "));
        if self.fits(&format!("{head} = {value};")) || self.fits(&format!("    {value};")) {
            self.assign(head, &value);
            return;
        }
        self.line(format_args!("{head} = fn("));
        self.out.depth += 1;
        for param in params {
            self.line(format_args!("{param},"));
        }
        self.out.depth -= 1;
        self.line(format_args!(") -> {ret};"));
    }

    /// A match arm, as a block when it does not fit on one line.
    pub(super) fn arm(&mut self, pattern: &str, value: &str) {
        let one_line = format!("{pattern} => {value},");
        if self.fits(&one_line) {
            self.line(one_line);
        } else {
            self.open(format_args!("{pattern} =>"));
            self.line(value);
            self.close("");
        }
    }

    /// `head(`, each item on its own line with a trailing comma, then `close`.
    fn vertical(&mut self, head: &str, items: &[String], close: &str) {
        self.line(format_args!("{head}("));
        self.out.depth += 1;
        for item in items {
            self.line(format_args!("{item},"));
        }
        self.out.depth -= 1;
        self.line(close);
    }

    /// `head` (ending in `[` or `&[`) and one level deeper: a multi-line list.
    pub(super) fn open_bracket(&mut self, head: &str) {
        self.line(head);
        self.out.depth += 1;
    }

    /// One level shallower and `tail` (`],` or `];`).
    pub(super) fn close_bracket(&mut self, tail: &str) {
        self.out.depth = self.out.depth.saturating_sub(1);
        self.line(tail);
    }

    /// One level deeper without a brace: a continued expression.
    pub(super) fn open_block(&mut self) {
        self.out.depth += 1;
    }

    /// Back from [`open_block`](Self::open_block).
    pub(super) fn close_block(&mut self) {
        self.out.depth = self.out.depth.saturating_sub(1);
    }

    /// One level shallower and `}` followed by `tail` (`;`, `,` or nothing).
    pub(super) fn close(&mut self, tail: &str) {
        self.out.depth = self.out.depth.saturating_sub(1);
        self.line(format_args!("}}{tail}"));
    }

    /// The spec's doc text as `///` lines: brief, then each further paragraph after
    /// a `///` line. Doc text is one paragraph per line by construction (`Doc`).
    pub(super) fn docs(&mut self, doc: &Doc) {
        for (i, paragraph) in doc.paragraphs().enumerate() {
            if i > 0 {
                self.line("///");
            }
            self.doc(&escape::rust_doc(paragraph));
        }
    }

    /// One `///` line per line of `text` (already Markdown).
    pub(super) fn doc(&mut self, text: &str) {
        self.comment("///", text);
    }

    /// A doc line documented only with cargo feature `feature`, as rustfmt lays out
    /// the attribute.
    pub(super) fn gated_doc(&mut self, feature: &str, text: &str) {
        self.cfg_attr(feature, &format!("doc = {}", string(text)));
    }

    /// `#[cfg_attr(feature = "FEATURE", ATTRIBUTE)]`, on one line when it fits, else
    /// as rustfmt breaks it.
    pub(super) fn cfg_attr(&mut self, feature: &str, attribute: &str) {
        let feature = string(feature);
        let one_line = format!("#[cfg_attr(feature = {feature}, {attribute})]");
        if self.fits(&one_line) {
            self.line(one_line);
        } else {
            self.line("#[cfg_attr(");
            self.line(format_args!("    feature = {feature},"));
            self.line(format_args!("    {attribute}"));
            self.line(")]");
        }
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

    /// `head [items]tail` or `head &[items]tail` (the `[` or `&[` ends `head`) on
    /// one line when it fits and the items take at most 60 columns (rustfmt's
    /// `array_width`), else one item per line with a trailing comma.
    pub(super) fn list(&mut self, head: &str, items: &[String], tail: &str) {
        let joined = items.join(", ");
        let one_line = format!("{head}{joined}]{tail}");
        if items.is_empty() || (joined.len() <= SHORT_WIDTH && self.fits(&one_line)) {
            self.line(one_line);
            return;
        }
        self.line(head);
        self.out.depth += 1;
        for item in items {
            self.line(format_args!("{item},"));
        }
        self.out.depth -= 1;
        self.line(format_args!("]{tail}"));
    }

    /// A list of struct literals (`head` ends in `[` or `&[`), as rustfmt lays it
    /// out: `head]tail` when empty, a single literal hugging the brackets
    /// (`&[Type {` ... `}]`), else one literal per line. Struct literals always take
    /// a line per field: the fields of these are wider than rustfmt's
    /// `struct_lit_width`.
    pub(super) fn struct_list<T>(
        &mut self,
        head: &str,
        type_name: &str,
        items: Vec<T>,
        tail: &str,
        fields: impl FnMut(&mut Self, T),
    ) {
        let items = items.into_iter().map(|item| (None, item)).collect();
        self.struct_list_cfg(head, type_name, items, tail, fields);
    }

    /// [`RustWriter::struct_list`] with a `#[cfg]` line before some literals: the
    /// ones a later release added. A list whose one literal has a `cfg` takes the
    /// multi-line form.
    pub(super) fn struct_list_cfg<T>(
        &mut self,
        head: &str,
        type_name: &str,
        items: Vec<(Option<String>, T)>,
        tail: &str,
        mut fields: impl FnMut(&mut Self, T),
    ) {
        match items.len() {
            0 => self.line(format_args!("{head}]{tail}")),
            1 if items[0].0.is_none() => {
                self.open(format_args!("{head}{type_name}"));
                items.into_iter().for_each(|(_, item)| fields(self, item));
                self.close(&format!("]{tail}"));
            }
            _ => {
                self.open_bracket(head);
                for (cfg, item) in items {
                    if let Some(cfg) = cfg {
                        self.line(cfg);
                    }
                    self.open(type_name);
                    fields(self, item);
                    self.close(",");
                }
                self.close_bracket(&format!("]{tail}"));
            }
        }
    }

    /// A method chain (`receiver.a().b()`) as a statement or expression: on one line
    /// when it fits and takes at most 60 columns (rustfmt's `chain_width`), else one
    /// `.call()` per line, indented under the receiver. `head` (`let x = `) and `tail`
    /// (`;`) are not part of the chain.
    pub(super) fn chain(&mut self, head: &str, receiver: &str, calls: &[String], tail: &str) {
        let chain = format!("{receiver}{}", calls.concat());
        if chain.len() <= SHORT_WIDTH && self.fits_width(head.len() + chain.len() + tail.len()) {
            self.line(format_args!("{head}{chain}{tail}"));
            return;
        }
        self.line(format_args!("{head}{receiver}"));
        self.out.depth += 1;
        for (i, call) in calls.iter().enumerate() {
            let end = if i + 1 == calls.len() { tail } else { "" };
            self.line(format_args!("{call}{end}"));
        }
        self.out.depth -= 1;
    }

    /// Whether `line` fits within the width at the current indentation.
    pub(super) fn fits(&self, line: &str) -> bool {
        self.fits_width(line.chars().count())
    }

    /// Whether a line `width` bytes long fits at the current indentation. Bytes
    /// overcount non-ASCII text, which at worst breaks a line that would fit.
    fn fits_width(&self, width: usize) -> bool {
        self.out.depth * INDENT.len() + width <= MAX_WIDTH
    }
}

/// `head(args)` when rustfmt would keep the call on one line as far as its
/// arguments go (at most 60 columns of them: `fn_call_width`); the caller still
/// checks the line's width.
fn short_call(head: &str, args: &[String]) -> Option<String> {
    let joined = args.join(", ");
    (joined.len() <= SHORT_WIDTH).then(|| format!("{head}({joined})"))
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
            out: Lines::at_depth(1),
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
