//! `[[hook]]`: a program type with its context, verdict and attach types; attach
//! types, their sections and their Rust marker types are unique across hooks.

use std::collections::HashMap;
use std::ops::Range;

use crate::model::{AttachType, Hook, HookId, HookParam, Primitive, StructId, Type};
use crate::spec::{RawAttach, RawHook, SpannedStr};

use super::doc::MAX_SHORT_TEXT;
use super::types::c_spelling;
use super::{Resolver, did_you_mean, suggest};

impl Resolver {
    /// The hook; `None` when its context is not a struct (reported).
    pub(super) fn hook(&mut self, raw: &RawHook, id: HookId) -> Option<Hook> {
        let name = self.declare(&raw.name, "hook");
        self.hooks.entry(name.clone()).or_insert(id);
        self.identifier(&raw.program_type, "program type");
        let context = self.context_struct(&raw.context);
        let returns = match self.ty(&raw.returns, false) {
            Some(ty @ (Type::Enum(_) | Type::Primitive(Primitive::Int))) => ty,
            Some(_) => {
                self.reports.error(
                    raw.returns.span(),
                    format!(
                        "a hook cannot return `{}`",
                        c_spelling(raw.returns.get_ref())
                    ),
                    "expected an enum of this spec or `int`",
                );
                Type::Primitive(Primitive::Int)
            }
            None => Type::Primitive(Primitive::Int),
        };
        let retvals = self.retvals(&raw.retvals);
        if let Type::Enum(verdict) = returns {
            for (r, raw_r) in retvals.iter().zip(&raw.retvals) {
                match self.enumerators.get(&r.value) {
                    Some((v, _)) if v.enumeration == verdict => {}
                    _ => {
                        let enum_name = c_spelling(raw.returns.get_ref());
                        self.reports.error(
                            raw_r.value.span(),
                            format!("`{}` is not an enumerator of `{enum_name}`", r.value),
                            "a hook returning an enum documents each of its enumerators",
                        );
                    }
                }
            }
        }
        let mut attach_names: HashMap<String, Range<usize>> = HashMap::new();
        let attach_types = raw
            .attach_types
            .iter()
            .map(|a| self.attach_type(a, &name, &mut attach_names))
            .collect::<Vec<_>>();
        if attach_types.is_empty() {
            self.reports.error(
                raw.name.span(),
                format!("hook `{name}` has no attach types"),
                "add at least one `[[hook.attach]]`",
            );
        }
        self.identifier(&raw.param.name, "parameter");
        let doc = self.doc(&raw.doc, "hook");
        let param = HookParam {
            name: raw.param.name.get_ref().clone(),
            doc: self.doc(&raw.param.doc, "parameter"),
        };
        Some(Hook {
            name,
            program_type: raw.program_type.get_ref().clone(),
            context: context?,
            returns,
            doc,
            param,
            retvals,
            attach_types,
            // Follows from the helpers: see `cross_refs`.
            helpers: Vec::new(),
        })
    }

    /// One attach type of hook `hook`; `seen` holds the names of the hook's attach
    /// types so far.
    fn attach_type(
        &mut self,
        a: &RawAttach,
        hook: &str,
        seen: &mut HashMap<String, Range<usize>>,
    ) -> AttachType {
        self.identifier(&a.name, "attach type");
        self.identifier(&a.attach_type, "attach type");
        if let Some(previous) = seen.insert(a.name.get_ref().clone(), a.name.span()) {
            self.reports
                .error(
                    a.name.span(),
                    format!(
                        "attach type `{}` is listed twice in `{hook}`",
                        a.name.get_ref()
                    ),
                    "second listing",
                )
                .note(previous, "first listed here")
                .help("each attach type is listed once; remove or rename one");
        }
        let section = a.section.get_ref();
        if section.is_empty()
            || section.len() > MAX_SHORT_TEXT
            || section.chars().any(|c| {
                c.is_whitespace() || c.is_control() || !c.is_ascii() || c == '"' || c == '\\'
            })
        {
            self.reports
                .error(
                    a.section.span(),
                    format!(
                        "`{}` is not a valid ELF section name",
                        section.escape_debug()
                    ),
                    "expected a non-empty ASCII name without spaces, quotes or backslashes",
                )
                .help("sections look like `cgroup/connect4`");
        }
        AttachType {
            name: a.name.get_ref().clone(),
            attach_type: a.attach_type.get_ref().clone(),
            section: section.clone(),
            marker: crate::rust_naming::marker_type(a.name.get_ref()),
            since: a.since.as_ref().map(|s| s.get_ref().clone()),
            doc: self.doc(&a.doc, "attach type"),
            // Follows from the helpers: see `cross_refs`.
            helpers: Vec::new(),
        }
    }

    /// The struct a hook's context names, if it is one defined so far.
    fn context_struct(&mut self, text: &SpannedStr) -> Option<StructId> {
        let name = text.get_ref().as_str();
        if let Some(&id) = self.structs.get(name) {
            return Some(id);
        }
        let what = if self.enums.contains_key(name) {
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
        let near = suggest(
            name.trim_end_matches('*'),
            self.structs.keys().map(String::as_str),
        );
        let help = match near {
            Some(near) => Some(did_you_mean(near)),
            None if self.all_structs.contains(name) => {
                Some("hooks come after the structs in the spec".to_owned())
            }
            None => None,
        };
        let report = self.reports.error(
            text.span(),
            format!("the context type of a hook must be a struct; {what}"),
            "expected the typedef name of a `[[struct]]` defined above",
        );
        if let Some(help) = help {
            report.help(help);
        }
        None
    }

    /// Section names, attach type identifiers and attach type names are unique across
    /// all hooks. Names must differ even ignoring case and `_` across hooks; within
    /// one hook, two that make the same Rust marker type (`connect_4` and `connect4`
    /// would both be `Connect4`) are found with every other Rust name, in
    /// `names/rust_output.rs`.
    pub(super) fn check_attach_types(&mut self, hooks: &[RawHook]) {
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
                Some((first_hook, previous)) if *first_hook != hook => {
                    self.reports
                        .error(
                            a.name.span(),
                            format!(
                                "attach type name `{}` is already used by `{}`",
                                a.name.get_ref(),
                                hooks[*first_hook].name.get_ref()
                            ),
                            "second use of the name",
                        )
                        .note(previous.clone(), "first used here")
                        .help(
                            "attach type names are global (the Rust bindings make a marker type of each, and case and `_` do not tell them apart); rename one",
                        );
                }
                Some(_) => {}
                None => {
                    names.insert(folded, (hook, a.name.span()));
                }
            }
            if let Some(previous) = sections.insert(a.section.get_ref(), a.section.span()) {
                self.reports
                    .error(
                        a.section.span(),
                        format!(
                            "ELF section `{}` is used by two attach types",
                            a.section.get_ref()
                        ),
                        "second use of the section",
                    )
                    .note(previous, "first used here")
                    .help(
                        "a loader tells programs apart by section: give each attach type its own",
                    );
            }
            if let Some(previous) = ids.insert(a.attach_type.get_ref(), a.attach_type.span()) {
                self.reports
                    .error(
                        a.attach_type.span(),
                        format!("attach type `{}` is listed twice", a.attach_type.get_ref()),
                        "second listing",
                    )
                    .note(previous, "first listed here")
                    .help("each attach type belongs to exactly one hook");
            }
        }
    }
}
