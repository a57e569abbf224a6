//! Stage 2: meaning. Checks the attach types and the program's signature against the
//! hook table, and reports every problem at once, each on the token that is wrong
//! and naming what was expected.

use proc_macro2::Span;
use quote::ToTokens;
use syn::{FnArg, GenericArgument, ItemFn, PathArguments, ReturnType, Type};

use crate::parse::Input;
use crate::table::{AttachInfo, HookInfo, HookQueries};

/// How the program takes its context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextForm {
    /// `&mut CTX`
    Mut,
    /// `&CTX`
    Shared,
    /// `Context<'_, Marker>`: typed by attach type, with the helpers available there.
    Typed,
}

/// A program that passed every check.
pub struct Program {
    pub func: ItemFn,
    /// The attach types it is placed at, in the order written (or the hook's only one).
    pub attach: Vec<&'static AttachInfo>,
    pub form: ContextForm,
}

/// The bindings' name of the typed context wrapper.
pub const TYPED_CONTEXT: &str = "Context";

#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        let error = syn::Error::new(span, message);
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    fn spanned(&mut self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        let error = syn::Error::new_spanned(tokens, message);
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }
}

pub fn validate(hook: &'static HookInfo, input: Input) -> syn::Result<Program> {
    let mut errors = Errors::default();
    let attach = attach_types(hook, &input, &mut errors);
    let attr = hook.attribute;
    let sig = &input.func.sig;

    for other in &input.func.attrs {
        let named = other.path().segments.last().map(|s| s.ident.to_string());
        if let Some(found) = crate::HOOKS
            .iter()
            .find(|h| named.as_deref() == Some(h.attribute))
        {
            errors.spanned(
                other,
                format!(
                    "a function takes one hook attribute: it has `#[{attr}]` and `#[{}]`; \
                     each program is the entry point of one hook",
                    found.attribute
                ),
            );
        }
    }
    if let Some(token) = &sig.constness {
        errors.spanned(token, format!("a `#[{attr}]` program cannot be `const`"));
    }
    if let Some(token) = &sig.asyncness {
        errors.spanned(token, format!("a `#[{attr}]` program cannot be `async`"));
    }
    if let Some(token) = &sig.unsafety {
        errors.spanned(
            token,
            format!(
                "a `#[{attr}]` program cannot be `unsafe fn`: its entry point calls it with a valid context"
            ),
        );
    }
    if let Some(abi) = &sig.abi {
        errors.spanned(
            abi,
            format!(
                "a `#[{attr}]` program is a Rust `fn`: remove the ABI, the attribute emits the `extern \"C\"` entry point"
            ),
        );
    }
    if !sig.generics.params.is_empty() {
        errors.spanned(
            &sig.generics,
            format!(
                "a `#[{attr}]` program cannot be generic: the entry point has one fixed signature"
            ),
        );
    }
    if let Some(clause) = &sig.generics.where_clause {
        errors.spanned(
            clause,
            format!("a `#[{attr}]` program cannot have a `where` clause"),
        );
    }
    if let Some(variadic) = &sig.variadic {
        errors.spanned(
            variadic,
            format!("a `#[{attr}]` program cannot be variadic"),
        );
    }

    let expected = expected_params(hook, &attach);
    let mut form = ContextForm::Mut;
    let mut inputs = sig.inputs.iter();
    match inputs.next() {
        None => errors.push(
            sig.paren_token.span.join(),
            format!("missing parameter: a `#[{attr}]` program takes its context, {expected}"),
        ),
        Some(FnArg::Receiver(receiver)) => errors.spanned(
            receiver,
            format!("a hook must be a free function: a `#[{attr}]` program takes the context, {expected}, not `self`"),
        ),
        Some(FnArg::Typed(param)) => {
            if let Some(found) = context_form(hook, &attach, &param.ty, &expected, &mut errors) {
                form = found;
            }
        }
    }
    for extra in inputs {
        errors.spanned(
            extra,
            format!(
                "unexpected parameter: a `#[{attr}]` program takes only its context, {expected}"
            ),
        );
    }

    let verdict = hook.verdict;
    match &sig.output {
        ReturnType::Default => errors.push(
            sig.paren_token.span.close(),
            format!("missing return type: a `#[{attr}]` program returns `-> {verdict}`"),
        ),
        ReturnType::Type(_, ty) => {
            if !names(ty, verdict) {
                errors.spanned(
                    ty,
                    format!("expected `{verdict}`, the verdict type of `#[{attr}]` programs"),
                );
            }
        }
    }

    match errors.0 {
        Some(error) => Err(error),
        None => Ok(Program {
            func: input.func,
            attach,
            form,
        }),
    }
}

/// The attach types the program is placed at; records wrong, unknown, repeated,
/// missing or superfluous names.
fn attach_types(
    hook: &'static HookInfo,
    input: &Input,
    errors: &mut Errors,
) -> Vec<&'static AttachInfo> {
    let attr = hook.attribute;
    if !hook.attach_required() {
        for name in &input.attach {
            errors.spanned(
                name,
                format!(
                    "`#[{attr}]` takes no attach type: its hook has only `{}`; write `#[{attr}]`",
                    hook.attach_list()
                ),
            );
        }
        return hook.attach_types.iter().collect();
    }
    if input.attach.is_empty() {
        errors.push(
            input.args_span,
            format!(
                "`#[{attr}]` needs an attach type: write `#[{attr}(NAME)]` with one or more of: {}",
                hook.attach_list()
            ),
        );
    }
    let mut found: Vec<&'static AttachInfo> = Vec::new();
    for name in &input.attach {
        let text = name.to_string();
        let text = text.strip_prefix("r#").unwrap_or(&text);
        match hook.find_attach(text) {
            Some(spec) if found.contains(&spec) => {
                errors.spanned(name, format!("attach type `{text}` is given twice"))
            }
            Some(spec) => match crate::table::attach_needs_release(spec.name) {
                Some(release) => {
                    let what = format!("`{}`", spec.section);
                    errors.spanned(name, crate::table::needs_release_message(&what, release));
                }
                None => found.push(spec),
            },
            None => {
                let hint = match hook.closest_attach(text) {
                    Some(near) => format!("; did you mean `{near}`?"),
                    None => String::new(),
                };
                errors.spanned(
                    name,
                    format!(
                        "unknown attach type `{text}` for `#[{attr}]`; expected one of: {}{hint}",
                        hook.attach_list()
                    ),
                );
            }
        }
    }
    found
}

/// How the signature should spell the context, for messages.
fn expected_params(hook: &HookInfo, attach: &[&AttachInfo]) -> String {
    let ctx = hook.context;
    match attach {
        [one] => format!(
            "`&mut {ctx}`, `&{ctx}` or `{TYPED_CONTEXT}<'_, {}>`",
            one.marker
        ),
        _ => format!("`&mut {ctx}` or `&{ctx}`"),
    }
}

/// Checks the context parameter's type; `None` when it is wrong (and recorded).
fn context_form(
    hook: &HookInfo,
    attach: &[&AttachInfo],
    ty: &Type,
    expected: &str,
    errors: &mut Errors,
) -> Option<ContextForm> {
    let attr = hook.attribute;
    match unwrap_group(ty) {
        Type::Reference(reference) => {
            if names(&reference.elem, hook.context) {
                Some(match reference.mutability {
                    Some(_) => ContextForm::Mut,
                    None => ContextForm::Shared,
                })
            } else {
                errors.spanned(
                    &reference.elem,
                    format!(
                        "expected `{}`, the context of `#[{attr}]` programs",
                        hook.context
                    ),
                );
                None
            }
        }
        Type::Path(path)
            if path.qself.is_none()
                && path
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == TYPED_CONTEXT) =>
        {
            let segment = path.path.segments.last()?;
            let markers: Vec<&Type> = match &segment.arguments {
                PathArguments::AngleBracketed(args) => args
                    .args
                    .iter()
                    .filter_map(|a| match a {
                        GenericArgument::Type(t) => Some(t),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let [only] = attach else {
                // With no valid attach type there is nothing to compare against;
                // that problem is already reported.
                if attach.len() > 1 {
                    let names: Vec<&str> = attach.iter().map(|a| a.name).collect();
                    errors.spanned(
                        ty,
                        format!(
                            "a typed `{TYPED_CONTEXT}` names one attach type, but this program is placed at {}; take {expected}, or write one program per attach type",
                            names.join(", ")
                        ),
                    );
                }
                return None;
            };
            match markers.as_slice() {
                [marker] if names(marker, only.marker) => Some(ContextForm::Typed),
                [marker] => {
                    errors.spanned(
                        marker,
                        format!(
                            "expected `{}`, the marker type of attach type `{}`",
                            only.marker, only.name
                        ),
                    );
                    None
                }
                _ => {
                    errors.spanned(
                        segment,
                        format!(
                            "expected `{TYPED_CONTEXT}<'_, {}>`: the context typed by attach type `{}`",
                            only.marker, only.name
                        ),
                    );
                    None
                }
            }
        }
        _ => {
            errors.spanned(
                ty,
                format!("expected {expected}, the context of `#[{attr}]` programs"),
            );
            None
        }
    }
}

/// Whether `ty` is a plain path (`a::b::NAME`) to `name`, without generic arguments.
fn names(ty: &Type, name: &str) -> bool {
    match unwrap_group(ty) {
        Type::Path(path) => {
            path.qself.is_none()
                && path
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == name && matches!(s.arguments, PathArguments::None))
        }
        _ => false,
    }
}

/// Invisible groups and parentheses come from `macro_rules!` and `(T)`; look through them.
fn unwrap_group(ty: &Type) -> &Type {
    match ty {
        Type::Group(group) => unwrap_group(&group.elem),
        Type::Paren(paren) => unwrap_group(&paren.elem),
        other => other,
    }
}
