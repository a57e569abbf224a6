//! Rules for text that ends up in generated comments and strings: doc strings,
//! deprecation notes and documented return values.

use crate::model::{Doc, RetVal};
use crate::spec::{RawRetval, SpannedStr};

use super::Resolver;

/// Longest doc string; anything longer is a pasted file, not documentation.
pub(super) const MAX_DOC_BYTES: usize = 16 * 1024;

/// Longest short text (return value descriptions, section names, file names).
pub(super) const MAX_SHORT_TEXT: usize = 200;

impl Resolver {
    /// Checks text that ends up in generated comments or strings: no control
    /// characters (emitters escape everything else) and a sane length.
    pub(super) fn text(
        &mut self,
        text: &SpannedStr,
        what: &str,
        max: usize,
        multiline: bool,
    ) -> bool {
        let value = text.get_ref();
        // Bidirectional controls reorder how code reads (gcc -Wbidi-chars, rustc's
        // text_direction_codepoint_in_comment): refused like the other controls.
        let bad = value.chars().find(|&c| {
            (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
                || is_bidi_control(c)
        });
        if let Some(c) = bad {
            self.reports
                .error(
                    text.span(),
                    format!("{what} contains the control character U+{:04X}", c as u32),
                    "control characters cannot be written to the generated files",
                )
                .help("remove it; write line breaks as real new lines");
            return false;
        }
        if value.len() > max {
            self.reports
                .error(
                    text.span(),
                    format!("{what} is too long ({} bytes)", value.len()),
                    format!("at most {max} bytes"),
                )
                .help("shorten it; link to longer material instead of copying it");
            return false;
        }
        true
    }

    /// A doc string: checked text with at least a brief.
    pub(super) fn doc(&mut self, text: &SpannedStr, what: &str) -> Doc {
        let empty = Doc {
            brief: String::new(),
            details: Vec::new(),
        };
        let what_text = format!("the documentation of this {what}");
        if !self.text(text, &what_text, MAX_DOC_BYTES, true) {
            return empty;
        }
        Doc::parse(text.get_ref()).unwrap_or_else(|| {
            self.reports
                .error(
                    text.span(),
                    format!("missing documentation for this {what}"),
                    "this doc string is empty",
                )
                .help("write a sentence saying what it is");
            empty
        })
    }

    /// Documented return values of a hook or helper: each one word (see
    /// [`is_retval_form`]) with its doc.
    pub(super) fn retvals(&mut self, raw: &[RawRetval]) -> Vec<RetVal> {
        raw.iter()
            .map(|r| {
                let value = r.value.get_ref().trim();
                if value.is_empty() {
                    self.reports.error(
                        r.value.span(),
                        "empty return value",
                        "expected an enumerator, a number or a condition such as `<0`",
                    );
                } else if !self.text(&r.value, "the return value", MAX_SHORT_TEXT, false) {
                    // Reported; checking its form too would repeat the problem.
                } else if value.contains('`') {
                    self.reports.error(
                        r.value.span(),
                        "a return value cannot contain a backtick",
                        "it is shown as code in the documentation",
                    );
                } else if !is_retval_form(value) {
                    self.reports.error(
                        r.value.span(),
                        format!("`{value}` is not a return value"),
                        "expected an enumerator, a number or a condition such as `<0`",
                    );
                }
                RetVal {
                    value: value.to_owned(),
                    doc: self.doc(&r.doc, "return value"),
                }
            })
            .collect()
    }
}

/// Unicode's bidirectional formatting characters (the "Trojan Source" set and the
/// marks).
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// A documented return value is one word (Doxygen's `@retval` takes one, where escapes
/// do not work): a name, a number, or a comparison with a number such as `<0`.
fn is_retval_form(value: &str) -> bool {
    let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let number = |n: &str| {
        let n = n.strip_prefix('-').unwrap_or(n);
        word(n) && n.starts_with(|c: char| c.is_ascii_digit())
    };
    match ["<=", ">=", "!=", "==", "<", ">"]
        .iter()
        .find_map(|op| value.strip_prefix(op))
    {
        Some(rest) => number(rest),
        None => number(value) || word(value),
    }
}
