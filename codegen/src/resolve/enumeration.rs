//! `[[enum]]`: enumerators with values C and Rust compute alike, aliases and
//! deprecations.

use std::collections::HashMap;
use std::ops::Range;

use crate::model::{EnumId, EnumUse, Enumeration, Enumerator, EnumeratorId, ValueExpr};
use crate::spec::{RawEnum, RawEnumerator, SpannedStr};

use super::Resolver;
use super::constant::parse_integer;
use super::names::is_c_identifier;

impl Resolver {
    pub(super) fn enumeration(&mut self, raw: &RawEnum, id: EnumId) -> Enumeration {
        let name = self.declare(&raw.name, "enum");
        let tag = self.declare_tag(&raw.tag);
        self.enums.entry(name.clone()).or_insert(id);
        let mut enumerators: Vec<Enumerator> = Vec::new();
        let mut by_value: HashMap<i64, (String, Range<usize>)> = HashMap::new();
        // After a value that could not be computed, implicit values are unknown too:
        // checking them would only report follow-on errors.
        let mut previous_known = true;
        for v in &raw.enumerators {
            let vname = self.declare(&v.name, "enumerator");
            // Saturating: an out-of-range value is reported, never an overflow panic.
            let next = enumerators.last().map_or(0, |p| p.value.saturating_add(1));
            let resolved = match (&v.value, &v.alias_of) {
                (Some(_), Some(alias)) => {
                    self.reports.error(
                        alias.span(),
                        "an enumerator has either `value` or `alias_of`, not both",
                        "remove `value` or `alias_of`",
                    );
                    None
                }
                (None, Some(alias)) => self.alias(alias, &name, id, &enumerators),
                (Some(text), None) => self.value_expr(text),
                (None, None) => previous_known.then_some((ValueExpr::Implicit, next)),
            };
            let known = resolved.is_some();
            previous_known = known;
            let (expr, value) = resolved.unwrap_or((ValueExpr::Implicit, next));
            if known && i32::try_from(value).is_err() {
                let span = v.value.as_ref().map_or(v.name.span(), |t| t.span());
                self.reports
                    .error(
                        span,
                        format!("value {value} of `{vname}` overflows the enum's type `int`"),
                        "C enumerators are `int`: between -2147483648 and 2147483647",
                    )
                    .help("choose a smaller value or base constant");
            }
            self.deprecation(v);
            if known && !matches!(expr, ValueExpr::Alias(_)) {
                if let Some((first, first_span)) = by_value.get(&value) {
                    self.reports
                        .error(
                            v.name.span(),
                            format!("`{vname}` has the same value ({value}) as `{first}`"),
                            "duplicate enumerator value",
                        )
                        .note(first_span.clone(), "the value is first used here")
                        .help(format!(
                            "if it is meant as a second name, write `alias_of = \"{first}\"`"
                        ));
                } else {
                    by_value.insert(value, (vname.clone(), v.name.span()));
                }
            }
            let vid = EnumeratorId {
                enumeration: id,
                index: enumerators.len(),
            };
            self.enumerators.insert(vname.clone(), (vid, value));
            enumerators.push(Enumerator {
                name: vname,
                value,
                expr,
                deprecated: v.deprecated.as_ref().map(|d| d.get_ref().clone()),
                since: v.since.as_ref().map(|s| s.get_ref().clone()),
                doc: self.doc(&v.doc, "enumerator"),
            });
        }
        if enumerators.is_empty() {
            self.reports.error(
                raw.name.span(),
                format!("enum `{name}` has no enumerators"),
                "add at least one `[[enum.enumerator]]`",
            );
        }
        Enumeration {
            name,
            tag,
            defined_in: self.defined_in(&raw.defined_in),
            since: raw.since.as_ref().map(|s| s.get_ref().clone()),
            doc: self.doc(&raw.doc, "enum"),
            enumerators,
            // Both follow from the rest of the spec: see `cross_refs`.
            usage: EnumUse::Constants,
            used_by: Vec::new(),
        }
    }

    /// `alias_of`: an enumerator listed above this one in the same enum.
    fn alias(
        &mut self,
        alias: &SpannedStr,
        enum_name: &str,
        id: EnumId,
        earlier: &[Enumerator],
    ) -> Option<(ValueExpr, i64)> {
        let Some(index) = earlier.iter().position(|p| p.name == *alias.get_ref()) else {
            self.reports.error(
                alias.span(),
                format!(
                    "alias to `{}`, which is not an earlier enumerator of `{enum_name}`",
                    alias.get_ref()
                ),
                "expected the name of an enumerator listed above this one",
            );
            return None;
        };
        let target = EnumeratorId {
            enumeration: id,
            index,
        };
        Some((ValueExpr::Alias(target), earlier[index].value))
    }

    /// A deprecation note is plain text, and only an alias can be deprecated: a
    /// value's only name cannot go.
    fn deprecation(&mut self, v: &RawEnumerator) {
        let Some(note) = &v.deprecated else {
            return;
        };
        self.text(
            note,
            "the deprecation note",
            super::doc::MAX_DOC_BYTES,
            false,
        );
        if v.alias_of.is_none() {
            self.reports.error(
                note.span(),
                "only an alias (`alias_of`) can be deprecated",
                "add `alias_of` or remove `deprecated`",
            );
        }
    }

    /// Parses `LITERAL`, `CONSTANT`, `CONSTANT + LITERAL` or `CONSTANT - LITERAL`.
    /// `None` when the value cannot be known (the problem is reported, or was
    /// already reported for the constant it uses).
    fn value_expr(&mut self, text: &SpannedStr) -> Option<(ValueExpr, i64)> {
        let raw = text.get_ref().trim();
        if let Some(v) = parse_integer(raw) {
            return Some((ValueExpr::Literal(raw.to_owned()), v));
        }
        if self.leading_zero(text.span(), raw) {
            return None;
        }
        let (constant, sign, offset_text) = match raw.find(['+', '-']) {
            Some(at) => (
                raw[..at].trim(),
                if &raw[at..at + 1] == "-" { -1 } else { 1 },
                Some(raw[at + 1..].trim()),
            ),
            None => (raw, 1, None),
        };
        let offset = match offset_text.map(parse_integer) {
            None => Some(0),
            Some(parsed) => parsed,
        };
        let (true, Some(offset)) = (is_c_identifier(constant), offset) else {
            self.reports
                .error(
                    text.span(),
                    format!("cannot read `{}` as a value", raw.escape_debug()),
                    "expected `N`, `CONSTANT`, `CONSTANT + N` or `CONSTANT - N`",
                )
                .help("N is a decimal or 0x-prefixed hexadecimal integer");
            return None;
        };
        if self.invalid_constants.contains(constant) {
            return None;
        }
        let Some(&(id, base)) = self.constants.get(constant) else {
            self.reports
                .error(
                    text.span(),
                    format!("`{constant}` is not a constant of this spec"),
                    "expected a `[[constant]]` name",
                )
                .suggest(constant, self.constants.keys().map(String::as_str));
            return None;
        };
        let offset = sign * offset;
        let Some(value) = base.checked_add(offset) else {
            self.reports.error(
                text.span(),
                format!("`{raw}` overflows"),
                "the value does not fit 64 bits",
            );
            return None;
        };
        let expr = ValueExpr::Offset {
            constant: id,
            offset,
        };
        Some((expr, value))
    }
}
