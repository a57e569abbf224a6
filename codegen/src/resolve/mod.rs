//! Validation and resolution: turns the spec as written ([`RawSpec`]) into the
//! [`Model`], checking every name and reference, computing every value, laying out
//! every struct and working out the cross-references between items. All problems
//! are collected, so one run reports every mistake of a spec.
//!
//! One file per item kind, as in `model/`; `names/` holds the identifier rules and
//! every name clash of the C and Rust output, `doc.rs` the rules for doc text,
//! `limits.rs` the bounds that keep the output compilable, `suggest.rs` the
//! "did you mean" of every rule, and `Reports` builds every diagnostic.

mod constant;
mod cross_refs;
mod doc;
mod enumeration;
mod header;
mod helper;
mod hook;
mod limits;
mod macro_block;
mod names;
mod structure;
mod typedef;
mod types;
mod verifier;

pub use crate::suggest::{did_you_mean, suggest};
pub use names::{RunSpec, check_across_specs};

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::layout::LayoutEngine;
use crate::model::{
    ConstantId, EnumId, EnumeratorId, Header, HelperId, HookId, Model, ProjectInclude, Releases,
    StructId,
};
use crate::spec::{RawSpec, SpannedStr};

use doc::MAX_SHORT_TEXT;

/// Resolves a parsed spec. `Err` holds every problem found.
pub fn resolve(raw: &RawSpec, source: &str) -> Result<Model, Vec<Diagnostic>> {
    resolve_checking(raw, source, true)
}

/// [`resolve`], checking the Rust names of the bindings only if `rust_names`: a run
/// writes the bindings of one release, and the other releases' bindings are that
/// release's items gated by cargo features, never other names.
pub fn resolve_checking(
    raw: &RawSpec,
    source: &str,
    rust_names: bool,
) -> Result<Model, Vec<Diagnostic>> {
    let mut resolver = Resolver {
        skip_rust_names: !rust_names,
        ..Resolver::default()
    };
    let model = resolver.model(raw, source);
    match model {
        Some(model) if resolver.reports.0.is_empty() => Ok(model),
        _ => Err(resolver.reports.0),
    }
}

/// The problems found so far. Every diagnostic of the resolver is made by
/// [`Reports::error`], then completed through the [`Report`] it returns.
#[derive(Default)]
struct Reports(Vec<Diagnostic>);

impl Reports {
    /// Records a problem at `span`: `message` says what is wrong, `label` is shown
    /// under the span.
    fn error(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Report<'_> {
        self.0.push(Diagnostic::new(span, message, label));
        let index = self.0.len() - 1;
        Report(&mut self.0[index])
    }
}

/// The diagnostic just recorded, to add a hint or another place to.
struct Report<'a>(&'a mut Diagnostic);

impl Report<'_> {
    fn help(self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    /// Another place that explains the problem ("first declared here").
    fn note(self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.0.notes.push((span, label.into()));
        self
    }

    /// "did you mean `X`?", when one of `candidates` is close to `written`.
    fn suggest<'c>(self, written: &str, candidates: impl IntoIterator<Item = &'c str>) -> Self {
        match suggest(written, candidates) {
            Some(near) => self.help(did_you_mean(near)),
            None => self,
        }
    }
}

/// What the resolver knows of the items resolved so far, by name.
#[derive(Default)]
struct Resolver {
    reports: Reports,
    /// C's ordinary identifier namespace: macros, typedefs, enumerators, helpers.
    ordinary: HashMap<String, Range<usize>>,
    /// C's tag namespace (struct and enum tags).
    tags: HashMap<String, Range<usize>>,
    constants: HashMap<String, (ConstantId, i64)>,
    /// Constants whose value is reported as wrong: values using them are unknown.
    invalid_constants: HashSet<String>,
    enums: HashMap<String, EnumId>,
    enumerators: HashMap<String, (EnumeratorId, i64)>,
    /// Structs defined so far: a struct can only use the ones defined before it.
    structs: HashMap<String, StructId>,
    /// Struct names declared anywhere in the spec, to tell "later" from "unknown".
    all_structs: HashSet<String>,
    /// Whether [`resolve_checking`] leaves the bindings' Rust names unchecked.
    skip_rust_names: bool,
    /// Whether the struct being resolved is `defined_in` another header.
    in_external_struct: bool,
    /// How many anonymous members enclose the member being resolved.
    anonymous_depth: usize,
    /// Lays out each struct as soon as it is resolved, for the size limit and for
    /// the structs that embed it.
    layout: LayoutEngine,
    hooks: HashMap<String, HookId>,
    /// Helper ID values so far, with the helper and where its ID was written.
    helper_ids: HashMap<i64, (String, Range<usize>)>,
    /// Helpers resolved so far, by name: what `cast_as` and `after` refer to.
    helpers: HashMap<String, HelperId>,
    /// Typedef names, each with its position and the struct name it stands for.
    typedef_names: HashMap<String, (usize, String)>,
    /// Return and parameter types of each helper resolved so far, for `cast_as`.
    signatures: HashMap<HelperId, (crate::model::Type, Vec<crate::model::Type>)>,
}

impl Resolver {
    /// The whole model; `None` when an item could not be resolved (and so was
    /// reported).
    fn model(&mut self, raw: &RawSpec, source: &str) -> Option<Model> {
        self.all_structs = raw
            .structs
            .iter()
            .map(|s| s.name.get_ref().clone())
            .collect();
        let header = self.header(raw);
        self.check_limits(raw);
        self.declare_typedefs(&raw.typedefs);
        let constants = self.each(&raw.constants, ConstantId::new, Self::constant);
        let enums = self.each(&raw.enums, EnumId::new, Self::enumeration);
        let structs = self.each(&raw.structs, StructId::new, Self::structure);
        let typedefs = self.each(&raw.typedefs, |i| i, Self::typedef);
        let hooks = self.each(&raw.hooks, HookId::new, Self::hook);
        self.check_attach_types(&raw.hooks);
        let helpers = (raw.helpers.iter().enumerate())
            .map(|(i, h)| self.helper(h, HelperId::new(i), &raw.hooks, &hooks))
            .collect::<Vec<_>>();
        let macro_blocks = self.each(&raw.macro_blocks, |i| i, Self::macro_block);
        if let Some(module) = &raw.header.rust_module {
            self.module_without_hooks(module, &raw.hooks);
        }
        let mut model = Model {
            source: source.to_owned(),
            releases: Releases::default(),
            header,
            constants,
            enums,
            structs,
            typedefs: typedefs.into_iter().collect::<Option<_>>()?,
            hooks: hooks.into_iter().collect::<Option<_>>()?,
            helpers: helpers.into_iter().collect::<Option<_>>()?,
            macro_blocks: macro_blocks.into_iter().collect::<Option<_>>()?,
            verifier: Default::default(),
        };
        model.verifier = self.verifier_facts(raw, &model);
        let model = cross_refs::link(model);
        self.check_passable(raw, &model);
        if self.reports.0.is_empty() && !self.skip_rust_names {
            self.check_rust_names(raw, &model);
        }
        Some(model)
    }

    /// Resolves items of one kind in spec order, each with its id: its position.
    fn each<R, I, T>(
        &mut self,
        raw: &[R],
        id: fn(usize) -> I,
        resolve: fn(&mut Self, &R, I) -> T,
    ) -> Vec<T> {
        (raw.iter().enumerate())
            .map(|(i, item)| resolve(self, item, id(i)))
            .collect()
    }

    fn header(&mut self, raw: &RawSpec) -> Header {
        let file = raw.header.file.get_ref();
        let header = Header {
            file: file.clone(),
            stem: file.strip_suffix(".h").unwrap_or(file).to_owned(),
            includes: raw
                .header
                .includes
                .iter()
                .map(|i| i.get_ref().clone())
                .collect(),
            project_includes: (raw.header.project_includes.iter())
                .map(|i| ProjectInclude {
                    file: i.file.get_ref().clone(),
                    drop_in: i.drop_in,
                })
                .collect(),
            spdx: raw.header.spdx.as_ref().map(|s| s.get_ref().clone()),
            rust_module: raw.header.rust_module.as_ref().map(|m| m.get_ref().clone()),
            c_line_width: self.line_width(raw.header.c_line_width.as_ref()),
            siblings: Vec::new(),
            doc: self.doc(&raw.header.doc, "the header"),
        };
        self.header_file(&raw.header.file);
        for include in &raw.header.includes {
            self.header_name(include, "expected a system header such as `stdint.h`");
        }
        for include in &raw.header.project_includes {
            self.header_name(&include.file, "expected a header such as `ebpf_windows.h`");
            self.drop_in_file(include, &raw.header.file);
        }
        if let Some(spdx) = &raw.header.spdx {
            self.spdx(spdx);
        }
        if let Some(module) = &raw.header.rust_module {
            self.rust_module(module);
        }
        header
    }

    /// A header another file includes or is defined in (`#include <NAME>`, or
    /// `defined_in`): a path of plain characters, no `>` or quote.
    fn header_name(&mut self, name: &SpannedStr, expected: &str) {
        let text = name.get_ref();
        let plain = !text.is_empty()
            && text.len() <= MAX_SHORT_TEXT
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
        if !plain {
            self.reports
                .error(
                    name.span(),
                    format!("`{}` is not a header name", text.escape_debug()),
                    expected,
                )
                .help("use ASCII letters, digits, `_`, `-`, `.` and `/` only");
        }
    }

    /// `defined_in` of a constant, enum or struct: the header that defines it.
    fn defined_in(&mut self, defined_in: &Option<SpannedStr>) -> Option<String> {
        let header = defined_in.as_ref()?;
        self.header_name(
            header,
            "expected the header that defines this item, such as `ebpf_structs.h`",
        );
        Some(header.get_ref().clone())
    }

    /// The header's file name becomes a path below the output directory: it must
    /// name a file there, never a path that leaves it. Artifacts named after the
    /// header take its name without the `.h`.
    fn header_file(&mut self, file: &SpannedStr) {
        let name = file.get_ref();
        let problem = if name.is_empty() {
            Some("the header file name is empty")
        } else if name.len() > MAX_SHORT_TEXT
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            || !name.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            Some("the header file name is not a plain file name")
        } else if !name.ends_with(".h") {
            Some("the header file name does not end in `.h`")
        } else {
            None
        };
        if let Some(message) = problem {
            self.reports
                .error(
                    file.span(),
                    message,
                    "expected a file name such as `ebpf_nethooks.h`",
                )
                .help(
                    "start with a letter; use ASCII letters, digits, `_`, `-` and `.`, no directories (it is written to `include/`)",
                );
        }
    }
}
