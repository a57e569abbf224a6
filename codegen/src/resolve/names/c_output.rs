//! Names the C header itself takes away from the spec: the macros it `#define`s
//! (its own, and one per constant and helper), which the preprocessor substitutes
//! wherever the name appears later, and the parameters of its prototypes, which
//! hide the items they are named after.

use std::collections::HashMap;

use crate::c_naming;
use crate::spec::{RawMember, RawSpec, SpannedStr};

use crate::resolve::Resolver;

impl Resolver {
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
    pub(super) fn check_param_shadowing(&mut self, raw: &RawSpec) {
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
    pub(super) fn check_macro_names(&mut self, raw: &RawSpec) {
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
}

/// The names a spec's C header `#define`s: its constants and helpers, each with
/// what it is.
pub(super) fn macro_names(raw: &RawSpec) -> HashMap<&str, (&SpannedStr, &'static str)> {
    (raw.helpers.iter())
        .map(|h| (&h.name, "a helper"))
        .chain(raw.constants.iter().map(|c| (&c.name, "a constant")))
        .map(|(name, what)| (name.get_ref().as_str(), (name, what)))
        .collect()
}

/// The names in a spec's C header that a macro of the same name would replace:
/// struct members (anonymous members' included) and helper and hook parameters.
pub(super) fn macro_exposed_names(raw: &RawSpec) -> Vec<(&SpannedStr, String)> {
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
