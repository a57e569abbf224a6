//! Identifier rules: what may name an item, a tag or a member, and C's two
//! namespaces (ordinary identifiers and tags) in which names must be unique.

use crate::c_naming;
use crate::model::Primitive;
use crate::spec::SpannedStr;

use crate::resolve::Resolver;

/// C (C23) and C++ (C++23) keywords and alternative tokens: none can name anything.
const C_KEYWORDS: &[&str] = &[
    "auto",
    "break",
    "case",
    "char",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extern",
    "float",
    "for",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "register",
    "restrict",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "struct",
    "switch",
    "typedef",
    "union",
    "unsigned",
    "void",
    "volatile",
    "while",
    "_Alignas",
    "_Alignof",
    "_Atomic",
    "_BitInt",
    "_Bool",
    "_Complex",
    "_Decimal128",
    "_Decimal32",
    "_Decimal64",
    "_Generic",
    "_Imaginary",
    "_Noreturn",
    "_Static_assert",
    "_Thread_local",
    "alignas",
    "alignof",
    "and",
    "and_eq",
    "asm",
    "bitand",
    "bitor",
    "bool",
    "catch",
    "char8_t",
    "char16_t",
    "char32_t",
    "class",
    "co_await",
    "co_return",
    "co_yield",
    "compl",
    "concept",
    "consteval",
    "constexpr",
    "constinit",
    "const_cast",
    "decltype",
    "delete",
    "dynamic_cast",
    "explicit",
    "export",
    "false",
    "friend",
    "mutable",
    "namespace",
    "new",
    "noexcept",
    "not",
    "not_eq",
    "nullptr",
    "operator",
    "or",
    "or_eq",
    "private",
    "protected",
    "public",
    "reinterpret_cast",
    "requires",
    "static_assert",
    "static_cast",
    "template",
    "this",
    "thread_local",
    "throw",
    "true",
    "try",
    "typeid",
    "typename",
    "typeof",
    "typeof_unqual",
    "using",
    "virtual",
    "wchar_t",
    "xor",
    "xor_eq",
];

/// Type names of the C standard headers the ABI may include.
const STANDARD_TYPES: &[&str] = &[
    "size_t",
    "ssize_t",
    "ptrdiff_t",
    "intptr_t",
    "uintptr_t",
    "intmax_t",
    "uintmax_t",
    "wchar_t",
    "char16_t",
    "char32_t",
];

/// Rust (2024 edition) strict and reserved keywords that C allows as names.
const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "crate", "dyn", "fn", "impl", "in", "let", "loop", "match", "mod",
    "move", "mut", "pub", "ref", "self", "Self", "super", "trait", "type", "unsafe", "use",
    "where", "abstract", "become", "box", "final", "gen", "macro", "override", "priv", "unsized",
    "yield", "_",
];

/// ASCII letters, digits and `_`, not starting with a digit.
pub(in crate::resolve) fn is_c_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Whether the name cannot be a Rust identifier without a `rust_name`.
pub(in crate::resolve) fn is_rust_keyword(text: &str) -> bool {
    RUST_KEYWORDS.contains(&text)
}

impl Resolver {
    /// Checks an identifier and records it in C's ordinary namespace.
    pub(in crate::resolve) fn declare(&mut self, name: &SpannedStr, what: &str) -> String {
        self.identifier(name, what);
        if let Some(previous) = self.ordinary.get(name.get_ref()).cloned() {
            self.reports
                .error(
                    name.span(),
                    format!("`{}` is declared twice", name.get_ref()),
                    format!("this {what} reuses the name"),
                )
                .note(previous, "first declared here")
                .help(
                    "constants, typedefs, enumerators, hooks and helpers share one namespace in C; rename one",
                );
        } else {
            self.ordinary.insert(name.get_ref().clone(), name.span());
        }
        name.get_ref().clone()
    }

    /// Checks a struct or enum tag and records it in C's tag namespace.
    pub(in crate::resolve) fn declare_tag(&mut self, tag: &Option<SpannedStr>) -> Option<String> {
        let tag = tag.as_ref()?;
        self.c_identifier(tag, "tag");
        if let Some(previous) = self.tags.insert(tag.get_ref().clone(), tag.span()) {
            self.reports
                .error(
                    tag.span(),
                    format!("tag `{}` is used twice", tag.get_ref()),
                    "this tag reuses the name",
                )
                .note(previous, "first used here")
                .help("struct and enum tags share one namespace in C; rename one");
        }
        Some(tag.get_ref().clone())
    }

    /// Checks a name that C and Rust both use: a valid C identifier that is no
    /// keyword of C, C++ or Rust.
    pub(in crate::resolve) fn identifier(&mut self, name: &SpannedStr, what: &str) {
        if self.c_identifier(name, what) && is_rust_keyword(name.get_ref()) {
            self.reports
                .error(
                    name.span(),
                    format!("`{}` is a Rust keyword", name.get_ref()),
                    format!("this {what} name cannot be used by the Rust bindings"),
                )
                .help(format!(
                    "rename the {what}; only a struct member can keep it and state `rust_name`"
                ));
        }
    }

    /// Checks a name that only C uses; false (with a diagnostic) if it is unusable.
    pub(in crate::resolve) fn c_identifier(&mut self, name: &SpannedStr, what: &str) -> bool {
        let text = name.get_ref();
        let problem = if !is_c_identifier(text) {
            Some((
                format!("`{}` is not a valid C identifier", text.escape_debug()),
                format!(
                    "expected a {what} name of ASCII letters, digits and `_`, not starting with a digit"
                ),
                None,
            ))
        } else if C_KEYWORDS.contains(&text.as_str()) {
            Some((
                format!("`{text}` is a C or C++ keyword"),
                format!("a {what} cannot be named after a keyword"),
                Some("rename it".to_owned()),
            ))
        } else if Primitive::from_c_name(text).is_some() || STANDARD_TYPES.contains(&text.as_str())
        {
            Some((
                format!("`{text}` is a standard C type"),
                format!("a {what} cannot reuse the name of a standard type"),
                Some("rename it".to_owned()),
            ))
        } else if c_naming::is_stdint_macro(text) {
            Some((
                format!("`{text}` is a macro name of <stdint.h>"),
                format!("a {what} cannot reuse a name that <stdint.h> defines or reserves"),
                Some("rename it".to_owned()),
            ))
        } else if text.starts_with("__")
            || (text.starts_with('_') && text[1..].starts_with(|c: char| c.is_ascii_uppercase()))
        {
            Some((
                format!("`{text}` is a reserved identifier"),
                "C reserves names that start with `__` or `_` and a capital letter".to_owned(),
                Some(format!(
                    "rename it, for example to `{}`",
                    text.trim_start_matches('_').to_lowercase()
                )),
            ))
        } else {
            None
        };
        let Some((message, label, help)) = problem else {
            return true;
        };
        let report = self.reports.error(name.span(), message, label);
        if let Some(help) = help {
            report.help(help);
        }
        false
    }
}
