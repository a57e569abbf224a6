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
    RawEnum, RawHelper, RawHook, RawMember, RawRetval, RawSpec, RawStruct, SpannedStr,
};

/// Longest array a member may declare; anything larger is surely a typo.
const MAX_ARRAY_LEN: i64 = 1 << 20;

/// C and C++ keywords, and Rust keywords that cannot be written as raw identifiers;
/// none of them can name an item or member.
const RESERVED: &[&str] = &[
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
    "_Bool",
    "_Complex",
    "_Generic",
    "_Imaginary",
    "_Noreturn",
    "_Static_assert",
    "_Thread_local",
    "alignas",
    "alignof",
    "and",
    "asm",
    "bool",
    "catch",
    "class",
    "constexpr",
    "delete",
    "explicit",
    "export",
    "false",
    "friend",
    "mutable",
    "namespace",
    "new",
    "noexcept",
    "not",
    "nullptr",
    "operator",
    "or",
    "private",
    "protected",
    "public",
    "static_assert",
    "template",
    "this",
    "throw",
    "true",
    "try",
    "typeid",
    "typename",
    "using",
    "virtual",
    "wchar_t",
    "xor",
    "self",
    "Self",
    "super",
    "crate",
    "_",
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
        if header.file.trim().is_empty() {
            self.error(
                raw.header.file.span(),
                "empty header file name",
                "expected a file name such as `ebpf_nethooks.h`",
            );
        }
        let constants = raw
            .constants
            .iter()
            .map(|c| {
                let name = self.declare(&c.name, "constant");
                let value = match parse_integer(c.value.get_ref()) {
                    Some(v) => v,
                    None => {
                        self.error(
                            c.value.span(),
                            format!("`{}` is not an integer literal", c.value.get_ref()),
                            "expected a decimal or 0x-prefixed hexadecimal integer",
                        );
                        0
                    }
                };
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
        }
    }

    /// Checks an identifier and records it in C's ordinary namespace.
    fn declare(&mut self, name: &SpannedStr, what: &str) -> String {
        self.identifier(name, what);
        if let Some(previous) = self.ordinary.get(name.get_ref()).cloned() {
            let (message, label) = (
                format!("`{}` is declared twice", name.get_ref()),
                format!(
                    "this {what} reuses a name that C already has at byte {}",
                    previous.start
                ),
            );
            self.diagnostics
                .push(Diagnostic::new(name.span(), message, label).with_help(
                "constants, typedefs, enumerators and helpers share one namespace in C; rename one",
            ));
        } else {
            self.ordinary.insert(name.get_ref().clone(), name.span());
        }
        name.get_ref().clone()
    }

    fn declare_tag(&mut self, tag: &Option<SpannedStr>) -> Option<String> {
        let tag = tag.as_ref()?;
        self.identifier(tag, "tag");
        if self
            .tags
            .insert(tag.get_ref().clone(), tag.span())
            .is_some()
        {
            self.error(
                tag.span(),
                format!("tag `{}` is used twice", tag.get_ref()),
                "struct and enum tags share one namespace in C",
            );
        }
        Some(tag.get_ref().clone())
    }

    fn identifier(&mut self, name: &SpannedStr, what: &str) {
        let text = name.get_ref();
        if !is_c_identifier(text) {
            self.error(
                name.span(),
                format!("`{text}` is not a valid C identifier"),
                format!(
                    "expected a {what} name of letters, digits and `_`, not starting with a digit"
                ),
            );
        } else if RESERVED.contains(&text.as_str()) || Primitive::from_c_name(text).is_some() {
            self.error(
                name.span(),
                format!("`{text}` is a reserved word"),
                format!(
                    "a {what} cannot be named after a C, C++ or Rust keyword or a standard type"
                ),
            );
        }
    }

    fn doc(&mut self, text: &SpannedStr, what: &str) -> Doc {
        Doc::parse(text.get_ref()).unwrap_or_else(|| {
            self.error(
                text.span(),
                format!("missing documentation for this {what}"),
                "expected a sentence saying what it is",
            );
            Doc {
                brief: String::new(),
                details: Vec::new(),
            }
        })
    }

    fn enumeration(&mut self, raw: &RawEnum) -> Enumeration {
        let name = self.declare(&raw.name, "enum");
        let tag = self.declare_tag(&raw.tag);
        self.enums.insert(name.clone());
        let mut enumerators: Vec<Enumerator> = Vec::new();
        let mut by_value: HashMap<i64, String> = HashMap::new();
        for v in &raw.enumerators {
            let vname = self.declare(&v.name, "enumerator");
            let next = enumerators.last().map_or(0, |p| p.value + 1);
            let (expr, value) = match (&v.value, &v.alias_of) {
                (Some(_), Some(alias)) => {
                    self.error(
                        alias.span(),
                        "an enumerator has either `value` or `alias_of`, not both",
                        "remove `value` or `alias_of`",
                    );
                    (ValueExpr::Implicit, next)
                }
                (None, Some(alias)) => {
                    match enumerators.iter().find(|p| p.name == *alias.get_ref()) {
                        Some(target) => (ValueExpr::Alias(target.name.clone()), target.value),
                        None => {
                            self.error(
                                alias.span(),
                                format!(
                                    "`{}` is not an earlier enumerator of `{name}`",
                                    alias.get_ref()
                                ),
                                "expected the name of an enumerator listed above this one",
                            );
                            (ValueExpr::Implicit, next)
                        }
                    }
                }
                (Some(text), None) => self.value_expr(text, next),
                (None, None) => (ValueExpr::Implicit, next),
            };
            if i32::try_from(value).is_err() {
                let span = v.value.as_ref().map_or(v.name.span(), |t| t.span());
                self.error(
                    span,
                    format!("value {value} of `{vname}` does not fit a C enum"),
                    "C enumerators are `int`: between -2147483648 and 2147483647",
                );
            }
            if let (Some(note), None) = (&v.deprecated, &v.alias_of) {
                // Deprecation is only modelled for aliases: a value's only name cannot go.
                self.error(
                    note.span(),
                    "only an alias (`alias_of`) can be deprecated",
                    "add `alias_of` or remove `deprecated`",
                );
            }
            if !matches!(expr, ValueExpr::Alias(_)) {
                if let Some(first) = by_value.get(&value) {
                    self.diagnostics.push(
                        Diagnostic::new(
                            v.name.span(),
                            format!("`{vname}` has the same value ({value}) as `{first}`"),
                            "duplicate enumerator value",
                        )
                        .with_help(format!(
                            "if it is meant as a second name, write `alias_of = \"{first}\"`"
                        )),
                    );
                } else {
                    by_value.insert(value, vname.clone());
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

    /// Parses `LITERAL`, `CONSTANT`, `CONSTANT + LITERAL` or `CONSTANT - LITERAL`.
    fn value_expr(&mut self, text: &SpannedStr, fallback: i64) -> (ValueExpr, i64) {
        let raw = text.get_ref().trim();
        if let Some(v) = parse_integer(raw) {
            return (ValueExpr::Literal(raw.to_owned()), v);
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
        let Some(offset) = offset else {
            self.error(
                text.span(),
                format!("cannot read `{raw}` as a value"),
                "expected `N`, `CONSTANT`, `CONSTANT + N` or `CONSTANT - N`",
            );
            return (ValueExpr::Implicit, fallback);
        };
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
            return (ValueExpr::Implicit, fallback);
        };
        let offset = sign * offset;
        match base.checked_add(offset) {
            Some(value) => (
                ValueExpr::Offset {
                    constant: constant.to_owned(),
                    offset,
                },
                value,
            ),
            None => {
                self.error(
                    text.span(),
                    format!("`{raw}` overflows"),
                    "the value does not fit 64 bits",
                );
                (ValueExpr::Implicit, fallback)
            }
        }
    }

    fn structure(&mut self, raw: &RawStruct) -> Structure {
        let name = self.declare(&raw.name, "struct");
        let tag = self.declare_tag(&raw.tag);
        let mut member_names = HashMap::new();
        let members = self.members(&raw.members, &name, &mut member_names);
        if members.is_empty() {
            self.error(
                raw.name.span(),
                format!("struct `{name}` has no members"),
                "add at least one `[[struct.member]]`",
            );
        }
        self.structs.insert(name.clone());
        Structure {
            name,
            tag,
            doc: self.doc(&raw.doc, "struct"),
            members,
            layout: Placement::default(),
        }
    }

    fn members(
        &mut self,
        raw: &[RawMember],
        owner: &str,
        seen: &mut HashMap<String, ()>,
    ) -> Vec<Member> {
        raw.iter()
            .filter_map(|m| {
                let kind = self.member_kind(m, owner, seen)?;
                Some(Member {
                    kind,
                    doc: self.doc(&m.doc, "member"),
                    placement: Placement::default(),
                })
            })
            .collect()
    }

    fn member_kind(
        &mut self,
        m: &RawMember,
        owner: &str,
        seen: &mut HashMap<String, ()>,
    ) -> Option<MemberKind> {
        let span = m.doc.span();
        match (&m.name, &m.ty, &m.anonymous) {
            (Some(name), Some(ty), None) => {
                if m.rust_name.is_some() || !m.members.is_empty() {
                    self.error(
                        name.span(),
                        "a named member has no `rust_name` or nested `member`",
                        "only an anonymous struct or union has those",
                    );
                }
                self.identifier(name, "member");
                if seen.insert(name.get_ref().clone(), ()).is_some() {
                    self.error(name.span(), format!("`{owner}` has two members named `{}`", name.get_ref()), "members of anonymous structs and unions share the enclosing struct's names");
                }
                let ty_resolved = self.member_type(ty, owner)?;
                let array = match &m.array {
                    None => None,
                    Some(len) if (1..=MAX_ARRAY_LEN).contains(len.get_ref()) => {
                        Some(*len.get_ref() as u64)
                    }
                    Some(len) => {
                        self.error(
                            len.span(),
                            format!("array length {} is out of range", len.get_ref()),
                            format!("expected 1 to {MAX_ARRAY_LEN}"),
                        );
                        None
                    }
                };
                Some(MemberKind::Field {
                    name: name.get_ref().clone(),
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
                if m.array.is_some() {
                    self.error(
                        kind.span(),
                        "an anonymous member cannot be an array",
                        "remove `array`",
                    );
                }
                let members = self.members(&m.members, owner, seen);
                if members.is_empty() {
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
        if text.get_ref().trim_end_matches(['*', ' ']) == owner {
            self.error(
                text.span(),
                format!("`{owner}` contains itself"),
                "a struct cannot have a member of its own type",
            );
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
                }
                RetVal {
                    value: r.value.get_ref().trim().to_owned(),
                    doc: self.doc(&r.doc, "return value"),
                }
            })
            .collect()
    }

    fn hook(&mut self, raw: &RawHook) -> Hook {
        let name = self.declare(&raw.name, "hook");
        self.identifier(&raw.program_type, "program type");
        let context = raw.context.get_ref().clone();
        if !self.structs.contains(&context) {
            self.error(
                raw.context.span(),
                format!("hook context `{context}` is not a struct of this spec"),
                "expected the typedef name of a `[[struct]]`",
            );
        }
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
        let mut attach_names = HashSet::new();
        let attach_types = raw
            .attach_types
            .iter()
            .map(|a| {
                self.identifier(&a.name, "attach type");
                self.identifier(&a.attach_type, "attach type");
                if !attach_names.insert(a.name.get_ref().clone()) {
                    self.error(
                        a.name.span(),
                        format!(
                            "attach type `{}` is listed twice in `{name}`",
                            a.name.get_ref()
                        ),
                        "each attach type is listed once",
                    );
                }
                if a.section.get_ref().trim().is_empty()
                    || a.section
                        .get_ref()
                        .chars()
                        .any(|c| c.is_whitespace() || c == '"' || c == '\\')
                {
                    self.error(
                        a.section.span(),
                        "invalid ELF section name",
                        "expected a non-empty name without spaces, quotes or backslashes",
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

    fn check_sections(&mut self, hooks: &[RawHook]) {
        let mut sections: HashMap<&str, ()> = HashMap::new();
        for a in hooks.iter().flat_map(|h| &h.attach_types) {
            if sections.insert(a.section.get_ref(), ()).is_some() {
                self.error(
                    a.section.span(),
                    format!(
                        "ELF section `{}` is used by two attach types",
                        a.section.get_ref()
                    ),
                    "a loader tells programs apart by section: each attach type needs its own",
                );
            }
        }
    }

    fn helpers(&mut self, raw: &[RawHelper], hooks: &[Hook]) -> Vec<Helper> {
        let mut ids: HashMap<i64, String> = HashMap::new();
        raw.iter()
            .map(|h| {
                let name = self.declare(&h.name, "helper");
                let typedef = SpannedStr::new(h.name.span(), format!("{name}_t"));
                self.declare(&typedef, "helper typedef");
                let id_value = match self.enumerators.get(h.id.get_ref()) {
                    Some((_, v)) => *v,
                    None => {
                        self.error(
                            h.id.span(),
                            format!(
                                "helper ID `{}` is not an enumerator of this spec",
                                h.id.get_ref()
                            ),
                            "expected the enumerator that holds this helper's ID",
                        );
                        0
                    }
                };
                if let Some(other) = ids.insert(id_value, name.clone()) {
                    self.error(
                        h.id.span(),
                        format!("helper `{name}` has the same ID ({id_value}) as `{other}`"),
                        "each helper needs its own ID",
                    );
                }
                let hook = hooks.iter().find(|k| k.name == *h.hook.get_ref());
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
                let params = h
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
        i64::from_str_radix(hex, 16).ok()?
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()?
    } else {
        return None;
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The candidate closest to `name`, if it is close enough to be a likely typo.
fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    candidates
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}
