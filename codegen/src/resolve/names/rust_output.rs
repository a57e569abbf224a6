//! Every name the Rust bindings derive from the spec, checked for collisions in the
//! Rust scopes they share ([`Resolver::check_rust_names`]).

use std::collections::HashMap;
use std::ops::Range;

use crate::model::{EnumUse, Helper, Model};
use crate::rust_naming;
use crate::spec::{RawHelper, RawMember, RawSpec, RawStruct};

use crate::resolve::Resolver;

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
    pub(in crate::resolve) fn check_rust_names(&mut self, raw: &RawSpec, model: &Model) {
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
