//! The clashes no single spec can show: C names and output files shared by the
//! specs of one run, and a sibling's `rust_module` at the bindings' crate root.

use std::collections::HashMap;
use std::ops::Range;

use crate::c_naming;
use crate::diagnostic::{Diagnostic, SpecErrors};
use crate::rust_naming;
use crate::spec::{RawMember, RawSpec, SpannedStr};

use super::c_output::{macro_exposed_names, macro_names};

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
