//! Validation and resolution: turns the spec as written ([`RawSpec`]) into the
//! [`Model`], checking every name and reference and computing every value. All
//! problems are collected, so one run reports every mistake of a spec.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::model::{
    Aggregate, AttachType, Constant, Direction, Doc, EnumUse, Enumeration, Enumerator, Header,
    Helper, HelperParam, HelperReturns, Hook, HookParam, Member, MemberKind, Model, Placement,
    Primitive, RetVal, Structure, Type, ValueExpr,
};
use crate::spec::{
    RawEnum, RawHelper, RawHelperParam, RawHook, RawMember, RawRetval, RawSpec, RawStruct,
    SpannedStr,
};

/// Longest array a member may declare; anything larger is surely a typo.
const MAX_ARRAY_LEN: i64 = 1 << 20;

/// Largest struct the ABI may describe; the bound also keeps layout arithmetic far
/// from overflow.
const MAX_STRUCT_SIZE: u64 = 16 << 20;

/// Deepest nesting of anonymous structs and unions; real ABIs use two or three
/// levels, so deeper nesting is far more likely a mistake in the spec than intended.
const MAX_ANONYMOUS_DEPTH: usize = 8;

/// Longest doc string; anything longer is a pasted file, not documentation.
const MAX_DOC_BYTES: usize = 16 * 1024;

/// Longest short text (return value descriptions, section names, file names).
const MAX_SHORT_TEXT: usize = 200;

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

/// Rust (2024 edition) strict and reserved keywords that C allows as names.
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

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "crate", "dyn", "fn", "impl", "in", "let", "loop", "match", "mod",
    "move", "mut", "pub", "ref", "self", "Self", "super", "trait", "type", "unsafe", "use",
    "where", "abstract", "become", "box", "final", "gen", "macro", "override", "priv", "unsized",
    "yield", "_",
];

/// Resolves a parsed spec. `Err` holds every problem found.
pub fn resolve(raw: &RawSpec, source: &str) -> Result<Model, Vec<Diagnostic>> {
    let mut resolver = Resolver::default();
    let model = resolver.model(raw, source);
    if resolver.diagnostics.is_empty() {
        Ok(model)
    } else {
        Err(resolver.diagnostics)
    }
}

#[derive(Default)]
struct Resolver {
    diagnostics: Vec<Diagnostic>,
    /// C's ordinary identifier namespace: macros, typedefs, enumerators, helpers.
    ordinary: HashMap<String, Range<usize>>,
    /// C's tag namespace (struct and enum tags).
    tags: HashMap<String, Range<usize>>,
    constants: HashMap<String, i64>,
    enums: HashSet<String>,
    /// Structs defined so far: a struct can only use the ones defined before it.
    structs: HashSet<String>,
    /// Struct names declared anywhere in the spec, to tell "later" from "unknown".
    all_structs: HashSet<String>,
    enumerators: HashMap<String, (String, i64)>,
    /// How many anonymous members enclose the member being resolved.
    anonymous_depth: usize,
    /// Constants whose value is reported as wrong: values using them are unknown.
    invalid_constants: HashSet<String>,
    /// Upper bounds of struct sizes, to reject absurd ones before layout.
    struct_bounds: HashMap<String, u64>,
}

impl Resolver {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, label: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(span, message, label));
    }

    fn model(&mut self, raw: &RawSpec, source: &str) -> Model {
        self.all_structs = raw
            .structs
            .iter()
            .map(|s| s.name.get_ref().clone())
            .collect();
        let header = Header {
            file: raw.header.file.get_ref().clone(),
            includes: raw
                .header
                .includes
                .iter()
                .map(|i| i.get_ref().clone())
                .collect(),
            doc: self.doc(&raw.header.doc, "the header"),
        };
        self.header_file(&raw.header.file);
        for include in &raw.header.includes {
            let name = include.get_ref();
            // Written as `#include <NAME>`: a path of plain characters, no `>`.
            let plain = !name.is_empty()
                && name.len() <= MAX_SHORT_TEXT
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
            if !plain {
                self.diagnostics.push(
                    Diagnostic::new(
                        include.span(),
                        format!("`{}` is not a header name", name.escape_debug()),
                        "expected a system header such as `stdint.h`",
                    )
                    .with_help("use ASCII letters, digits, `_`, `-`, `.` and `/` only"),
                );
            }
        }
        let constants = raw
            .constants
            .iter()
            .map(|c| {
                let name = self.declare(&c.name, "constant");
                let value = match parse_integer(c.value.get_ref()) {
                    Some(v) => v,
                    None if self.leading_zero(c.value.span(), c.value.get_ref()) => {
                        self.invalid_constants.insert(name.clone());
                        0
                    }
                    None => {
                        self.invalid_constants.insert(name.clone());
                        self.error(
                            c.value.span(),
                            format!(
                                "`{}` is not an integer literal",
                                c.value.get_ref().escape_debug()
                            ),
                            "expected a decimal or 0x-prefixed hexadecimal integer",
                        );
                        0
                    }
                };
                if i32::try_from(value).is_err() {
                    self.invalid_constants.insert(name.clone());
                    self.diagnostics.push(
                        Diagnostic::new(
                            c.value.span(),
                            format!("constant `{name}` = {value} does not fit `int`"),
                            "constants are 32-bit signed integers in C and Rust",
                        )
                        .with_help("use a value between -2147483648 and 2147483647"),
                    );
                }
                self.constants.insert(name.clone(), value);
                Constant {
                    name,
                    spelling: c.value.get_ref().trim().to_owned(),
                    value,
                    doc: self.doc(&c.doc, "constant"),
                }
            })
            .collect();
        let mut enums: Vec<Enumeration> = raw.enums.iter().map(|e| self.enumeration(e)).collect();
        let mut structs = Vec::new();
        for s in &raw.structs {
            structs.push(self.structure(s));
        }
        let hooks: Vec<Hook> = raw.hooks.iter().map(|h| self.hook(h)).collect();
        self.check_sections(&raw.hooks);
        let helpers = self.helpers(&raw.helpers, &hooks);

        // An enum's use decides how safely a language may represent it.
        let mut used_as_value = HashSet::new();
        for s in &structs {
            for (_, member) in s.leaf_fields() {
                if let MemberKind::Field { ty, .. } = &member.kind {
                    collect_enums(ty, &mut used_as_value);
                }
            }
        }
        for h in &helpers {
            collect_enums(&h.returns.ty, &mut used_as_value);
            for p in &h.params {
                collect_enums(&p.ty, &mut used_as_value);
            }
        }
        let verdicts: HashSet<String> = hooks
            .iter()
            .filter_map(|h| match &h.returns {
                Type::Enum(name) => Some(name.clone()),
                _ => None,
            })
            .collect();
        for e in &mut enums {
            e.usage = if used_as_value.contains(&e.name) {
                EnumUse::Value
            } else if verdicts.contains(&e.name) {
                EnumUse::Verdict
            } else {
                EnumUse::Constants
            };
        }

        Model {
            source: source.to_owned(),
            header,
            constants,
            enums,
            structs,
            hooks,
            helpers,
            index: Default::default(),
        }
    }

    /// The header's file name becomes a path below the output directory: it must
    /// name a file there, never a path that leaves it.
    fn header_file(&mut self, file: &SpannedStr) {
        let name = file.get_ref();
        let problem = if name.is_empty() {
            Some("the header file name is empty")
        } else if name.len() > MAX_SHORT_TEXT
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            || !name.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            Some("the header file name is not a plain file name")
        } else if !name.ends_with(".h") {
            Some("the header file name does not end in `.h`")
        } else {
            None
        };
        if let Some(message) = problem {
            self.diagnostics.push(
                Diagnostic::new(
                    file.span(),
                    message,
                    "expected a file name such as `ebpf_nethooks.h`",
                )
                .with_help(
                    "start with a letter; use ASCII letters, digits, `_`, `-` and `.`, no directories (it is written to `include/`)",
                ),
            );
        }
    }

    /// Checks an identifier and records it in C's ordinary namespace.
    fn declare(&mut self, name: &SpannedStr, what: &str) -> String {
        self.identifier(name, what);
        if let Some(previous) = self.ordinary.get(name.get_ref()).cloned() {
            self.diagnostics.push(
                Diagnostic::new(
                    name.span(),
                    format!("`{}` is declared twice", name.get_ref()),
                    format!("this {what} reuses the name"),
                )
                .with_note(previous, "first declared here")
                .with_help(
                    "constants, typedefs, enumerators, hooks and helpers share one namespace in C; rename one",
                ),
            );
        } else {
            self.ordinary.insert(name.get_ref().clone(), name.span());
        }
        name.get_ref().clone()
    }

    fn declare_tag(&mut self, tag: &Option<SpannedStr>) -> Option<String> {
        let tag = tag.as_ref()?;
        self.c_identifier(tag, "tag");
        if let Some(previous) = self.tags.insert(tag.get_ref().clone(), tag.span()) {
            self.diagnostics.push(
                Diagnostic::new(
                    tag.span(),
                    format!("tag `{}` is used twice", tag.get_ref()),
                    "this tag reuses the name",
                )
                .with_note(previous, "first used here")
                .with_help("struct and enum tags share one namespace in C; rename one"),
            );
        }
        Some(tag.get_ref().clone())
    }

    /// Checks a name that C and Rust both use: a valid C identifier that is no
    /// keyword of C, C++ or Rust.
    fn identifier(&mut self, name: &SpannedStr, what: &str) {
        if self.c_identifier(name, what) && RUST_KEYWORDS.contains(&name.get_ref().as_str()) {
            self.diagnostics.push(
                Diagnostic::new(
                    name.span(),
                    format!("`{}` is a Rust keyword", name.get_ref()),
                    format!("this {what} name cannot be used by the Rust bindings"),
                )
                .with_help(format!(
                    "rename the {what}; only a struct member can keep it and state `rust_name`"
                )),
            );
        }
    }

    /// Checks a name that only C uses; false (with a diagnostic) if it is unusable.
    fn c_identifier(&mut self, name: &SpannedStr, what: &str) -> bool {
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
        let mut diagnostic = Diagnostic::new(name.span(), message, label);
        diagnostic.help = help;
        self.diagnostics.push(diagnostic);
        false
    }

    /// Checks text that ends up in generated comments or strings: no control
    /// characters (emitters escape everything else) and a sane length.
    fn text(&mut self, text: &SpannedStr, what: &str, max: usize, multiline: bool) -> bool {
        let value = text.get_ref();
        // Bidirectional controls reorder how code reads (gcc -Wbidi-chars, rustc's
        // text_direction_codepoint_in_comment): refused like the other controls.
        let bad = value.chars().find(|&c| {
            (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
                || is_bidi_control(c)
        });
        if let Some(c) = bad {
            self.diagnostics.push(
                Diagnostic::new(
                    text.span(),
                    format!("{what} contains the control character U+{:04X}", c as u32),
                    "control characters cannot be written to the generated files",
                )
                .with_help("remove it; write line breaks as real new lines"),
            );
            return false;
        }
        if value.len() > max {
            self.diagnostics.push(
                Diagnostic::new(
                    text.span(),
                    format!("{what} is too long ({} bytes)", value.len()),
                    format!("at most {max} bytes"),
                )
                .with_help("shorten it; link to longer material instead of copying it"),
            );
            return false;
        }
        true
    }

    fn doc(&mut self, text: &SpannedStr, what: &str) -> Doc {
        let empty = Doc {
            brief: String::new(),
            details: Vec::new(),
        };
        if !self.text(
            text,
            &format!("the documentation of this {what}"),
            MAX_DOC_BYTES,
            true,
        ) {
            return empty;
        }
        Doc::parse(text.get_ref()).unwrap_or_else(|| {
            self.diagnostics.push(
                Diagnostic::new(
                    text.span(),
                    format!("missing documentation for this {what}"),
                    "this doc string is empty",
                )
                .with_help("write a sentence saying what it is"),
            );
            empty
        })
    }

    fn enumeration(&mut self, raw: &RawEnum) -> Enumeration {
        let name = self.declare(&raw.name, "enum");
        let tag = self.declare_tag(&raw.tag);
        self.enums.insert(name.clone());
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
                    self.error(
                        alias.span(),
                        "an enumerator has either `value` or `alias_of`, not both",
                        "remove `value` or `alias_of`",
                    );
                    None
                }
                (None, Some(alias)) => {
                    match enumerators.iter().find(|p| p.name == *alias.get_ref()) {
                        Some(target) => Some((ValueExpr::Alias(target.name.clone()), target.value)),
                        None => {
                            self.error(
                                alias.span(),
                                format!(
                                    "alias to `{}`, which is not an earlier enumerator of `{name}`",
                                    alias.get_ref()
                                ),
                                "expected the name of an enumerator listed above this one",
                            );
                            None
                        }
                    }
                }
                (Some(text), None) => self.value_expr(text),
                (None, None) => previous_known.then_some((ValueExpr::Implicit, next)),
            };
            let known = resolved.is_some();
            previous_known = known;
            let (expr, value) = resolved.unwrap_or((ValueExpr::Implicit, next));
            if known && i32::try_from(value).is_err() {
                let span = v.value.as_ref().map_or(v.name.span(), |t| t.span());
                self.diagnostics.push(
                    Diagnostic::new(
                        span,
                        format!("value {value} of `{vname}` overflows the enum's type `int`"),
                        "C enumerators are `int`: between -2147483648 and 2147483647",
                    )
                    .with_help("choose a smaller value or base constant"),
                );
            }
            if let Some(note) = &v.deprecated {
                self.text(note, "the deprecation note", MAX_DOC_BYTES, false);
            }
            if let (Some(note), None) = (&v.deprecated, &v.alias_of) {
                // Deprecation is only modelled for aliases: a value's only name cannot go.
                self.error(
                    note.span(),
                    "only an alias (`alias_of`) can be deprecated",
                    "add `alias_of` or remove `deprecated`",
                );
            }
            if known && !matches!(expr, ValueExpr::Alias(_)) {
                if let Some((first, first_span)) = by_value.get(&value) {
                    self.diagnostics.push(
                        Diagnostic::new(
                            v.name.span(),
                            format!("`{vname}` has the same value ({value}) as `{first}`"),
                            "duplicate enumerator value",
                        )
                        .with_note(first_span.clone(), "the value is first used here")
                        .with_help(format!(
                            "if it is meant as a second name, write `alias_of = \"{first}\"`"
                        )),
                    );
                } else {
                    by_value.insert(value, (vname.clone(), v.name.span()));
                }
            }
            self.enumerators
                .insert(vname.clone(), (name.clone(), value));
            enumerators.push(Enumerator {
                name: vname,
                value,
                expr,
                deprecated: v.deprecated.as_ref().map(|d| d.get_ref().clone()),
                doc: self.doc(&v.doc, "enumerator"),
            });
        }
        if enumerators.is_empty() {
            self.error(
                raw.name.span(),
                format!("enum `{name}` has no enumerators"),
                "add at least one `[[enum.enumerator]]`",
            );
        }
        Enumeration {
            name,
            tag,
            doc: self.doc(&raw.doc, "enum"),
            enumerators,
            usage: EnumUse::Constants,
        }
    }

    /// Reports a decimal number written with a leading zero (`010`), anywhere in
    /// `text`: C reads it as octal (8) and Rust as decimal (10), so the header and
    /// the bindings would disagree. Returns whether it reported one.
    fn leading_zero(&mut self, span: Range<usize>, text: &str) -> bool {
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
        self.diagnostics.push(
            Diagnostic::new(
                span,
                format!("`{number}` has a leading zero"),
                "C reads a number with a leading 0 as octal, Rust as decimal",
            )
            .with_help(format!(
                "write `{decimal}` for decimal, or a 0x-prefixed hexadecimal number"
            )),
        );
        true
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
            self.diagnostics.push(
                Diagnostic::new(
                    text.span(),
                    format!("cannot read `{}` as a value", raw.escape_debug()),
                    "expected `N`, `CONSTANT`, `CONSTANT + N` or `CONSTANT - N`",
                )
                .with_help("N is a decimal or 0x-prefixed hexadecimal integer"),
            );
            return None;
        };
        if self.invalid_constants.contains(constant) {
            return None;
        }
        let Some(&base) = self.constants.get(constant) else {
            let diagnostic = Diagnostic::new(
                text.span(),
                format!("`{constant}` is not a constant of this spec"),
                "expected a `[[constant]]` name",
            );
            let diagnostic = match closest(constant, self.constants.keys()) {
                Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
                None => diagnostic,
            };
            self.diagnostics.push(diagnostic);
            return None;
        };
        let offset = sign * offset;
        match base.checked_add(offset) {
            Some(value) => Some((
                ValueExpr::Offset {
                    constant: constant.to_owned(),
                    offset,
                },
                value,
            )),
            None => {
                self.error(
                    text.span(),
                    format!("`{raw}` overflows"),
                    "the value does not fit 64 bits",
                );
                None
            }
        }
    }

    fn structure(&mut self, raw: &RawStruct) -> Structure {
        let name = self.declare(&raw.name, "struct");
        let tag = self.declare_tag(&raw.tag);
        let mut member_names = HashMap::new();
        let members = self.members(&raw.members, &name, &mut member_names);
        // Raw count: members that failed to resolve are reported already.
        if raw.members.is_empty() {
            self.error(
                raw.name.span(),
                format!("struct `{name}` has no members"),
                "add at least one `[[struct.member]]`",
            );
        }
        let bound = self.size_bound(&members);
        if bound > MAX_STRUCT_SIZE {
            self.diagnostics.push(
                Diagnostic::new(
                    raw.name.span(),
                    format!("struct `{name}` is too large"),
                    format!("its members take more than {} MiB", MAX_STRUCT_SIZE >> 20),
                )
                .with_help("a context struct is a few hundred bytes; check the array lengths"),
            );
        }
        self.structs.insert(name.clone());
        self.struct_bounds
            .insert(name.clone(), bound.min(MAX_STRUCT_SIZE));
        Structure {
            name,
            tag,
            doc: self.doc(&raw.doc, "struct"),
            members,
            layout: Placement::default(),
        }
    }

    /// An upper bound of the size of `members` laid out as a struct (padding counted
    /// as a full 8 bytes per member), saturating instead of overflowing.
    fn size_bound(&self, members: &[Member]) -> u64 {
        members
            .iter()
            .map(|m| match &m.kind {
                MemberKind::Field { ty, array, .. } => {
                    let element = match ty {
                        Type::Struct(name) => self.struct_bounds.get(name).copied().unwrap_or(0),
                        Type::Primitive(p) => p.size(),
                        _ => 8,
                    };
                    element.saturating_mul(array.unwrap_or(1))
                }
                MemberKind::Anonymous { members, .. } => self.size_bound(members),
            })
            .fold(8, |total, size| {
                total.saturating_add(size).saturating_add(8)
            })
    }

    fn members(
        &mut self,
        raw: &[RawMember],
        owner: &str,
        seen: &mut HashMap<String, Range<usize>>,
    ) -> Vec<Member> {
        raw.iter()
            .filter_map(|m| {
                let kind = self.member_kind(m, owner, seen);
                let doc = self.doc(&m.doc, "member");
                Some(Member {
                    kind: kind?,
                    doc,
                    placement: Placement::default(),
                })
            })
            .collect()
    }

    fn member_kind(
        &mut self,
        m: &RawMember,
        owner: &str,
        seen: &mut HashMap<String, Range<usize>>,
    ) -> Option<MemberKind> {
        let span = m.doc.span();
        match (&m.name, &m.ty, &m.anonymous) {
            (Some(name), Some(ty), None) => {
                if !m.members.is_empty() {
                    self.error(
                        name.span(),
                        "a named member has no nested `member`",
                        "only an anonymous struct or union has nested members",
                    );
                }
                let rust_name = self.field_names(name, m.rust_name.as_ref());
                if let Some(previous) = seen.insert(name.get_ref().clone(), name.span()) {
                    self.diagnostics.push(
                        Diagnostic::new(
                            name.span(),
                            format!("`{owner}` has two members named `{}`", name.get_ref()),
                            "second member with this name",
                        )
                        .with_note(previous, "first member with this name")
                        .with_help(
                            "members of anonymous structs and unions share the enclosing struct's names; rename one",
                        ),
                    );
                }
                let array = m.array.as_ref().and_then(|len| self.array_len(len));
                let ty_resolved = self.member_type(ty, owner)?;
                Some(MemberKind::Field {
                    name: name.get_ref().clone(),
                    rust_name,
                    ty: ty_resolved,
                    array,
                })
            }
            (None, None, Some(kind)) => {
                let aggregate = match kind.get_ref().as_str() {
                    "struct" => Aggregate::Struct,
                    "union" => Aggregate::Union,
                    other => {
                        self.error(
                            kind.span(),
                            format!("`{other}` is not an anonymous member kind"),
                            "expected `struct` or `union`",
                        );
                        return None;
                    }
                };
                let Some(rust_name) = &m.rust_name else {
                    self.error(
                        kind.span(),
                        "anonymous member without `rust_name`",
                        "add `rust_name`: the name Rust gives this member and its type",
                    );
                    return None;
                };
                self.identifier(rust_name, "member");
                if let Some(len) = &m.array {
                    self.error(
                        len.span(),
                        "an anonymous member cannot be an array",
                        "remove `array`",
                    );
                }
                if self.anonymous_depth >= MAX_ANONYMOUS_DEPTH {
                    self.diagnostics.push(
                        Diagnostic::new(
                            kind.span(),
                            format!(
                                "anonymous members are nested more than {MAX_ANONYMOUS_DEPTH} deep"
                            ),
                            "this one is too deep",
                        )
                        .with_help("flatten the nesting, or move part of it into its own struct"),
                    );
                    return None;
                }
                self.anonymous_depth += 1;
                let members = self.members(&m.members, owner, seen);
                self.anonymous_depth -= 1;
                if m.members.is_empty() {
                    self.error(
                        kind.span(),
                        format!("anonymous {} has no members", kind.get_ref()),
                        "add nested `member` tables",
                    );
                }
                Some(MemberKind::Anonymous {
                    aggregate,
                    rust_name: rust_name.get_ref().clone(),
                    members,
                })
            }
            _ => {
                self.error(span, "a member needs either `name` and `type`, or `anonymous`", "expected `name` + `type` for a field, or `anonymous = \"struct\"|\"union\"` with nested members");
                None
            }
        }
    }

    /// Checks a field's C name and optional `rust_name`; returns the Rust name when
    /// the spec states one. A C name that is a Rust keyword needs one.
    fn field_names(&mut self, name: &SpannedStr, rust_name: Option<&SpannedStr>) -> Option<String> {
        if !self.c_identifier(name, "member") {
            return None;
        }
        let keyword = RUST_KEYWORDS.contains(&name.get_ref().as_str());
        match rust_name {
            Some(rust) => {
                self.identifier(rust, "member");
                Some(rust.get_ref().clone())
            }
            None if keyword => {
                self.diagnostics.push(
                    Diagnostic::new(
                        name.span(),
                        format!("member `{}` is a Rust keyword", name.get_ref()),
                        "the Rust bindings cannot use this name",
                    )
                    .with_help(format!(
                        "state the name Rust uses, for example `rust_name = \"{}_\"`",
                        name.get_ref()
                    )),
                );
                None
            }
            None => None,
        }
    }

    /// An array length: at least 1, at most [`MAX_ARRAY_LEN`].
    fn array_len(&mut self, len: &toml::Spanned<i64>) -> Option<u64> {
        let n = *len.get_ref();
        if n < 1 {
            self.diagnostics.push(
                Diagnostic::new(
                    len.span(),
                    format!("array length {n} is not positive"),
                    "an array member has at least one element",
                )
                .with_help("remove `array` for a single value"),
            );
            return None;
        }
        if n > MAX_ARRAY_LEN {
            self.diagnostics.push(
                Diagnostic::new(
                    len.span(),
                    format!("array length {n} is absurdly large"),
                    format!("at most {MAX_ARRAY_LEN} elements (1 Mi)"),
                )
                .with_help("pass large data through a pointer instead"),
            );
            return None;
        }
        u64::try_from(n).ok()
    }

    /// Resolves a C type name such as `uint8_t*` or `bind_operation_t`.
    fn ty(&mut self, text: &SpannedStr, allow_void_value: bool) -> Option<Type> {
        let raw = text.get_ref().trim();
        let base = raw.trim_end_matches(|c: char| c == '*' || c.is_whitespace());
        let depth = raw[base.len()..].matches('*').count();
        let mut ty = if base == "void" && (depth > 0 || allow_void_value) {
            Type::Void
        } else if let Some(p) = Primitive::from_c_name(base) {
            Type::Primitive(p)
        } else if self.enums.contains(base) {
            Type::Enum(base.to_owned())
        } else if self.structs.contains(base) {
            Type::Struct(base.to_owned())
        } else if self.all_structs.contains(base) {
            self.error(text.span(), format!("`{base}` is used before it is defined"), "C needs a struct defined above its first use; move this struct's `[[struct]]` lower or the other one higher");
            return None;
        } else {
            let known = Primitive::ALL
                .iter()
                .map(|p| p.c_name().to_owned())
                .chain(self.enums.iter().cloned())
                .chain(self.structs.iter().cloned())
                .collect::<Vec<_>>();
            let diagnostic = Diagnostic::new(
                text.span(),
                format!("unknown type `{base}`"),
                "expected a <stdint.h> integer, `int`, or an enum or struct of this spec",
            );
            let diagnostic = match closest(base, known.iter()) {
                Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
                None => diagnostic,
            };
            self.diagnostics.push(diagnostic);
            return None;
        };
        for _ in 0..depth {
            ty = Type::Pointer(Box::new(ty));
        }
        Some(ty)
    }

    fn member_type(&mut self, text: &SpannedStr, owner: &str) -> Option<Type> {
        let raw = text.get_ref().trim();
        if raw.trim_end_matches(|c: char| c == '*' || c.is_whitespace()) == owner {
            let diagnostic = if raw.ends_with('*') {
                Diagnostic::new(
                    text.span(),
                    format!("`{owner}` points to itself by its typedef name"),
                    "the typedef name is not declared until the struct is complete",
                )
                .with_help("use `void*`, or a pointer to a struct defined above")
            } else {
                Diagnostic::new(
                    text.span(),
                    format!("`{owner}` contains itself"),
                    "a struct cannot have a member of its own type: it would be infinitely large",
                )
                .with_help("use a pointer to another struct, or remove the member")
            };
            self.diagnostics.push(diagnostic);
            return None;
        }
        self.ty(text, false)
    }

    fn retvals(&mut self, raw: &[RawRetval]) -> Vec<RetVal> {
        raw.iter()
            .map(|r| {
                if r.value.get_ref().trim().is_empty() {
                    self.error(
                        r.value.span(),
                        "empty return value",
                        "expected an enumerator, a number or a condition such as `<0`",
                    );
                } else if !self.text(&r.value, "the return value", MAX_SHORT_TEXT, false) {
                    // Reported; checking its form too would repeat the problem.
                } else if r.value.get_ref().contains('`') {
                    self.error(
                        r.value.span(),
                        "a return value cannot contain a backtick",
                        "it is shown as code in the documentation",
                    );
                } else if !is_retval_form(r.value.get_ref().trim()) {
                    self.error(
                        r.value.span(),
                        format!("`{}` is not a return value", r.value.get_ref().trim()),
                        "expected an enumerator, a number or a condition such as `<0`",
                    );
                }
                RetVal {
                    value: r.value.get_ref().trim().to_owned(),
                    doc: self.doc(&r.doc, "return value"),
                }
            })
            .collect()
    }

    /// Checks that a hook's context names a struct defined so far.
    fn context_struct(&mut self, text: &SpannedStr) {
        let name = text.get_ref().as_str();
        if self.structs.contains(name) {
            return;
        }
        let what = if self.enums.contains(name) {
            format!("`{name}` is an enum")
        } else if Primitive::from_c_name(name).is_some() || name == "void" {
            format!("`{name}` is a scalar type")
        } else if name.ends_with('*') {
            format!("`{name}` is a pointer type")
        } else if self.all_structs.contains(name) {
            format!("`{name}` is defined below this hook")
        } else {
            format!("`{name}` is not defined in this spec")
        };
        let diagnostic = Diagnostic::new(
            text.span(),
            format!("the context type of a hook must be a struct; {what}"),
            "expected the typedef name of a `[[struct]]` defined above",
        );
        let diagnostic = match closest(name.trim_end_matches('*'), self.structs.iter()) {
            Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
            None if self.all_structs.contains(name) => {
                diagnostic.with_help("hooks come after the structs in the spec")
            }
            None => diagnostic,
        };
        self.diagnostics.push(diagnostic);
    }

    fn hook(&mut self, raw: &RawHook) -> Hook {
        let name = self.declare(&raw.name, "hook");
        self.identifier(&raw.program_type, "program type");
        let context = raw.context.get_ref().clone();
        self.context_struct(&raw.context);
        let returns = match self.ty(&raw.returns, false) {
            Some(ty @ (Type::Enum(_) | Type::Primitive(Primitive::Int))) => ty,
            Some(other) => {
                self.error(
                    raw.returns.span(),
                    format!("a hook cannot return `{other}`"),
                    "expected an enum of this spec or `int`",
                );
                Type::Primitive(Primitive::Int)
            }
            None => Type::Primitive(Primitive::Int),
        };
        let retvals = self.retvals(&raw.retvals);
        if let Type::Enum(enum_name) = &returns {
            for (r, raw_r) in retvals.iter().zip(&raw.retvals) {
                match self.enumerators.get(&r.value) {
                    Some((owner, _)) if owner == enum_name => {}
                    _ => self.error(
                        raw_r.value.span(),
                        format!("`{}` is not an enumerator of `{enum_name}`", r.value),
                        "a hook returning an enum documents each of its enumerators",
                    ),
                }
            }
        }
        let mut attach_names: HashMap<String, Range<usize>> = HashMap::new();
        let attach_types =
            raw.attach_types
                .iter()
                .map(|a| {
                    self.identifier(&a.name, "attach type");
                    self.identifier(&a.attach_type, "attach type");
                    if let Some(previous) =
                        attach_names.insert(a.name.get_ref().clone(), a.name.span())
                    {
                        self.diagnostics.push(
                            Diagnostic::new(
                                a.name.span(),
                                format!(
                                    "attach type `{}` is listed twice in `{name}`",
                                    a.name.get_ref()
                                ),
                                "second listing",
                            )
                            .with_note(previous, "first listed here")
                            .with_help("each attach type is listed once; remove or rename one"),
                        );
                    }
                    let section = a.section.get_ref();
                    if section.is_empty()
                        || section.len() > MAX_SHORT_TEXT
                        || section.chars().any(|c| {
                            c.is_whitespace()
                                || c.is_control()
                                || !c.is_ascii()
                                || c == '"'
                                || c == '\\'
                        })
                    {
                        self.diagnostics.push(
                        Diagnostic::new(
                            a.section.span(),
                            format!("`{}` is not a valid ELF section name", section.escape_debug()),
                            "expected a non-empty ASCII name without spaces, quotes or backslashes",
                        )
                        .with_help("sections look like `cgroup/connect4`"),
                    );
                    }
                    AttachType {
                        name: a.name.get_ref().clone(),
                        attach_type: a.attach_type.get_ref().clone(),
                        section: a.section.get_ref().clone(),
                        doc: self.doc(&a.doc, "attach type"),
                    }
                })
                .collect::<Vec<_>>();
        if attach_types.is_empty() {
            self.error(
                raw.name.span(),
                format!("hook `{name}` has no attach types"),
                "add at least one `[[hook.attach]]`",
            );
        }
        self.identifier(&raw.param.name, "parameter");
        Hook {
            name,
            program_type: raw.program_type.get_ref().clone(),
            context,
            returns,
            doc: self.doc(&raw.doc, "hook"),
            param: HookParam {
                name: raw.param.name.get_ref().clone(),
                doc: self.doc(&raw.param.doc, "parameter"),
            },
            retvals,
            attach_types,
        }
    }

    /// Section names, attach type identifiers and attach type names are unique across
    /// all hooks. Names must differ even ignoring case and `_`: each becomes a Rust
    /// marker type (`connect_4` and `connect4` would both be `Connect4`).
    fn check_sections(&mut self, hooks: &[RawHook]) {
        let mut sections: HashMap<&str, Range<usize>> = HashMap::new();
        let mut ids: HashMap<&str, Range<usize>> = HashMap::new();
        let mut names: HashMap<String, (usize, Range<usize>)> = HashMap::new();
        for (hook, a) in hooks
            .iter()
            .enumerate()
            .flat_map(|(i, h)| h.attach_types.iter().map(move |a| (i, a)))
        {
            let folded: String = a
                .name
                .get_ref()
                .chars()
                .filter(|c| *c != '_')
                .map(|c| c.to_ascii_lowercase())
                .collect();
            match names.get(&folded) {
                // Twice in one hook is reported where the hook is resolved.
                Some((first_hook, previous)) if *first_hook != hook => {
                    self.diagnostics.push(
                        Diagnostic::new(
                            a.name.span(),
                            format!(
                                "attach type name `{}` is already used by `{}`",
                                a.name.get_ref(),
                                hooks[*first_hook].name.get_ref()
                            ),
                            "second use of the name",
                        )
                        .with_note(previous.clone(), "first used here")
                        .with_help(
                            "attach type names are global (the Rust bindings make a marker type of each, and case and `_` do not tell them apart); rename one",
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    names.insert(folded, (hook, a.name.span()));
                }
            }
            if let Some(previous) = sections.insert(a.section.get_ref(), a.section.span()) {
                self.diagnostics.push(
                    Diagnostic::new(
                        a.section.span(),
                        format!(
                            "ELF section `{}` is used by two attach types",
                            a.section.get_ref()
                        ),
                        "second use of the section",
                    )
                    .with_note(previous, "first used here")
                    .with_help(
                        "a loader tells programs apart by section: give each attach type its own",
                    ),
                );
            }
            if let Some(previous) = ids.insert(a.attach_type.get_ref(), a.attach_type.span()) {
                self.diagnostics.push(
                    Diagnostic::new(
                        a.attach_type.span(),
                        format!("attach type `{}` is listed twice", a.attach_type.get_ref()),
                        "second listing",
                    )
                    .with_note(previous, "first listed here")
                    .with_help("each attach type belongs to exactly one hook"),
                );
            }
        }
    }

    /// A helper's first parameter is the program's context: a pointer to the
    /// context struct of the helper's hook.
    fn helper_context(&mut self, hook: &Hook, first: &HelperParam, raw: &RawHelperParam) {
        let expected = Type::Pointer(Box::new(Type::Struct(hook.context.clone())));
        // A hook context that is not (only) a struct is reported on the hook.
        let context_ok =
            self.structs.contains(&hook.context) && !self.enums.contains(&hook.context);
        if first.ty == expected || !context_ok {
            return;
        }
        let what = match first.ty.pointee() {
            Some(Type::Struct(other)) => {
                format!("`{other}` is not the context struct of `{}`", hook.name)
            }
            Some(_) => format!("`{}` does not point to a struct", first.ty),
            None => format!("`{}` is not a pointer to a struct", first.ty),
        };
        self.diagnostics.push(
            Diagnostic::new(
                raw.ty.span(),
                format!("the context parameter of a helper must point to its hook's context struct; {what}"),
                format!("expected `{expected}`"),
            )
            .with_help(format!(
                "helpers of `{}` take the program's context first: `{expected}`",
                hook.name
            )),
        );
    }

    fn helpers(&mut self, raw: &[RawHelper], hooks: &[Hook]) -> Vec<Helper> {
        let mut ids: HashMap<i64, (String, Range<usize>)> = HashMap::new();
        // By name, so each helper finds its hook without scanning them all.
        let mut hooks_by_name: HashMap<&str, &Hook> = HashMap::new();
        for hook in hooks {
            hooks_by_name.entry(hook.name.as_str()).or_insert(hook);
        }
        raw.iter()
            .map(|h| {
                let name = self.declare(&h.name, "helper");
                let typedef = SpannedStr::new(h.name.span(), format!("{name}_t"));
                self.declare(&typedef, "helper typedef");
                let id_value = match self.enumerators.get(h.id.get_ref()) {
                    Some((_, v)) => Some(*v),
                    None => {
                        let diagnostic = Diagnostic::new(
                            h.id.span(),
                            format!(
                                "helper ID `{}` is not an enumerator of this spec",
                                h.id.get_ref()
                            ),
                            "expected the enumerator that holds this helper's ID",
                        );
                        let diagnostic = match closest(h.id.get_ref(), self.enumerators.keys()) {
                            Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
                            None => diagnostic,
                        };
                        self.diagnostics.push(diagnostic);
                        None
                    }
                };
                if let Some(id_value) = id_value
                    && let Some((other, previous)) =
                        ids.insert(id_value, (name.clone(), h.id.span()))
                {
                    self.diagnostics.push(
                        Diagnostic::new(
                            h.id.span(),
                            format!("helper `{name}` has the same ID ({id_value}) as `{other}`"),
                            "this ID is taken",
                        )
                        .with_note(previous, format!("the ID of `{other}`"))
                        .with_help("each helper needs its own ID enumerator and value"),
                    );
                }
                let id_value = id_value.unwrap_or(0);
                let hook = hooks_by_name.get(h.hook.get_ref().as_str()).copied();
                let all: Vec<String> = hook
                    .map(|k| k.attach_types.iter().map(|a| a.name.clone()).collect())
                    .unwrap_or_default();
                if hook.is_none() {
                    self.error(
                        h.hook.span(),
                        format!("`{}` is not a hook of this spec", h.hook.get_ref()),
                        "expected the typedef name of a `[[hook]]`",
                    );
                }
                let check_names = |list: &toml::Spanned<Vec<SpannedStr>>, this: &mut Self| {
                    for a in list.get_ref() {
                        if hook.is_some() && !all.contains(a.get_ref()) {
                            let diagnostic = Diagnostic::new(
                                a.span(),
                                format!(
                                    "`{}` is not an attach type of `{}`",
                                    a.get_ref(),
                                    h.hook.get_ref()
                                ),
                                format!("expected one of: {}", all.join(", ")),
                            );
                            let diagnostic = match closest(a.get_ref(), all.iter()) {
                                Some(near) => {
                                    diagnostic.with_help(format!("did you mean `{near}`?"))
                                }
                                None => diagnostic,
                            };
                            this.diagnostics.push(diagnostic);
                        }
                    }
                };
                let available_at = match (&h.only_at, &h.not_at) {
                    (Some(only), Some(_)) => {
                        self.error(
                            only.span(),
                            "a helper has `only_at` or `not_at`, not both",
                            "keep one of them",
                        );
                        all.clone()
                    }
                    (Some(only), None) => {
                        check_names(only, self);
                        let only: HashSet<&String> =
                            only.get_ref().iter().map(|s| s.get_ref()).collect();
                        all.iter().filter(|a| only.contains(a)).cloned().collect()
                    }
                    (None, Some(not)) => {
                        check_names(not, self);
                        let not: HashSet<&String> =
                            not.get_ref().iter().map(|s| s.get_ref()).collect();
                        all.iter().filter(|a| !not.contains(a)).cloned().collect()
                    }
                    (None, None) => all.clone(),
                };
                let returns = HelperReturns {
                    ty: self.ty(&h.returns.ty, true).unwrap_or(Type::Void),
                    doc: h.returns.doc.as_ref().map(|d| self.doc(d, "return value")),
                    values: self.retvals(&h.returns.values),
                };
                if returns.doc.is_none() && returns.values.is_empty() && returns.ty != Type::Void {
                    self.error(
                        h.returns.ty.span(),
                        format!("the return value of `{name}` is not documented"),
                        "add `doc` or `[[helper.returns.value]]` entries",
                    );
                }
                let mut param_names: HashMap<&str, Range<usize>> = HashMap::new();
                for p in &h.params {
                    if let Some(previous) = param_names.insert(p.name.get_ref(), p.name.span()) {
                        self.diagnostics.push(
                            Diagnostic::new(
                                p.name.span(),
                                format!("`{name}` has two parameters named `{}`", p.name.get_ref()),
                                "second parameter with this name",
                            )
                            .with_note(previous, "first parameter with this name"),
                        );
                    }
                }
                let params: Vec<HelperParam> = h
                    .params
                    .iter()
                    .filter_map(|p| {
                        self.identifier(&p.name, "parameter");
                        let direction = match p.direction.get_ref().as_str() {
                            "in" => Direction::In,
                            "out" => Direction::Out,
                            "in,out" => Direction::InOut,
                            other => {
                                self.error(
                                    p.direction.span(),
                                    format!("`{other}` is not a parameter direction"),
                                    "expected `in`, `out` or `in,out`",
                                );
                                Direction::In
                            }
                        };
                        let ty = self.ty(&p.ty, false)?;
                        Some(HelperParam {
                            name: p.name.get_ref().clone(),
                            ty,
                            direction,
                            doc: self.doc(&p.doc, "parameter"),
                        })
                    })
                    .collect();
                if let (Some(hook), Some(first), Some(raw_first)) =
                    (hook, params.first(), h.params.first())
                {
                    self.helper_context(hook, first, raw_first);
                }
                Helper {
                    name,
                    id: h.id.get_ref().clone(),
                    id_value,
                    hook: h.hook.get_ref().clone(),
                    available_at,
                    doc: self.doc(&h.doc, "helper"),
                    returns,
                    params,
                }
            })
            .collect()
    }
}

fn collect_enums(ty: &Type, out: &mut HashSet<String>) {
    match ty {
        Type::Enum(name) => {
            out.insert(name.clone());
        }
        Type::Pointer(inner) => collect_enums(inner, out),
        _ => {}
    }
}

fn is_c_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// A decimal or `0x` hexadecimal integer literal, optionally negative.
pub fn parse_integer(text: &str) -> Option<i64> {
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

/// The candidate closest to `name`, if it is close enough to be a likely typo.
fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    candidates
        // Optimal string alignment: a swap of two letters (`uint23_t`) counts once.
        .map(|c| (strsim::osa_distance(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
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
