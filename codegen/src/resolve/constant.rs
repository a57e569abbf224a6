//! `[[constant]]`: a name and an integer literal that C and Rust read alike.

use std::ops::Range;

use crate::model::{Constant, ConstantId};
use crate::spec::RawConstant;

use super::Resolver;

impl Resolver {
    pub(super) fn constant(&mut self, c: &RawConstant, id: ConstantId) -> Constant {
        let name = self.declare(&c.name, "constant");
        let written = c.value.get_ref();
        let value = match parse_integer(written) {
            Some(v) => v,
            None if self.leading_zero(c.value.span(), written) => {
                self.invalid_constants.insert(name.clone());
                0
            }
            None => {
                self.invalid_constants.insert(name.clone());
                self.reports.error(
                    c.value.span(),
                    format!("`{}` is not an integer literal", written.escape_debug()),
                    "expected a decimal or 0x-prefixed hexadecimal integer",
                );
                0
            }
        };
        if i32::try_from(value).is_err() {
            self.invalid_constants.insert(name.clone());
            self.reports
                .error(
                    c.value.span(),
                    format!("constant `{name}` = {value} does not fit `int`"),
                    "constants are 32-bit signed integers in C and Rust",
                )
                .help("use a value between -2147483648 and 2147483647");
        }
        self.constants.insert(name.clone(), (id, value));
        Constant {
            name,
            spelling: written.trim().to_owned(),
            value,
            defined_in: self.defined_in(&c.defined_in),
            since: c.since.as_ref().map(|s| s.get_ref().clone()),
            doc: self.doc(&c.doc, "constant"),
        }
    }

    /// Reports a decimal number written with a leading zero (`010`), anywhere in
    /// `text`: C reads it as octal (8) and Rust as decimal (10), so the header and
    /// the bindings would disagree. Returns whether it reported one.
    pub(super) fn leading_zero(&mut self, span: Range<usize>, text: &str) -> bool {
        let Some(number) = text
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .find(|word| {
                word.len() > 1 && word.starts_with('0') && word.bytes().all(|b| b.is_ascii_digit())
            })
        else {
            return false;
        };
        let decimal = number.trim_start_matches('0');
        let decimal = if decimal.is_empty() { "0" } else { decimal };
        self.reports
            .error(
                span,
                format!("`{number}` has a leading zero"),
                "C reads a number with a leading 0 as octal, Rust as decimal",
            )
            .help(format!(
                "write `{decimal}` for decimal, or a 0x-prefixed hexadecimal number"
            ));
        true
    }
}

/// A decimal or `0x` hexadecimal integer literal, optionally negative.
pub(super) fn parse_integer(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let magnitude = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        // from_str_radix would accept a sign after `0x`.
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        i64::from_str_radix(hex, 16).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        // C would read `010` as octal: refused (see `Resolver::leading_zero`).
        if digits.len() > 1 && digits.starts_with('0') {
            return None;
        }
        digits.parse().ok()?
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
}
