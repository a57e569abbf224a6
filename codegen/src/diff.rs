//! What changed in the ABI between two releases (`codegen --diff-versions OLD NEW`),
//! each change classed as compatible or breaking, in the manner of
//! cargo-semver-checks: an item removed, or a struct size or offset, an enumerator or
//! constant value, a helper ID or signature that moves, breaks programs built for
//! the older release; an item added does not.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::model::{Model, Type};

/// One change of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The item, as `kind name` (`struct bind_md_t`, `member bind_md_t.operation`).
    pub item: String,
    pub what: What,
    /// What changed, for [`What::Changed`]: `size 56 -> 64`.
    pub details: Vec<String>,
    /// Whether a program or host built against the older release can break.
    pub breaking: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Added,
    Removed,
    Changed,
}

/// One property of an item's ABI, and how a change of it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Property {
    name: &'static str,
    value: String,
    /// The value that decides whether a change breaks: a parameter's type without
    /// `const` (adding `const` keeps every C call valid).
    abi: String,
}

impl Property {
    fn new(name: &'static str, value: impl ToString) -> Self {
        let value = value.to_string();
        Property {
            name,
            abi: value.clone(),
            value,
        }
    }
}

/// Every ABI item of a release's specs, in spec order, with its properties.
fn facts(models: &[Model]) -> Vec<(String, Vec<Property>)> {
    let mut items: Vec<(String, Vec<Property>)> = Vec::new();
    for model in models {
        for include in &model.header.project_includes {
            items.push((
                format!("include \"{}\" in {}", include.file, model.header.file),
                vec![],
            ));
        }
        for c in &model.constants {
            items.push((
                format!("constant {}", c.name),
                vec![Property::new("value", c.value)],
            ));
        }
        for e in &model.enums {
            items.push((format!("enum {}", e.name), vec![]));
            for x in &e.enumerators {
                let value = Property::new("value", x.value);
                items.push((format!("enumerator {}", x.name), vec![value]));
            }
        }
        for s in &model.structs {
            let layout = vec![
                Property::new("size", s.layout.size),
                Property::new("align", s.layout.align),
            ];
            items.push((format!("struct {}", s.name), layout));
            for (_, member) in s.leaf_fields() {
                let crate::model::MemberKind::Field {
                    name, ty, array, ..
                } = &member.kind
                else {
                    continue;
                };
                let ty = match array {
                    Some(n) => format!("{}[{n}]", ty.c_spelling(model)),
                    None => ty.c_spelling(model),
                };
                items.push((
                    format!("member {}.{name}", s.name),
                    vec![
                        Property::new("offset", member.placement.offset),
                        Property::new("size", member.placement.size),
                        Property::new("type", ty),
                    ],
                ));
            }
        }
        for t in &model.typedefs {
            let target = Property::new("names", &model.structure(t.target).name);
            items.push((format!("typedef {}", t.name), vec![target]));
        }
        for hook in &model.hooks {
            items.push((
                format!("hook {}", hook.name),
                vec![
                    Property::new("program type", &hook.program_type),
                    Property::new("context", &model.structure(hook.context).name),
                    Property::new("returns", hook.returns.c_spelling(model)),
                ],
            ));
            for a in &hook.attach_types {
                let section = Property::new("section", &a.section);
                items.push((format!("attach type {}", a.name), vec![section]));
            }
        }
        for block in &model.macro_blocks {
            for name in block.defined_macros() {
                let text = Property::new("text", macro_text(&block.text, name));
                items.push((format!("macro {name}"), vec![text]));
            }
        }
        for h in &model.helpers {
            let mut properties = vec![
                Property::new("id", h.id_value),
                Property::new("returns", h.returns.ty.c_spelling(model)),
            ];
            for p in &h.params {
                properties.push(Property {
                    name: "parameter",
                    value: format!("{} {}", p.ty.c_spelling(model), p.name),
                    abi: without_const(&p.ty).c_spelling(model),
                });
            }
            items.push((format!("helper {}", h.name), properties));
        }
    }
    items
}

/// The text of the `#define` of `name` in a macro block, continuation lines joined.
fn macro_text(block: &str, name: &str) -> String {
    let mut text = String::new();
    let mut inside = false;
    for line in block.lines() {
        let trimmed = line.trim();
        let starts = (trimmed.strip_prefix("#define ")).is_some_and(|rest| {
            rest.starts_with(name)
                && !rest[name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        });
        if starts {
            inside = true;
        }
        if inside {
            text.push_str(trimmed.trim_end_matches('\\').trim());
            text.push(' ');
            if !trimmed.ends_with('\\') {
                break;
            }
        }
    }
    text.trim_end().to_owned()
}

/// The type with every `const` taken away.
fn without_const(ty: &Type) -> Type {
    match ty {
        Type::Const(inner) => without_const(inner),
        Type::Pointer(inner) => Type::Pointer(Box::new(without_const(inner))),
        other => other.clone(),
    }
}

/// The changes from the `old` release's models to the `new` one's.
pub fn diff(old: &[Model], new: &[Model]) -> Vec<Change> {
    let old_items = facts(old);
    let new_items = facts(new);
    let old_by_name: HashMap<&str, &Vec<Property>> =
        old_items.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let new_names: HashMap<&str, ()> = new_items.iter().map(|(k, _)| (k.as_str(), ())).collect();
    let mut changes = Vec::new();
    for (item, properties) in &new_items {
        let Some(before) = old_by_name.get(item.as_str()) else {
            changes.push(Change {
                item: item.clone(),
                what: What::Added,
                details: Vec::new(),
                breaking: false,
            });
            continue;
        };
        if *before == properties {
            continue;
        }
        let mut details = Vec::new();
        let mut breaking = before.len() != properties.len();
        for i in 0..before.len().max(properties.len()) {
            match (before.get(i), properties.get(i)) {
                (Some(a), Some(b)) if a == b => {}
                (Some(a), Some(b)) => {
                    // `const` added keeps every call valid; `const` removed does not.
                    let fewer_const =
                        b.value.matches("const").count() < a.value.matches("const").count();
                    breaking |= a.abi != b.abi || fewer_const;
                    details.push(format!("{} `{}` -> `{}`", a.name, a.value, b.value));
                }
                (Some(a), None) => details.push(format!("{} `{}` removed", a.name, a.value)),
                (None, Some(b)) => details.push(format!("{} `{}` added", b.name, b.value)),
                (None, None) => {}
            }
        }
        changes.push(Change {
            item: item.clone(),
            what: What::Changed,
            details,
            breaking,
        });
    }
    for (item, _) in &old_items {
        if !new_names.contains_key(item.as_str()) {
            changes.push(Change {
                item: item.clone(),
                what: What::Removed,
                details: Vec::new(),
                breaking: true,
            });
        }
    }
    changes
}

/// The changes as `--diff-versions` prints them: a summary line, then one line per
/// change.
pub fn render(changes: &[Change], old: &str, new: &str) -> String {
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let mut text = format!(
        "eBPF for Windows {old} -> {new}: {} change{}, {}\n",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" },
        match breaking {
            0 => "none breaking".to_owned(),
            n => format!("{n} breaking"),
        }
    );
    for change in changes {
        let class = if change.breaking {
            "breaking"
        } else {
            "compatible"
        };
        let what = match change.what {
            What::Added => "added",
            What::Removed => "removed",
            What::Changed => "changed",
        };
        let _ = write!(text, "  {class:<10} {what:<7} {}", change.item);
        if !change.details.is_empty() {
            let _ = write!(text, ": {}", change.details.join("; "));
        }
        text.push('\n');
    }
    text
}
