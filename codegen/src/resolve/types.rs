//! Type names as the spec writes them (`uint8_t*`, `bind_operation_t`), resolved to
//! [`Type`]s.

use crate::model::{Primitive, Type};
use crate::spec::SpannedStr;

use super::Resolver;

impl Resolver {
    /// Resolves a C type name; `void` is admitted behind a pointer, and as a value
    /// only where `allow_void_value` says so (a helper's return type).
    pub(super) fn ty(&mut self, text: &SpannedStr, allow_void_value: bool) -> Option<Type> {
        let (base, depth) = base_and_depth(text.get_ref());
        // `const T*`: a pointer to data the callee only reads.
        let (base, constant) = match base.strip_prefix("const ") {
            Some(rest) => (rest.trim_start(), true),
            None => (base, false),
        };
        if constant && depth == 0 {
            self.reports
                .error(
                    text.span(),
                    format!("`const` qualifies `{base}` itself"),
                    "only what a pointer points to may be `const` (`const void*`)",
                )
                .help(format!("write `const {base}*`, or drop `const`"));
            return None;
        }
        let mut ty = if base == "void" && (depth > 0 || allow_void_value) {
            Type::Void
        } else if let Some(p) = Primitive::from_c_name(base).filter(|p| p.is_stdint()) {
            Type::Primitive(p)
        } else if let Some(&id) = self.enums.get(base) {
            Type::Enum(id)
        } else if let Some(&id) = self.structs.get(base) {
            Type::Struct(id)
        } else if let Some((typedef, target)) = self.typedef_names.get(base).cloned() {
            let Some(&target) = self.structs.get(&target) else {
                self.reports.error(
                    text.span(),
                    format!(
                        "typedef `{base}` names `{target}`, which is not defined above this use"
                    ),
                    "a typedef's struct must be defined before a member uses the typedef",
                );
                return None;
            };
            Type::Alias { typedef, target }
        } else if let Some(p) = Primitive::from_c_name(base) {
            // After the spec's own names: an item named `size_t` is reported as
            // such, and its uses are the item's.
            Type::Primitive(p)
        } else if self.all_structs.contains(base) {
            self.reports.error(
                text.span(),
                format!("`{base}` is used before it is defined"),
                "C needs a struct defined above its first use; move this struct's `[[struct]]` lower or the other one higher",
            );
            return None;
        } else {
            let known = Primitive::ALL
                .iter()
                .map(|p| p.c_name())
                .chain(Primitive::PLATFORM.iter().map(|p| p.c_name()))
                .chain(self.enums.keys().map(String::as_str))
                .chain(self.structs.keys().map(String::as_str));
            self.reports
                .error(
                    text.span(),
                    format!("unknown type `{base}`"),
                    "expected a <stdint.h> integer, `int`, or an enum or struct of this spec",
                )
                .suggest(base, known);
            return None;
        };
        if constant {
            ty = Type::Const(Box::new(ty));
        }
        for _ in 0..depth {
            ty = Type::Pointer(Box::new(ty));
        }
        Some(ty)
    }
}

/// A type name's base name and how many pointers lead to it (`uint8_t **`:
/// `uint8_t`, 2).
pub(super) fn base_and_depth(text: &str) -> (&str, usize) {
    let raw = text.trim();
    let base = raw.trim_end_matches(|c: char| c == '*' || c.is_whitespace());
    (base, raw[base.len()..].matches('*').count())
}

/// A type name as C spells the type it names (`uint8_t **` -> `uint8_t**`).
pub(super) fn c_spelling(text: &str) -> String {
    let (base, depth) = base_and_depth(text);
    format!("{base}{}", "*".repeat(depth))
}
