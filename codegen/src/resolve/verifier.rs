//! The verifier facts: helper argument and return kinds, `[[program_type]]` and
//! `[[map_type]]`, checked against the C types of the items they describe.
//!
//! The kinds are all or nothing within a spec: once one helper states a kind,
//! every helper must state all of its own, so the verifier tables never miss one.

use std::collections::HashMap;

use super::Resolver;
use crate::model::verifier::{
    ArgKind, ContextPointer, HelperPrototype, MapType, MapValueType, ProgramType, ReturnKind,
    VerifierFacts,
};
use crate::model::{HelperId, MemberKind, Model, Type};
use crate::spec::{RawHelper, RawMapType, RawProgramType, RawSpec, SpannedStr};

/// At most five arguments: R1 to R5.
const MAX_ARGS: usize = 5;

fn one_of<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> String {
    all.iter()
        .map(|k| format!("`{}`", name(*k)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Resolver {
    pub(super) fn verifier_facts(&mut self, raw: &RawSpec, model: &Model) -> VerifierFacts {
        let with_kinds = raw
            .helpers
            .iter()
            .any(|h| h.returns.kind.is_some() || h.params.iter().any(|p| p.kind.is_some()));
        let prototypes = if with_kinds {
            (raw.helpers.iter().enumerate())
                .filter_map(|(i, h)| self.prototype(h, HelperId::new(i), model))
                .collect()
        } else {
            Vec::new()
        };
        let program_types = self.program_types(&raw.program_types, model);
        // A hook's helper is listed under its hook's program type: there must be one.
        for prototype in &prototypes {
            let helper = &model.helpers[prototype.helper.index()];
            if let Some(hook) = helper.hook
                && !program_types.iter().any(|p| p.hook == hook)
                && raw
                    .program_types
                    .iter()
                    .all(|p| *p.hook.get_ref() != model.hook(hook).name)
            {
                let raw_helper = &raw.helpers[prototype.helper.index()];
                self.reports
                    .error(
                        raw_helper.name.span(),
                        format!(
                            "helper `{}` has verifier kinds, but its hook `{}` has no program type",
                            helper.name,
                            model.hook(hook).name
                        ),
                        "the verifier lists it under its hook's program type",
                    )
                    .help("add a `[[program_type]]` with this `hook`");
            }
        }
        let map_types = self.map_types(&raw.map_types);
        VerifierFacts {
            prototypes,
            program_types,
            map_types,
        }
    }

    fn prototype(&mut self, h: &RawHelper, id: HelperId, model: &Model) -> Option<HelperPrototype> {
        let helper = &model.helpers[id.index()];
        let mut complete = true;
        let returns = match &h.returns.kind {
            None => {
                self.reports
                    .error(
                        h.name.span(),
                        format!("helper `{}` has no return kind", h.name.get_ref()),
                        "its `[helper.returns]` needs `kind`",
                    )
                    .help(format!(
                        "other helpers of this spec state their kinds; add `kind = ` one of {}",
                        one_of(&ReturnKind::ALL, ReturnKind::spec_name)
                    ));
                None
            }
            Some(kind) => self.return_kind(kind, &helper.returns.ty),
        };
        if h.params.len() > MAX_ARGS {
            self.reports.error(
                h.params[MAX_ARGS].name.span(),
                format!(
                    "helper `{}` has more than five parameters",
                    h.name.get_ref()
                ),
                "the verifier passes arguments in R1 to R5 only",
            );
            complete = false;
        }
        let mut args = Vec::new();
        for (p, param) in h.params.iter().zip(&helper.params) {
            let Some(written) = &p.kind else {
                self.reports
                    .error(
                        p.name.span(),
                        format!("parameter `{}` has no argument kind", p.name.get_ref()),
                        "this parameter needs `kind`",
                    )
                    .help(format!(
                        "other helpers of this spec state their kinds; add `kind = ` one of {}",
                        one_of(&ArgKind::ALL, ArgKind::spec_name)
                    ));
                complete = false;
                continue;
            };
            let Some(kind) = ArgKind::from_spec_name(written.get_ref()) else {
                self.reports
                    .error(
                        written.span(),
                        format!("unknown argument kind `{}`", written.get_ref()),
                        "not an argument kind",
                    )
                    .help(format!(
                        "one of {}",
                        one_of(&ArgKind::ALL, ArgKind::spec_name)
                    ))
                    .suggest(written.get_ref(), ArgKind::ALL.map(ArgKind::spec_name));
                complete = false;
                continue;
            };
            complete &= self.arg_fits_type(
                written,
                kind,
                &param.ty,
                helper.hook.map(|hook| {
                    let hook = model.hook(hook);
                    (hook.name.as_str(), hook.context)
                }),
                model,
            );
            args.push((written, kind));
        }
        // With a kind missing, the neighbours of the gap would be misjudged.
        complete = complete && self.sizes_follow_memory(&args);
        Some(HelperPrototype {
            helper: id,
            returns: returns?,
            args: complete.then(|| args.iter().map(|(_, k)| *k).collect())?,
            reallocate_packet: h.reallocate_packet.as_ref().is_some_and(|r| *r.get_ref()),
        })
    }

    fn return_kind(&mut self, written: &SpannedStr, ty: &Type) -> Option<ReturnKind> {
        let Some(kind) = ReturnKind::from_spec_name(written.get_ref()) else {
            self.reports
                .error(
                    written.span(),
                    format!("unknown return kind `{}`", written.get_ref()),
                    "not a return kind",
                )
                .suggest(
                    written.get_ref(),
                    ReturnKind::ALL.map(ReturnKind::spec_name),
                )
                .help(format!(
                    "one of {}",
                    one_of(&ReturnKind::ALL, ReturnKind::spec_name)
                ));
            return None;
        };
        let pointer = matches!(ty, Type::Pointer(_));
        if pointer != (kind == ReturnKind::MapValueOrNull) {
            self.reports
                .error(
                    written.span(),
                    format!("return kind `{}` does not fit the return type", kind.spec_name()),
                    if pointer {
                        "the helper returns a pointer"
                    } else {
                        "the helper returns an integer"
                    },
                )
                .help("a pointer result is `map_value_or_null`; an integer one is `integer` or `integer_or_no_return_if_succeed`");
            return None;
        }
        Some(kind)
    }

    /// A pointer kind needs a pointer type, a size an integer; a context argument
    /// of a hook's helper is exactly that hook's context pointer.
    fn arg_fits_type(
        &mut self,
        written: &SpannedStr,
        kind: ArgKind,
        ty: &Type,
        hook: Option<(&str, crate::model::StructId)>,
        model: &Model,
    ) -> bool {
        let shown = ty.c_spelling(model);
        if kind == ArgKind::Ctx
            && let Some((hook, context)) = hook
            && *ty != Type::Pointer(Box::new(Type::Struct(context)))
        {
            let context = &model.structure(context).name;
            self.reports
                .error(
                    written.span(),
                    "a `ctx` argument must be the hook's context pointer",
                    format!("this parameter is `{shown}`, not `{context}*`"),
                )
                .help(format!(
                    "the programs of `{hook}` pass their `{context}*`; give the parameter that type"
                ));
            return false;
        }
        let pointer = matches!(ty, Type::Pointer(_));
        if kind.is_pointer() && !pointer {
            self.reports
                .error(
                    written.span(),
                    format!("argument kind `{}` needs a pointer", kind.spec_name()),
                    format!("this parameter is `{shown}`"),
                )
                .help("use `anything` for a value, or give the parameter a pointer type");
            return false;
        }
        if kind.is_size() && !matches!(ty, Type::Primitive(_)) {
            self.reports.error(
                written.span(),
                format!("argument kind `{}` needs an integer", kind.spec_name()),
                format!("this parameter is `{shown}`"),
            );
            return false;
        }
        true
    }

    /// Every memory argument is followed by its size, and every size follows one.
    fn sizes_follow_memory(&mut self, args: &[(&SpannedStr, ArgKind)]) -> bool {
        let mut fine = true;
        for (i, (written, kind)) in args.iter().enumerate() {
            let before = i.checked_sub(1).map(|j| args[j].1);
            let after = args.get(i + 1).map(|a| a.1);
            if kind.is_size() && !before.is_some_and(ArgKind::is_sized_memory) {
                self.reports
                    .error(
                        written.span(),
                        format!("a `{}` argument must follow a memory argument", kind.spec_name()),
                        "no memory argument before this size",
                    )
                    .help("the size belongs right after `readable_mem`, `readable_mem_or_null` or `writable_mem`");
                fine = false;
            }
            if kind.is_sized_memory() && !after.is_some_and(ArgKind::is_size) {
                self.reports
                    .error(
                        written.span(),
                        format!(
                            "a `{}` argument must be followed by its size",
                            kind.spec_name()
                        ),
                        "no `const_size` or `const_size_or_zero` after this",
                    )
                    .help("the next parameter gives the memory's size in bytes");
                fine = false;
            }
        }
        fine
    }

    fn program_types(&mut self, raw: &[RawProgramType], model: &Model) -> Vec<ProgramType> {
        let mut names: HashMap<String, std::ops::Range<usize>> = HashMap::new();
        let mut hooks: HashMap<String, std::ops::Range<usize>> = HashMap::new();
        let mut out = Vec::new();
        for p in raw {
            let name = p.name.get_ref();
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                self.reports.error(
                    p.name.span(),
                    format!("program type name `{name}` is not an identifier"),
                    "letters, digits and `_` only",
                );
            }
            if let Some(first) = names.insert(name.clone(), p.name.span()) {
                self.reports
                    .error(
                        p.name.span(),
                        format!("program type `{name}` is declared twice"),
                        "again here",
                    )
                    .note(first, "first declared here");
            }
            if let Some(first) = hooks.insert(p.hook.get_ref().clone(), p.hook.span()) {
                self.reports
                    .error(
                        p.hook.span(),
                        format!("hook `{}` has two program types", p.hook.get_ref()),
                        "again here",
                    )
                    .note(first, "first given here");
            }
            let number = *p.number.get_ref();
            if !(0..=i64::from(u32::MAX)).contains(&number) {
                self.reports.error(
                    p.number.span(),
                    "program type number out of range",
                    "a `bpf_prog_type` is 0 to 4294967295",
                );
            }
            let doc = self.doc(&p.doc, "program type");
            let Some(hook_index) = model.hooks.iter().position(|h| h.name == *p.hook.get_ref())
            else {
                self.reports
                    .error(
                        p.hook.span(),
                        format!("unknown hook `{}`", p.hook.get_ref()),
                        "no `[[hook]]` of this name",
                    )
                    .suggest(
                        p.hook.get_ref(),
                        model.hooks.iter().map(|h| h.name.as_str()),
                    );
                continue;
            };
            let hook = &model.hooks[hook_index];
            let context = model.structure(hook.context);
            let mut pointer = |member: &Option<SpannedStr>| -> Option<ContextPointer> {
                let member = member.as_ref()?;
                let found = context
                    .leaf_fields()
                    .into_iter()
                    .find_map(|(path, m)| match &m.kind {
                        MemberKind::Field {
                            name,
                            ty,
                            array: None,
                            ..
                        } if name == member.get_ref() => {
                            let offset = path.iter().map(|p| p.placement.offset).sum::<u64>()
                                + m.placement.offset;
                            Some((ty.clone(), offset))
                        }
                        _ => None,
                    });
                match found {
                    Some((Type::Pointer(_), offset)) => Some(ContextPointer {
                        member: member.get_ref().clone(),
                        offset,
                    }),
                    Some((ty, _)) => {
                        self.reports.error(
                            member.span(),
                            format!("context member `{}` is not a pointer", member.get_ref()),
                            format!("`{}` is `{}`", member.get_ref(), ty.c_spelling(model)),
                        );
                        None
                    }
                    None => {
                        self.reports
                            .error(
                                member.span(),
                                format!("`{}` has no member `{}`", context.name, member.get_ref()),
                                "not a member of the hook's context",
                            )
                            .suggest(
                                member.get_ref(),
                                context
                                    .leaf_fields()
                                    .into_iter()
                                    .filter_map(|(_, m)| m.name()),
                            );
                        None
                    }
                }
            };
            let data = pointer(&p.context_data);
            let end = pointer(&p.context_end);
            let meta = pointer(&p.context_meta);
            if p.context_data.is_some() != p.context_end.is_some() {
                self.reports
                    .error(
                        p.name.span(),
                        "a context with packet data needs both `context_data` and `context_end`",
                        "only one of them is given",
                    )
                    .help("the verifier checks each read of the data against the end pointer");
            }
            out.push(ProgramType {
                name: name.clone(),
                hook: crate::model::HookId::new(hook_index),
                number: u32::try_from(number).unwrap_or(0),
                privileged: *p.privileged.get_ref(),
                context_size: context.layout.size,
                data,
                end,
                meta,
                section_prefixes: hook
                    .attach_types
                    .iter()
                    .map(|a| a.section.clone())
                    .collect(),
                doc,
            });
        }
        out
    }

    fn map_types(&mut self, raw: &[RawMapType]) -> Vec<MapType> {
        let mut seen: HashMap<String, std::ops::Range<usize>> = HashMap::new();
        let mut out = Vec::new();
        for m in raw {
            let doc = self.doc(&m.doc, "map type");
            let name = m.enumerator.get_ref();
            if let Some(first) = seen.insert(name.clone(), m.enumerator.span()) {
                self.reports
                    .error(
                        m.enumerator.span(),
                        format!("map type `{name}` is described twice"),
                        "again here",
                    )
                    .note(first, "first described here");
            }
            let value_type = MapValueType::from_spec_name(m.value_type.get_ref());
            if value_type.is_none() {
                self.reports
                    .error(
                        m.value_type.span(),
                        format!("unknown map value type `{}`", m.value_type.get_ref()),
                        "not a value type",
                    )
                    .help(format!(
                        "one of {}",
                        one_of(&MapValueType::ALL, MapValueType::spec_name)
                    ));
            }
            let Some(&(enumerator, id)) = self.enumerators.get(name) else {
                self.reports
                    .error(
                        m.enumerator.span(),
                        format!("unknown enumerator `{name}`"),
                        "no enumerator of this name",
                    )
                    .suggest(name, self.enumerators.keys().map(String::as_str));
                continue;
            };
            let Some(value_type) = value_type else {
                continue;
            };
            out.push(MapType {
                enumerator,
                name: name.clone(),
                id,
                is_array: *m.is_array.get_ref(),
                value_type,
                doc,
            });
        }
        out
    }
}
