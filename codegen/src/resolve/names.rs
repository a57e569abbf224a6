//! Identifier rules: what may name an item, a tag or a member, and C's two
//! namespaces (ordinary identifiers and tags) in which names must be unique; and
//! every name the Rust bindings derive from the spec, checked for collisions in the
//! Rust scopes they share ([`Resolver::check_rust_names`]).

use std::collections::HashMap;
use std::ops::Range;

use crate::c_naming;
use crate::diagnostic::{Diagnostic, SpecErrors};
use crate::model::{EnumUse, Helper, Model, Primitive};
use crate::rust_naming;
use crate::spec::{RawHelper, RawMember, RawSpec, RawStruct, SpannedStr};

use super::Resolver;

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
pub(super) fn is_c_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Whether the name cannot be a Rust identifier without a `rust_name`.
pub(super) fn is_rust_keyword(text: &str) -> bool {
    RUST_KEYWORDS.contains(&text)
}

impl Resolver {
    /// Checks an identifier and records it in C's ordinary namespace.
    pub(super) fn declare(&mut self, name: &SpannedStr, what: &str) -> String {
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
    pub(super) fn declare_tag(&mut self, tag: &Option<SpannedStr>) -> Option<String> {
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
    pub(super) fn identifier(&mut self, name: &SpannedStr, what: &str) {
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
    pub(super) fn c_identifier(&mut self, name: &SpannedStr, what: &str) -> bool {
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

/// Where a Rust name of the bindings comes from: an item of the spec (with its
/// span), or the bindings themselves (no span).
#[derive(Clone)]
struct Claim {
    what: String,
    span: Option<Range<usize>>,
}

/// One Rust scope of the generated bindings, in which every name must differ.
struct Scope {
    /// Where the scope is, as the diagnostics say it ("the bindings' crate root").
    place: String,
    names: HashMap<String, Claim>,
}

impl Scope {
    fn new(place: impl Into<String>) -> Scope {
        Scope {
            place: place.into(),
            names: HashMap::new(),
        }
    }

    /// Names the bindings define or use themselves in this scope.
    fn reserve(mut self, names: &[&str], what: impl Fn(&str) -> String) -> Scope {
        for name in names {
            self.names.insert(
                (*name).to_owned(),
                Claim {
                    what: what(name),
                    span: None,
                },
            );
        }
        self
    }
}

/// How the resolver names a spec item in diagnostics about its Rust names.
fn enum_kind(usage: EnumUse) -> &'static str {
    match usage {
        EnumUse::Verdict => "enum",
        EnumUse::Value => "enum (an `i32` newtype in Rust)",
        EnumUse::Constants => "enum (an `i32` alias in Rust)",
    }
}

impl Resolver {
    /// Claims `name` in `scope` for `what` (written at `span`); a name claimed
    /// already is reported as the clash of the two. False if it clashed.
    fn claim(
        &mut self,
        scope: &mut Scope,
        name: &str,
        span: Range<usize>,
        what: String,
        help: &str,
    ) -> bool {
        let Some(first) = scope.names.get(name) else {
            scope.names.insert(
                name.to_owned(),
                Claim {
                    what,
                    span: Some(span),
                },
            );
            return true;
        };
        let message = format!(
            "Rust name `{name}` clashes in {}: {what} and {}",
            scope.place, first.what
        );
        let report = match &first.span {
            Some(first_span) => self
                .reports
                .error(span, message, format!("{what} is `{name}`"))
                .note(first_span.clone(), format!("{} is `{name}`", first.what)),
            None => self
                .reports
                .error(span, message, format!("{what} is `{name}`")),
        };
        report.help(help.to_owned());
        false
    }

    /// Every name the Rust bindings derive from the spec, checked for collisions in
    /// each Rust scope they share: the items of the spec's module (the crate root, or
    /// `rust_module`) with its `testing` and `abi` modules, each struct's fields and
    /// accessors, each enum's associated items, the `hooks` module and its
    /// `Context`'s methods, and each helper's parameters in the bodies of its
    /// bindings. The rules for the names are [`crate::rust_naming`]'s, which the
    /// emitter follows.
    ///
    /// Runs on a spec that is otherwise valid, so C's own duplicates (reported by
    /// [`Resolver::declare`]) are not reported again.
    pub(super) fn check_rust_names(&mut self, raw: &RawSpec, model: &Model) {
        let place = match &model.header.rust_module {
            Some(module) => format!("the bindings' module `{module}`"),
            None => "the bindings' crate root".to_owned(),
        };
        let mut types = Scope::new(format!("the types of {place}"))
            .reserve(&rust_naming::USED_TYPES, |n| {
                format!("`{n}`, which the bindings use unqualified")
            })
            .reserve(&rust_naming::SPEC_MODULES, |n| {
                format!("the bindings' module `{n}`")
            })
            .reserve(&rust_naming::ABI_TYPES, |n| {
                format!("the bindings' type `abi::{n}`")
            });
        if model.is_root() {
            types = types
                .reserve(&rust_naming::ROOT_MODULES[..1], |n| {
                    format!("the bindings' module `{n}`")
                })
                .reserve(&rust_naming::FACADE_MODULES, |n| {
                    format!("the facade's module `ebpf_nethooks::{n}`")
                })
                .reserve(&rust_naming::SEAM_TYPES, |n| {
                    format!("the bindings' helper seam type `{n}`")
                });
        }
        let mut values = Scope::new(format!("the values of {place}"))
            .reserve(&rust_naming::USED_VALUES, |n| {
                format!("`{n}`, which the bindings use unqualified")
            })
            .reserve(&rust_naming::ABI_VALUES, |n| {
                format!("the bindings' constant `abi::{n}`")
            });
        // Values that a pattern can name (constants, enumerators, newtypes), against
        // the locals the bindings bind.
        let mut patterns = Scope::new(format!("the patterns of {place}"))
            .reserve(&rust_naming::BOUND_LOCALS, |n| {
                format!("`{n}`, which the bindings bind as a local or parameter")
            });
        let rename = "rename one: the Rust bindings would not compile";

        for (c, raw_c) in model.constants.iter().zip(&raw.constants) {
            let what = format!("constant `{}`", c.name);
            if self.claim(
                &mut values,
                &c.name,
                raw_c.name.span(),
                what.clone(),
                rename,
            ) {
                self.claim(&mut patterns, &c.name, raw_c.name.span(), what, rename);
            }
        }
        for (e, raw_e) in model.enums.iter().zip(&raw.enums) {
            let what = format!("{} `{}`", enum_kind(e.usage), e.name);
            self.claim(&mut types, &e.name, raw_e.name.span(), what.clone(), rename);
            match e.usage {
                // A tuple struct's name is also its constructor, a value.
                EnumUse::Value => {
                    let span = raw_e.name.span();
                    if self.claim(&mut values, &e.name, span.clone(), what.clone(), rename) {
                        self.claim(&mut patterns, &e.name, span, what, rename);
                    }
                }
                EnumUse::Constants => {
                    for (v, raw_v) in e.enumerators.iter().zip(&raw_e.enumerators) {
                        let what = format!("enumerator `{}`", v.name);
                        let span = raw_v.name.span();
                        if self.claim(&mut values, &v.name, span.clone(), what.clone(), rename) {
                            self.claim(&mut patterns, &v.name, span, what, rename);
                        }
                    }
                }
                EnumUse::Verdict => {
                    let mut items = Scope::new(format!("the items of enum `{}`", e.name))
                        .reserve(&rust_naming::VERDICT_ITEMS, |n| {
                            format!("the bindings' `{}::{n}`", e.name)
                        });
                    for (v, raw_v) in e.enumerators.iter().zip(&raw_e.enumerators) {
                        let what = format!("enumerator `{}`", v.name);
                        self.claim(&mut items, &v.name, raw_v.name.span(), what, rename);
                    }
                }
            }
        }
        for raw_s in &raw.structs {
            let what = format!("struct `{}`", raw_s.name.get_ref());
            self.claim(
                &mut types,
                raw_s.name.get_ref(),
                raw_s.name.span(),
                what,
                rename,
            );
            self.struct_rust_names(raw_s, &mut types);
        }
        for raw_h in &raw.hooks {
            let what = format!("hook `{}`", raw_h.name.get_ref());
            self.claim(
                &mut types,
                raw_h.name.get_ref(),
                raw_h.name.span(),
                what,
                rename,
            );
        }
        let mut slots = Scope::new(format!("the statics of {place}'s module `testing`"));
        if model.is_root() {
            slots = slots.reserve(&[rust_naming::SEAM_SLOT], |n| {
                format!("the static `testing::{n}` of the helpers' dispatcher")
            });
        }
        for (h, raw_h) in model.helpers.iter().zip(&raw.helpers) {
            let span = raw_h.name.span();
            let what = format!("helper `{}`", h.name);
            self.claim(&mut values, &h.name, span.clone(), what, rename);
            let double = rust_naming::test_double(&h.name);
            let what = format!("the test double type of helper `{}`", h.name);
            self.claim(&mut types, &double, span.clone(), what, rename);
            let call = rust_naming::host_call(&h.name);
            let what = format!("the `abi` call of helper `{}`", h.name);
            self.claim(&mut values, &call, span.clone(), what, rename);
            let slot = rust_naming::test_double_slot(&h.name);
            let what = format!("the test double static of helper `{}`", h.name);
            self.claim(&mut slots, &slot, span, what, rename);
        }
        // A parameter named as a constant of the module would be a constant
        // pattern, so each helper's parameters see every value of the module.
        for (h, raw_h) in model.helpers.iter().zip(&raw.helpers) {
            self.helper_param_rust_names(raw_h, model, h, &values, &slots);
        }
        if model.is_root() {
            self.hooks_module_rust_names(raw, model);
        }
        self.check_macro_names(raw);
        self.check_param_shadowing(raw);
    }

    /// The macros the C header defines itself (`EBPF_HELPER`, and
    /// `<STEM>_CHECK_LAYOUT` after its file name) name nothing of the spec.
    fn check_header_macros(&mut self, raw: &RawSpec) {
        let file = raw.header.file.get_ref();
        let stem = file.strip_suffix(".h").unwrap_or(file);
        let own = [
            c_naming::HELPER_MACRO.to_owned(),
            c_naming::layout_check_macro(stem),
        ];
        let mut names: Vec<(&SpannedStr, &str)> = Vec::new();
        names.extend(raw.constants.iter().map(|c| (&c.name, "constant")));
        for e in &raw.enums {
            names.push((&e.name, "enum"));
            names.extend(e.enumerators.iter().map(|v| (&v.name, "enumerator")));
        }
        names.extend(raw.structs.iter().map(|s| (&s.name, "struct")));
        names.extend(raw.hooks.iter().map(|h| (&h.name, "hook")));
        names.extend(raw.helpers.iter().map(|h| (&h.name, "helper")));
        for (name, what) in names {
            if own.contains(name.get_ref()) {
                self.reports
                    .error(
                        name.span(),
                        format!(
                            "{what} `{}` has the name of a macro the C header defines",
                            name.get_ref()
                        ),
                        "the C header `#define`s this name itself",
                    )
                    .help(format!(
                        "rename it: the header defines `{}` and `{}`",
                        own[0], own[1]
                    ));
            }
        }
    }

    /// A parameter of a C prototype hides an ordinary name of the same spelling for
    /// the rest of the prototype (`(ctx* ctx, const ctx* other)` no longer sees the
    /// type `ctx`): no helper or hook parameter may have the name of a typedef,
    /// enumerator or other item of the spec.
    fn check_param_shadowing(&mut self, raw: &RawSpec) {
        let params = (raw.helpers.iter())
            .flat_map(|h| h.params.iter().map(move |p| (&p.name, h.name.get_ref())))
            .chain(raw.hooks.iter().map(|h| (&h.param.name, h.name.get_ref())));
        let mut found = Vec::new();
        for (name, owner) in params {
            if let Some(item) = self.ordinary.get(name.get_ref()) {
                found.push((
                    name.get_ref().clone(),
                    name.span(),
                    owner.clone(),
                    item.clone(),
                ));
            }
        }
        for (name, span, owner, item) in found {
            self.reports
                .error(
                    span,
                    format!("parameter `{name}` of `{owner}` has the name of an item of the spec"),
                    "in the C prototype, this parameter would hide the item",
                )
                .note(item, "the item")
                .help("rename the parameter: the C header would not compile where the prototype names the item after it");
        }
    }

    /// The C header defines each constant and each helper as an object-like macro
    /// (`#define NAME VALUE`, `#define NAME ((NAME_t)ID)`), which replaces that name
    /// wherever it appears later: no struct member or parameter may have its name.
    fn check_macro_names(&mut self, raw: &RawSpec) {
        self.check_header_macros(raw);
        let macros = macro_names(raw);
        let uses = macro_exposed_names(raw);
        for (name, what) in uses {
            if let Some((defined, kind)) = macros.get(name.get_ref().as_str()) {
                self.reports
                    .error(
                        name.span(),
                        format!(
                            "`{}` names both {what} and {kind}, which the C header defines as a macro",
                            name.get_ref()
                        ),
                        format!("the C preprocessor would replace this {what}"),
                    )
                    .note(defined.span(), format!("{kind}, `#define`d by this name"))
                    .help("rename one: the C header would not compile");
            }
        }
    }

    /// A struct's anonymous types (in `types`), the Rust fields of each of its
    /// aggregates, and its accessors: a getter named after each field and a setter
    /// `set_<field>`.
    fn struct_rust_names(&mut self, raw: &RawStruct, types: &mut Scope) {
        let owner = raw.name.get_ref();
        let mut methods = Scope::new(format!("the accessors of `{owner}`"));
        let mut anonymous = Scope::new(format!("the anonymous members of `{owner}`"));
        self.aggregate_rust_names(&raw.members, owner, types, &mut anonymous, &mut methods);
    }

    fn aggregate_rust_names(
        &mut self,
        members: &[RawMember],
        owner: &str,
        types: &mut Scope,
        anonymous: &mut Scope,
        methods: &mut Scope,
    ) {
        let mut fields = Scope::new(format!("the Rust fields of `{owner}`"));
        let member_help =
            "rename one, or give it another `rust_name`: the Rust bindings would not compile";
        for m in members {
            let (Some(name), None) = (&m.name, &m.anonymous) else {
                let Some(rust) = &m.rust_name else { continue };
                let what = format!("anonymous member `{}` of `{owner}`", rust.get_ref());
                let span = rust.span();
                // One clash, one report: a name taken here is not claimed again below.
                if self.claim(
                    &mut fields,
                    rust.get_ref(),
                    span.clone(),
                    what.clone(),
                    member_help,
                ) && self.claim(anonymous, rust.get_ref(), span.clone(), what, member_help)
                {
                    let ty = rust_naming::anonymous_type(owner, rust.get_ref());
                    let what = format!(
                        "the type of anonymous member `{}` of `{owner}`",
                        rust.get_ref()
                    );
                    self.claim(types, &ty, span, what, member_help);
                }
                self.aggregate_rust_names(&m.members, owner, types, anonymous, methods);
                continue;
            };
            let (rust, span) = match &m.rust_name {
                Some(rust) => (rust.get_ref(), rust.span()),
                None => (name.get_ref(), name.span()),
            };
            let what = format!("member `{rust}` of `{owner}`");
            if self.claim(&mut fields, rust, span.clone(), what.clone(), member_help)
                && self.claim(
                    methods,
                    rust,
                    span.clone(),
                    format!("the getter of {what}"),
                    member_help,
                )
            {
                let setter = rust_naming::setter(rust);
                self.claim(
                    methods,
                    &setter,
                    span,
                    format!("the setter of {what}"),
                    member_help,
                );
            }
        }
    }

    /// A helper's parameters in the bodies of its bindings: none may be a value of
    /// the module (which would make it a pattern), a test double's static, or shadow
    /// a local of those bodies or its ID.
    fn helper_param_rust_names(
        &mut self,
        raw: &RawHelper,
        model: &Model,
        h: &Helper,
        module_values: &Scope,
        slots: &Scope,
    ) {
        let id = &model.enumerator(h.id).name;
        let slot = rust_naming::test_double_slot(&h.name);
        let locals = Scope::new(format!("the bindings of helper `{}`", h.name));
        let mut locals = locals
            .reserve(&rust_naming::HELPER_LOCALS, |n| {
                format!("the bindings' local `{n}`")
            })
            .reserve(&[id.as_str()], |n| format!("the helper's ID `{n}`"))
            .reserve(&[slot.as_str()], |n| {
                format!("the static `testing::{n}` of its test double")
            });
        for p in &raw.params {
            let what = format!("parameter `{}`", p.name.get_ref());
            // The spec's values, and every test double's static (a parameter cannot
            // shadow a static), looked up rather than copied for every helper; the
            // bindings' own locals elsewhere do not matter here.
            let outer = (module_values.names.get(p.name.get_ref()))
                .filter(|claim| claim.span.is_some())
                .or_else(|| slots.names.get(p.name.get_ref()));
            if let Some(claim) = outer {
                locals
                    .names
                    .entry(p.name.get_ref().clone())
                    .or_insert_with(|| claim.clone());
            }
            self.claim(
                &mut locals,
                p.name.get_ref(),
                p.name.span(),
                what,
                "rename the parameter: the Rust bindings would not compile",
            );
        }
    }

    /// The `hooks` module of the crate root: a marker type per attach type and an
    /// availability trait per hook helper beside its own items, and a method of
    /// `Context` per hook helper beside its own methods; and the hooks' attributes,
    /// which the facade re-exports beside its own macros.
    fn hooks_module_rust_names(&mut self, raw: &RawSpec, model: &Model) {
        let mut types = Scope::new("the bindings' module `hooks`")
            .reserve(&rust_naming::HOOKS_ITEMS, |n| {
                format!("the bindings' `hooks::{n}`")
            })
            .reserve(&rust_naming::USED_TYPES, |n| {
                format!("`{n}`, which the bindings use unqualified")
            });
        let mut methods = Scope::new("the methods of `hooks::Context`")
            .reserve(&rust_naming::CONTEXT_METHODS, |n| {
                format!("the bindings' `Context::{n}`")
            });
        let help = "rename one: the Rust bindings name marker types and traits in UpperCamelCase, without `_`";
        for raw_h in &raw.hooks {
            for a in &raw_h.attach_types {
                let marker = rust_naming::marker_type(a.name.get_ref());
                let what = format!(
                    "the marker type of attach type `{}` of `{}`",
                    a.name.get_ref(),
                    raw_h.name.get_ref()
                );
                self.claim(&mut types, &marker, a.name.span(), what, help);
            }
        }
        let mut attributes = Scope::new("the hook attributes of the facade crate")
            .reserve(&rust_naming::FACADE_MACROS, |n| {
                format!("the facade's macro `{n}!`")
            })
            .reserve(&rust_naming::MACRO_CRATE_VALUES, |n| {
                format!("the macros crate's table `{n}`")
            });
        for raw_h in &raw.hooks {
            let attribute = rust_naming::attribute(raw_h.name.get_ref());
            let what = format!("the attribute of hook `{}`", raw_h.name.get_ref());
            self.claim(
                &mut attributes,
                &attribute,
                raw_h.name.span(),
                what,
                "rename the hook: its attribute is its name without `_t`",
            );
        }
        for (h, raw_h) in model.helpers.iter().zip(&raw.helpers) {
            if h.hook.is_none() {
                continue;
            }
            let span = raw_h.name.span();
            let has = rust_naming::availability_trait(&h.name);
            let what = format!("the availability trait of helper `{}`", h.name);
            self.claim(&mut types, &has, span.clone(), what, help);
            let what = format!("the `Context` method of helper `{}`", h.name);
            self.claim(&mut methods, &h.name, span, what, "rename the helper");
        }
    }
}

/// The names a spec's C header `#define`s: its constants and helpers, each with
/// what it is.
fn macro_names(raw: &RawSpec) -> HashMap<&str, (&SpannedStr, &'static str)> {
    (raw.helpers.iter())
        .map(|h| (&h.name, "a helper"))
        .chain(raw.constants.iter().map(|c| (&c.name, "a constant")))
        .map(|(name, what)| (name.get_ref().as_str(), (name, what)))
        .collect()
}

/// The names in a spec's C header that a macro of the same name would replace:
/// struct members (anonymous members' included) and helper and hook parameters.
fn macro_exposed_names(raw: &RawSpec) -> Vec<(&SpannedStr, String)> {
    fn walk<'r>(members: &'r [RawMember], owner: &str, out: &mut Vec<(&'r SpannedStr, String)>) {
        for m in members {
            if let Some(name) = &m.name {
                out.push((name, format!("member `{}` of `{owner}`", name.get_ref())));
            }
            walk(&m.members, owner, out);
        }
    }
    let mut uses: Vec<(&SpannedStr, String)> = Vec::new();
    for s in &raw.structs {
        walk(&s.members, s.name.get_ref(), &mut uses);
    }
    for h in &raw.helpers {
        for p in &h.params {
            let what = format!(
                "parameter `{}` of helper `{}`",
                p.name.get_ref(),
                h.name.get_ref()
            );
            uses.push((&p.name, what));
        }
    }
    for hook in &raw.hooks {
        let what = format!(
            "parameter `{}` of hook `{}`",
            hook.param.name.get_ref(),
            hook.name.get_ref()
        );
        uses.push((&hook.param.name, what));
    }
    uses
}

/// One spec of a run, as [`check_across_specs`] reads it.
pub struct RunSpec<'a> {
    /// How diagnostics name the spec file.
    pub source_name: &'a str,
    pub text: &'a str,
    pub raw: &'a RawSpec,
}

/// A name one spec declares, with where and as what.
struct Declared {
    name: String,
    span: Range<usize>,
    what: String,
}

/// The names a spec puts in C's ordinary namespace and in its tag namespace.
fn c_names(raw: &RawSpec) -> (Vec<Declared>, Vec<Declared>) {
    let named = |s: &SpannedStr, what: &str| Declared {
        name: s.get_ref().clone(),
        span: s.span(),
        what: format!("{what} `{}`", s.get_ref()),
    };
    let mut ordinary = Vec::new();
    let mut tags = Vec::new();
    let file = raw.header.file.get_ref();
    ordinary.push(Declared {
        name: c_naming::layout_check_macro(file.strip_suffix(".h").unwrap_or(file)),
        span: raw.header.file.span(),
        what: format!("the layout check macro of `{file}`"),
    });
    ordinary.extend(raw.constants.iter().map(|c| named(&c.name, "constant")));
    for e in &raw.enums {
        ordinary.push(named(&e.name, "enum"));
        ordinary.extend(e.enumerators.iter().map(|v| named(&v.name, "enumerator")));
        tags.extend(e.tag.iter().map(|t| named(t, "enum tag")));
    }
    for s in &raw.structs {
        ordinary.push(named(&s.name, "struct"));
        tags.extend(s.tag.iter().map(|t| named(t, "struct tag")));
    }
    ordinary.extend(raw.hooks.iter().map(|h| named(&h.name, "hook")));
    for h in &raw.helpers {
        ordinary.push(named(&h.name, "helper"));
        ordinary.push(Declared {
            name: format!("{}_t", h.name.get_ref()),
            span: h.name.span(),
            what: format!("the prototype typedef of helper `{}`", h.name.get_ref()),
        });
    }
    (ordinary, tags)
}

/// The Rust types at the bindings' crate root that a spec without `rust_module`
/// defines: its structs, enums, hooks and anonymous members' types.
fn root_rust_types(raw: &RawSpec) -> Vec<Declared> {
    fn anonymous(members: &[RawMember], owner: &str, out: &mut Vec<Declared>) {
        for m in members {
            if let (Some(rust), Some(_)) = (&m.rust_name, &m.anonymous) {
                out.push(Declared {
                    name: rust_naming::anonymous_type(owner, rust.get_ref()),
                    span: rust.span(),
                    what: format!(
                        "the type of anonymous member `{}` of `{owner}`",
                        rust.get_ref()
                    ),
                });
            }
            anonymous(&m.members, owner, out);
        }
    }
    let (ordinary, _) = c_names(raw);
    let mut out: Vec<Declared> = ordinary
        .into_iter()
        .filter(|d| {
            let name = d.name.as_str();
            raw.structs.iter().any(|s| s.name.get_ref() == name)
                || raw.enums.iter().any(|e| e.name.get_ref() == name)
                || raw.hooks.iter().any(|h| h.name.get_ref() == name)
        })
        .collect();
    for s in &raw.structs {
        anonymous(&s.members, s.name.get_ref(), &mut out);
    }
    out
}

/// Checks what no single spec can: C names are unique across all specs of a run
/// (both headers may be included by one program, where a second definition is a
/// redefinition), and no type at the bindings' crate root has the name of another
/// spec's `rust_module`. Each problem is reported in the spec that declares the
/// name second (in run order), naming the first place.
pub fn check_across_specs(specs: &[RunSpec<'_>]) -> Vec<SpecErrors> {
    let position = |spec: &RunSpec<'_>, span: &Range<usize>| {
        let errors = SpecErrors {
            path: spec.source_name.to_owned(),
            source: spec.text.to_owned(),
            diagnostics: Vec::new(),
        };
        let (line, column) = errors.line_column(span.start);
        format!("{}:{line}:{column}", spec.source_name)
    };
    let mut diagnostics: Vec<Vec<Diagnostic>> = specs.iter().map(|_| Vec::new()).collect();
    // C: one ordinary namespace and one tag namespace for the whole run.
    let mut ordinary: HashMap<String, (usize, Declared)> = HashMap::new();
    let mut tags: HashMap<String, (usize, Declared)> = HashMap::new();
    for (i, spec) in specs.iter().enumerate() {
        let (names, spec_tags) = c_names(spec.raw);
        for (namespace, declared) in [(&mut ordinary, names), (&mut tags, spec_tags)] {
            for d in declared {
                match namespace.get(&d.name) {
                    // Within one spec, the resolver has reported it already.
                    Some((first, _)) if *first == i => {}
                    Some((first, previous)) => {
                        let at = position(&specs[*first], &previous.span);
                        diagnostics[i].push(
                            Diagnostic::new(
                                d.span.clone(),
                                format!(
                                    "`{}` is declared by two specs: {} here, and {} in {}",
                                    d.name, d.what, previous.what, specs[*first].source_name
                                ),
                                format!("{} is declared again here", d.what),
                            )
                            .with_help(format!(
                                "the first is at {at}; a program that includes both headers sees it defined twice: rename one, or keep it in one spec"
                            )),
                        );
                    }
                    None => {
                        namespace.insert(d.name.clone(), (i, d));
                    }
                }
            }
        }
    }
    // A macro of one header replaces a member or parameter name of the other.
    for (i, spec) in specs.iter().enumerate() {
        for (j, other) in specs.iter().enumerate() {
            if i == j {
                continue;
            }
            let macros = macro_names(other.raw);
            for (name, what) in macro_exposed_names(spec.raw) {
                let Some((defined, kind)) = macros.get(name.get_ref().as_str()) else {
                    continue;
                };
                let at = position(other, &defined.span());
                diagnostics[i].push(
                    Diagnostic::new(
                        name.span(),
                        format!(
                            "`{}` names both {what} and {kind} of {}, which its C header defines as a macro",
                            name.get_ref(),
                            other.source_name
                        ),
                        format!("the C preprocessor would replace this {what} where both headers are included"),
                    )
                    .with_help(format!(
                        "the macro is declared at {at}; rename one: the C headers would not compile together"
                    )),
                );
            }
        }
    }
    // Each spec writes its own header and (but one) its own bindings module.
    let mut outputs: HashMap<String, (usize, Range<usize>)> = HashMap::new();
    for (i, spec) in specs.iter().enumerate() {
        let header = &spec.raw.header;
        let written =
            std::iter::once((&header.file, format!("header `{}`", header.file.get_ref()))).chain(
                header
                    .rust_module
                    .iter()
                    .map(|m| (m, format!("module `{}`", m.get_ref()))),
            );
        for (name, what) in written {
            match outputs.get(&what) {
                Some((first, span)) => {
                    let at = position(&specs[*first], span);
                    diagnostics[i].push(
                        Diagnostic::new(
                            name.span(),
                            format!("two specs of the run write {what}"),
                            format!("{} writes it too", specs[*first].source_name),
                        )
                        .with_help(format!(
                            "the other is set at {at}; give each spec its own header file and `rust_module`"
                        )),
                    );
                }
                None => {
                    outputs.insert(what, (i, name.span()));
                }
            }
        }
    }
    // Rust: each sibling's module is a name at the crate root.
    let modules: Vec<(usize, &SpannedStr)> = (specs.iter().enumerate())
        .filter_map(|(i, s)| s.raw.header.rust_module.as_ref().map(|m| (i, m)))
        .collect();
    for (i, spec) in specs.iter().enumerate() {
        if spec.raw.header.rust_module.is_some() {
            continue;
        }
        for d in root_rust_types(spec.raw) {
            let Some(&(j, module)) = modules.iter().find(|(_, m)| *m.get_ref() == d.name) else {
                continue;
            };
            let at = position(&specs[j], &module.span());
            diagnostics[i].push(
                Diagnostic::new(
                    d.span.clone(),
                    format!(
                        "Rust name `{}` clashes in the bindings' crate root: {} and module `{}` of {}",
                        d.name,
                        d.what,
                        module.get_ref(),
                        specs[j].source_name
                    ),
                    format!("{} is `{}`", d.what, d.name),
                )
                .with_help(format!(
                    "the module is set at {at}; rename one: the Rust bindings would not compile"
                )),
            );
        }
    }
    (specs.iter().zip(diagnostics))
        .filter(|(_, d)| !d.is_empty())
        .map(|(spec, diagnostics)| SpecErrors {
            path: spec.source_name.to_owned(),
            source: spec.text.to_owned(),
            diagnostics,
        })
        .collect()
}
