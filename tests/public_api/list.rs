//! Lists a crate's public API from its source with `syn`: one line per `pub` item
//! (kind, path, normalised signature tokens, and the `cfg`s it and its parents carry).
//!
//! Why from source: cargo-public-api reads rustdoc JSON, which needs a nightly
//! rustdoc (or `RUSTC_BOOTSTRAP`, which we do not use) on the stable toolchain the
//! project pins. The source lister sees what is written, not what rustc resolves:
//! - every `pub` item is listed where it is defined, also in a private module (it
//!   is usually reached through a `pub use`, which is listed as a re-export);
//! - `macro_rules!` are not expanded. `since_release!` (the bindings' cfg wrapper) is
//!   read as the `cfg(feature)` it stands for; a crate-local macro that makes items is
//!   listed as its template (the `pub` items of its body, `$x` read as `__x`) and
//!   each invocation with its arguments, doc comments left out; `include!("file")`
//!   is read as the items of that file;
//! - an exported macro is listed with its matchers.

use std::path::{Path, PathBuf};

use quote::ToTokens;

use crate::tokens::{macro_rules, normalise, placeholders, since_release, tokens, without_docs};
use syn::{Attribute, Fields, ImplItem, Item, TraitItem, UseTree, Visibility};

/// The API lines of the crate whose root file is `root`, sorted.
pub fn crate_api(root: &Path) -> Vec<String> {
    let mut lister = Lister::default();
    lister.file(root, "crate", &[], true);
    // Only invocations of the crate's own macros make API; others (`thread_local!`)
    // are left out.
    for (name, line) in std::mem::take(&mut lister.calls) {
        if lister.local_macros.contains(&name) {
            lister.lines.push(line);
        }
    }
    lister.lines.sort();
    lister.lines.dedup();
    lister.lines
}

#[derive(Default)]
struct Lister {
    lines: Vec<String>,
    /// Item macro invocations: (macro name, line).
    calls: Vec<(String, String)>,
    /// The names of the crate's `macro_rules!`.
    local_macros: Vec<String>,
}

/// Where a module's file is and where its children's files are.
struct ModFile {
    children_dir: PathBuf,
    /// The directory of the file, which `include!` paths are relative to.
    file_dir: PathBuf,
}

impl Lister {
    fn file(&mut self, path: &Path, module: &str, cfgs: &[String], is_mod_root: bool) {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let file = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()));
        let dir = path.parent().unwrap();
        let children_dir = if is_mod_root {
            dir.to_path_buf()
        } else {
            dir.join(path.file_stem().unwrap())
        };
        let at = ModFile {
            children_dir,
            file_dir: dir.to_path_buf(),
        };
        self.items(&file.items, module, cfgs, &at);
    }

    fn items(&mut self, items: &[Item], module: &str, cfgs: &[String], at: &ModFile) {
        for item in items {
            self.item(item, module, cfgs, at);
        }
    }

    fn push(&mut self, kind: &str, path: &str, rest: &str, attrs: &[Attribute], cfgs: &[String]) {
        let mut cfgs = cfgs.to_vec();
        cfgs.extend(cfgs_of(attrs));
        let mut seen = Vec::new();
        cfgs.retain(|c| {
            !seen.contains(c) && {
                seen.push(c.clone());
                true
            }
        });
        let hidden = if attrs.iter().any(is_doc_hidden) {
            " #[doc(hidden)]"
        } else {
            ""
        };
        let cfg = cfgs.iter().map(|c| format!(" #[{c}]")).collect::<String>();
        self.lines.push(format!("{kind} {path}{rest}{hidden}{cfg}"));
    }

    fn item(&mut self, item: &Item, module: &str, cfgs: &[String], at: &ModFile) {
        let public = |vis: &Visibility| matches!(vis, Visibility::Public(_));
        match item {
            Item::Const(c) if public(&c.vis) => {
                let ty = tokens(&c.ty);
                self.push(
                    "const",
                    &format!("{module}::{}", c.ident),
                    &format!(": {ty}"),
                    &c.attrs,
                    cfgs,
                );
            }
            Item::Static(s) if public(&s.vis) => {
                let ty = tokens(&s.ty);
                let m = if matches!(s.mutability, syn::StaticMutability::Mut(_)) {
                    "mut "
                } else {
                    ""
                };
                self.push(
                    "static",
                    &format!("{module}::{m}{}", s.ident),
                    &format!(": {ty}"),
                    &s.attrs,
                    cfgs,
                );
            }
            Item::Fn(f) if public(&f.vis) => {
                self.push(
                    "fn",
                    &format!("{module}::{}", f.sig.ident),
                    &format!(": {}", tokens(&f.sig)),
                    &f.attrs,
                    cfgs,
                );
            }
            Item::Type(t) if public(&t.vis) => {
                let rest = format!("{} = {}", tokens(&t.generics), tokens(&t.ty));
                self.push(
                    "type",
                    &format!("{module}::{}", t.ident),
                    &rest,
                    &t.attrs,
                    cfgs,
                );
            }
            Item::Struct(s) if public(&s.vis) => {
                let path = format!("{module}::{}", s.ident);
                let generics = generics_with_where(&s.generics);
                self.push("struct", &path, &generics, &s.attrs, cfgs);
                self.fields(&s.fields, &path, &s.attrs, cfgs);
            }
            Item::Union(u) if public(&u.vis) => {
                let path = format!("{module}::{}", u.ident);
                self.push(
                    "union",
                    &path,
                    &generics_with_where(&u.generics),
                    &u.attrs,
                    cfgs,
                );
                self.fields(&Fields::Named(u.fields.clone()), &path, &u.attrs, cfgs);
            }
            Item::Enum(e) if public(&e.vis) => {
                let path = format!("{module}::{}", e.ident);
                self.push(
                    "enum",
                    &path,
                    &generics_with_where(&e.generics),
                    &e.attrs,
                    cfgs,
                );
                let mut outer = cfgs.to_vec();
                outer.extend(cfgs_of(&e.attrs));
                for v in &e.variants {
                    let discriminant = v
                        .discriminant
                        .as_ref()
                        .map(|(_, d)| format!(" = {}", tokens(d)));
                    let rest = format!(
                        "{}{}",
                        fields_tokens(&v.fields),
                        discriminant.unwrap_or_default()
                    );
                    self.push(
                        "variant",
                        &format!("{path}::{}", v.ident),
                        &rest,
                        &v.attrs,
                        &outer,
                    );
                }
            }
            Item::Trait(t) if public(&t.vis) => {
                let path = format!("{module}::{}", t.ident);
                let unsafety = if t.unsafety.is_some() { "unsafe " } else { "" };
                let bounds = if t.supertraits.is_empty() {
                    String::new()
                } else {
                    format!(": {}", tokens(&t.supertraits))
                };
                let rest = format!("{}{bounds}", generics_with_where(&t.generics));
                self.push(&format!("{unsafety}trait"), &path, &rest, &t.attrs, cfgs);
                let mut outer = cfgs.to_vec();
                outer.extend(cfgs_of(&t.attrs));
                for ti in &t.items {
                    let (kind, name, rest, attrs) = match ti {
                        TraitItem::Fn(f) => (
                            "trait-fn",
                            f.sig.ident.to_string(),
                            format!(": {}", tokens(&f.sig)),
                            &f.attrs,
                        ),
                        TraitItem::Const(c) => (
                            "trait-const",
                            c.ident.to_string(),
                            format!(": {}", tokens(&c.ty)),
                            &c.attrs,
                        ),
                        TraitItem::Type(ty) => (
                            "trait-type",
                            ty.ident.to_string(),
                            format!(": {}", tokens(&ty.bounds)),
                            &ty.attrs,
                        ),
                        _ => continue,
                    };
                    self.push(kind, &format!("{path}::{name}"), &rest, attrs, &outer);
                }
            }
            Item::Impl(i) => self.impl_block(i, module, cfgs),
            Item::Mod(m) => {
                let path = format!("{module}::{}", m.ident);
                if public(&m.vis) {
                    self.push("mod", &path, "", &m.attrs, cfgs);
                }
                let mut inner = cfgs.to_vec();
                inner.extend(cfgs_of(&m.attrs));
                match &m.content {
                    Some((_, items)) => {
                        let child = ModFile {
                            children_dir: at.children_dir.join(m.ident.to_string()),
                            file_dir: at.file_dir.clone(),
                        };
                        self.items(items, &path, &inner, &child);
                    }
                    None => {
                        let (file, is_root) =
                            module_file(&at.children_dir, &m.ident.to_string(), &m.attrs);
                        self.file(&file, &path, &inner, is_root);
                    }
                }
            }
            Item::Use(u) if public(&u.vis) => {
                let mut leaves = Vec::new();
                use_leaves(&u.tree, String::new(), &mut leaves);
                for (name, source) in leaves {
                    self.push(
                        "use",
                        &format!("{module}::{name}"),
                        &format!(" = {source}"),
                        &u.attrs,
                        cfgs,
                    );
                }
            }
            Item::Macro(m) => self.macro_item(m, module, cfgs, at),
            _ => {}
        }
    }

    fn fields(&mut self, fields: &Fields, path: &str, attrs: &[Attribute], cfgs: &[String]) {
        let mut outer = cfgs.to_vec();
        outer.extend(cfgs_of(attrs));
        for (n, f) in fields.iter().enumerate() {
            if matches!(f.vis, Visibility::Public(_)) {
                let name = f.ident.as_ref().map_or(n.to_string(), ToString::to_string);
                self.push(
                    "field",
                    &format!("{path}::{name}"),
                    &format!(": {}", tokens(&f.ty)),
                    &f.attrs,
                    &outer,
                );
            }
        }
    }

    fn impl_block(&mut self, i: &syn::ItemImpl, module: &str, cfgs: &[String]) {
        let unsafety = if i.unsafety.is_some() { "unsafe " } else { "" };
        let generics = tokens(&i.generics);
        let self_ty = tokens(&i.self_ty);
        let wh = i
            .generics
            .where_clause
            .as_ref()
            .map(|w| format!(" {}", tokens(w)))
            .unwrap_or_default();
        if let Some((bang, trait_, _)) = &i.trait_ {
            let not = if bang.is_some() { "!" } else { "" };
            let header = format!(
                ": {unsafety}impl{generics} {not}{} for {self_ty}{wh}",
                tokens(trait_)
            );
            self.push("impl", module, &header, &i.attrs, cfgs);
            return;
        }
        let mut outer = cfgs.to_vec();
        outer.extend(cfgs_of(&i.attrs));
        let header = format!("impl{generics} {self_ty}{wh}");
        for item in &i.items {
            let (kind, rest, attrs) = match item {
                ImplItem::Fn(f) if matches!(f.vis, Visibility::Public(_)) => {
                    ("fn", tokens(&f.sig), &f.attrs)
                }
                ImplItem::Const(c) if matches!(c.vis, Visibility::Public(_)) => {
                    ("const", format!("{}: {}", c.ident, tokens(&c.ty)), &c.attrs)
                }
                ImplItem::Type(t) if matches!(t.vis, Visibility::Public(_)) => {
                    ("type", tokens(t), &t.attrs)
                }
                _ => continue,
            };
            self.push(
                &format!("impl-{kind}"),
                module,
                &format!(": {header} {{ {rest} }}"),
                attrs,
                &outer,
            );
        }
    }

    fn macro_item(&mut self, m: &syn::ItemMacro, module: &str, cfgs: &[String], at: &ModFile) {
        let name = m
            .mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let included = (name == "include")
            .then(|| syn::parse2::<syn::LitStr>(m.mac.tokens.clone()).ok())
            .flatten();
        if let Some(file) = included {
            // Items `include!`d from a file (a generated one, say) are the module's.
            let path = at.file_dir.join(file.value());
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let items = syn::parse_file(&text)
                .unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()))
                .items;
            let mut inner = cfgs.to_vec();
            inner.extend(cfgs_of(&m.attrs));
            self.items(&items, module, &inner, at);
        } else if name == "since_release" {
            let (feature, items) = since_release(m.mac.tokens.clone());
            let mut inner = cfgs.to_vec();
            inner.push(format!("cfg(feature = {feature})"));
            self.items(&items, module, &inner, at);
        } else if m.mac.path.is_ident("macro_rules") {
            let Some(ident) = &m.ident else { return };
            self.local_macros.push(ident.to_string());
            if ident == "since_release" {
                return; // Read as the cfg it stands for, above.
            }
            let exported = m.attrs.iter().any(|a| a.path().is_ident("macro_export"));
            for (matcher, transcriber) in macro_rules(m.mac.tokens.clone()) {
                if exported {
                    self.push(
                        "macro",
                        &format!("crate::{ident}!"),
                        &format!(" {}", normalise(&matcher.to_string())),
                        &m.attrs,
                        cfgs,
                    );
                } else {
                    // A local macro's template: the pub items it makes.
                    let template = format!("{module}::{ident}!");
                    match syn::parse2::<syn::File>(placeholders(transcriber.clone())) {
                        Ok(file) => {
                            self.items(&file.items, &template, cfgs, at);
                        }
                        Err(_) => {
                            let body = normalise(&without_docs(transcriber).to_string());
                            self.push(
                                "macro-template",
                                &template,
                                &format!(" {body}"),
                                &m.attrs,
                                cfgs,
                            );
                        }
                    }
                }
            }
        } else {
            let args = normalise(&without_docs(m.mac.tokens.clone()).to_string());
            self.push(
                "macro-call",
                &format!("{module}::{name}!"),
                &format!("({args})"),
                &m.attrs,
                cfgs,
            );
            let line = self.lines.pop().expect("just pushed");
            self.calls.push((name, line));
        }
    }
}

/// The file of module `name` declared in a file whose children live in `dir`, and
/// whether it is a `mod.rs`-style root.
fn module_file(dir: &Path, name: &str, attrs: &[Attribute]) -> (PathBuf, bool) {
    for a in attrs.iter().filter(|a| a.path().is_ident("path")) {
        if let syn::Meta::NameValue(nv) = &a.meta {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
            {
                return (dir.join(s.value()), true);
            }
        }
    }
    let flat = dir.join(format!("{name}.rs"));
    if flat.exists() {
        (flat, false)
    } else {
        (dir.join(name).join("mod.rs"), true)
    }
}

/// Each leaf of a use tree: (name it is visible as, path it comes from).
fn use_leaves(tree: &UseTree, prefix: String, out: &mut Vec<(String, String)>) {
    match tree {
        UseTree::Path(p) => use_leaves(&p.tree, format!("{prefix}{}::", p.ident), out),
        UseTree::Name(n) => out.push((n.ident.to_string(), format!("{prefix}{}", n.ident))),
        UseTree::Rename(r) => out.push((r.rename.to_string(), format!("{prefix}{}", r.ident))),
        UseTree::Glob(_) => out.push(("*".into(), format!("{prefix}*"))),
        UseTree::Group(g) => g
            .items
            .iter()
            .for_each(|t| use_leaves(t, prefix.clone(), out)),
    }
}

fn cfgs_of(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .map(|a| normalise(&a.meta.to_token_stream().to_string()))
        .collect()
}

fn is_doc_hidden(a: &Attribute) -> bool {
    a.path().is_ident("doc")
        && a.meta.to_token_stream().to_string().replace(' ', "") == "doc(hidden)"
}

fn generics_with_where(g: &syn::Generics) -> String {
    let wh = g
        .where_clause
        .as_ref()
        .map(|w| format!(" {}", tokens(w)))
        .unwrap_or_default();
    format!("{}{wh}", tokens(g))
}

fn fields_tokens(fields: &Fields) -> String {
    match fields {
        Fields::Unit => String::new(),
        other => tokens(other),
    }
}
