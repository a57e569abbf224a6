//! `[[helper]]`: a function called by ID from the programs of one hook, at all or
//! some of its attach types, or (without `hook`) a general helper that the programs
//! of every hook may call.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::model::{
    AttachId, Direction, EnumeratorId, Helper, HelperId, HelperParam, HelperReturns, Hook, HookId,
    Type,
};
use crate::spec::{RawHelper, RawHelperParam, RawHook, SpannedStr};

use super::Resolver;
use super::types::{base_and_depth, c_spelling};

/// `only_at` or `not_at`: attach type names with where the list was written.
type AttachList = toml::Spanned<Vec<SpannedStr>>;

impl Resolver {
    /// The helper; `None` when its ID, hook, return type or hook's context could not
    /// be resolved (reported). `hooks` are the hooks as resolved, `raw_hooks` as
    /// written.
    pub(super) fn helper(
        &mut self,
        h: &RawHelper,
        helper_id: HelperId,
        raw_hooks: &[RawHook],
        hooks: &[Option<Hook>],
    ) -> Option<Helper> {
        let name = self.declare(&h.name, "helper");
        let typedef = SpannedStr::new(h.name.span(), format!("{name}_t"));
        self.declare(&typedef, "helper typedef");
        let id = self.helper_id(h, &name);
        let hook = match &h.hook {
            Some(written) => {
                let hook = self.hooks.get(written.get_ref()).copied();
                if hook.is_none() {
                    self.reports.error(
                        written.span(),
                        format!("`{}` is not a hook of this spec", written.get_ref()),
                        "expected the typedef name of a `[[hook]]`",
                    );
                }
                Some(hook?)
            }
            None => None,
        };
        let hook_failed = h.hook.is_some() && hook.is_none();
        let available_at = match hook {
            Some(hook) => self.availability(h, hook, &raw_hooks[hook.index()]),
            None => {
                self.general_availability(h);
                Vec::new()
            }
        };
        let returns_ty = self.ty(&h.returns.ty, true);
        let returns_doc = h.returns.doc.as_ref().map(|d| self.doc(d, "return value"));
        let values = self.retvals(&h.returns.values);
        if returns_doc.is_none()
            && values.is_empty()
            && returns_ty.as_ref().is_some_and(|t| *t != Type::Void)
        {
            self.reports.error(
                h.returns.ty.span(),
                format!("the return value of `{name}` is not documented"),
                "add `doc` or `[[helper.returns.value]]` entries",
            );
        }
        let params = self.params(h, &name);
        // The context check needs the hook's context struct: a hook whose context is
        // wrong, or also an enum's name (reported as declared twice; types by that
        // name are the enum), is not checked again here.
        let context = hook.and_then(|hook| {
            let raw_hook = &raw_hooks[hook.index()];
            let hook = hooks[hook.index()].as_ref()?;
            (!self.enums.contains_key(raw_hook.context.get_ref())).then_some((raw_hook, hook))
        });
        if let (Some((raw_hook, hook)), Some(Some(first)), Some(raw_first)) =
            (context, params.first(), h.params.first())
        {
            self.helper_context(raw_hook, hook, first, raw_first);
        }
        let doc = self.doc(&h.doc, "helper");
        let cast_as = self.cast_as(h, returns_ty.as_ref(), &params);
        self.helpers.entry(name.clone()).or_insert(helper_id);
        let (id, id_value) = id?;
        if hook_failed {
            return None;
        }
        let params = params.into_iter().collect::<Option<Vec<_>>>()?;
        let types = params.iter().map(|p| p.ty.clone()).collect();
        self.signatures
            .insert(helper_id, (returns_ty.clone()?, types));
        Some(Helper {
            name,
            id,
            id_value,
            hook,
            cast_as: cast_as.flatten(),
            available_at,
            since: h.since.as_ref().map(|s| s.get_ref().clone()),
            doc,
            returns: HelperReturns {
                ty: returns_ty?,
                doc: returns_doc,
                values,
            },
            params,
        })
    }

    /// A general helper (no `hook`) is available to every hook: `only_at` and
    /// `not_at` name attach types of a hook, so they need one.
    fn general_availability(&mut self, h: &RawHelper) {
        if let Some(list) = h.only_at.as_ref().or(h.not_at.as_ref()) {
            self.reports
                .error(
                    list.span(),
                    format!(
                        "general helper `{}` has no hook whose attach types this can name",
                        h.name.get_ref()
                    ),
                    "`only_at` and `not_at` need `hook`",
                )
                .help("add `hook = \"...\"`, or remove the list: a helper without `hook` is available to every hook");
        }
    }

    /// `cast_as`: an earlier helper whose prototype typedef this helper's call macro
    /// casts through; it must have this helper's signature. `Some(None)` when not
    /// given, `None` when wrong (reported).
    fn cast_as(
        &mut self,
        h: &RawHelper,
        returns: Option<&Type>,
        params: &[Option<HelperParam>],
    ) -> Option<Option<HelperId>> {
        let Some(written) = &h.cast_as else {
            return Some(None);
        };
        let Some(&other) = self.helpers.get(written.get_ref()) else {
            self.reports
                .error(
                    written.span(),
                    format!("`{}` is not a helper declared above", written.get_ref()),
                    "expected the name of an earlier `[[helper]]`",
                )
                .suggest(written.get_ref(), self.helpers.keys().map(String::as_str));
            return None;
        };
        let mine: Option<Vec<Type>> = params
            .iter()
            .map(|p| p.as_ref().map(|p| p.ty.clone()))
            .collect();
        let theirs = self.signatures.get(&other);
        if let (Some(returns), Some(mine), Some((their_returns, their_params))) =
            (returns, mine, theirs)
            && (returns != their_returns || mine != *their_params)
        {
            self.reports
                .error(
                    written.span(),
                    format!(
                        "`{}` cannot call through `{}_t`: their prototypes differ",
                        h.name.get_ref(),
                        written.get_ref()
                    ),
                    "expected a helper with the same return and parameter types",
                )
                .help("give both helpers the same prototype, or remove `cast_as`");
            return None;
        }
        Some(Some(other))
    }

    /// The enumerator holding the helper's ID and its value; each helper's is its own.
    fn helper_id(&mut self, h: &RawHelper, name: &str) -> Option<(EnumeratorId, i64)> {
        let Some(&(id, value)) = self.enumerators.get(h.id.get_ref()) else {
            self.reports
                .error(
                    h.id.span(),
                    format!(
                        "helper ID `{}` is not an enumerator of this spec",
                        h.id.get_ref()
                    ),
                    "expected the enumerator that holds this helper's ID",
                )
                .suggest(h.id.get_ref(), self.enumerators.keys().map(String::as_str));
            return None;
        };
        if let Some((other, previous)) = self
            .helper_ids
            .insert(value, (name.to_owned(), h.id.span()))
        {
            self.reports
                .error(
                    h.id.span(),
                    format!("helper `{name}` has the same ID ({value}) as `{other}`"),
                    "this ID is taken",
                )
                .note(previous, format!("the ID of `{other}`"))
                .help("each helper needs its own ID enumerator and value");
        }
        Some((id, value))
    }

    /// The attach types of `hook` that `only_at` or `not_at` leave, in hook order.
    fn availability(&mut self, h: &RawHelper, hook: HookId, raw_hook: &RawHook) -> Vec<AttachId> {
        let all: Vec<&str> = raw_hook
            .attach_types
            .iter()
            .map(|a| a.name.get_ref().as_str())
            .collect();
        let (list, keep_listed) = match (&h.only_at, &h.not_at) {
            (Some(only), Some(_)) => {
                self.reports.error(
                    only.span(),
                    "a helper has `only_at` or `not_at`, not both",
                    "keep one of them",
                );
                (None, false)
            }
            (Some(only), None) => (Some(only), true),
            (None, Some(not)) => (Some(not), false),
            (None, None) => (None, false),
        };
        let listed: HashSet<&str> = match list {
            Some(list) => {
                self.check_attach_list(list, h, &all);
                list.get_ref()
                    .iter()
                    .map(|s| s.get_ref().as_str())
                    .collect()
            }
            None => HashSet::new(),
        };
        (0..all.len())
            .filter(|&index| listed.contains(all[index]) == keep_listed)
            .map(|index| AttachId { hook, index })
            .collect()
    }

    /// Every name of an `only_at` or `not_at` list is an attach type of the hook.
    fn check_attach_list(&mut self, list: &AttachList, h: &RawHelper, all: &[&str]) {
        for a in list.get_ref() {
            if !all.contains(&a.get_ref().as_str()) {
                self.reports
                    .error(
                        a.span(),
                        format!(
                            "`{}` is not an attach type of `{}`",
                            a.get_ref(),
                            h.hook.as_ref().map_or("", |hook| hook.get_ref())
                        ),
                        format!("expected one of: {}", all.join(", ")),
                    )
                    .suggest(a.get_ref(), all.iter().copied());
            }
        }
    }

    /// The parameters, each `None` when its type could not be resolved (reported).
    fn params(&mut self, h: &RawHelper, name: &str) -> Vec<Option<HelperParam>> {
        let mut names: HashMap<&str, Range<usize>> = HashMap::new();
        for p in &h.params {
            if let Some(previous) = names.insert(p.name.get_ref(), p.name.span()) {
                self.reports
                    .error(
                        p.name.span(),
                        format!("`{name}` has two parameters named `{}`", p.name.get_ref()),
                        "second parameter with this name",
                    )
                    .note(previous, "first parameter with this name");
            }
        }
        h.params
            .iter()
            .map(|p| {
                self.identifier(&p.name, "parameter");
                let direction = match p.direction.get_ref().as_str() {
                    "in" => Direction::In,
                    "out" => Direction::Out,
                    "in,out" => Direction::InOut,
                    other => {
                        self.reports.error(
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
            .collect()
    }

    /// A helper's first parameter is the program's context: a pointer to the
    /// context struct of the helper's hook.
    fn helper_context(
        &mut self,
        raw_hook: &RawHook,
        hook: &Hook,
        first: &HelperParam,
        raw: &RawHelperParam,
    ) {
        if first.ty == Type::Pointer(Box::new(Type::Struct(hook.context))) {
            return;
        }
        let written = c_spelling(raw.ty.get_ref());
        let what = match first.ty.pointee() {
            Some(Type::Struct(_)) => format!(
                "`{}` is not the context struct of `{}`",
                base_and_depth(&written).0,
                hook.name
            ),
            Some(_) => format!("`{written}` does not point to a struct"),
            None => format!("`{written}` is not a pointer to a struct"),
        };
        let expected = format!("{}*", raw_hook.context.get_ref());
        self.reports
            .error(
                raw.ty.span(),
                format!("the context parameter of a helper must point to its hook's context struct; {what}"),
                format!("expected `{expected}`"),
            )
            .help(format!(
                "helpers of `{}` take the program's context first: `{expected}`",
                hook.name
            ));
    }
}
