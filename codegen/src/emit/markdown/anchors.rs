//! Where every heading of the reference is, and the links to it: item names in
//! types and prose become `#anchor` links.

use std::collections::{BTreeMap, HashMap};

use crate::emit::escape;
use crate::model::{Model, Type};

/// The section headings, in document order.
pub(super) const SECTIONS: [&str; 5] = ["Constants", "Enums", "Structs", "Hooks", "Helpers"];

/// Item names of each of [`SECTIONS`], in spec order.
pub(super) fn items_by_section(model: &Model) -> [Vec<&str>; 5] {
    [
        model.constants.iter().map(|c| c.name.as_str()).collect(),
        model.enums.iter().map(|e| e.name.as_str()).collect(),
        // A typedef's heading follows the structs.
        (model.structs.iter().map(|s| s.name.as_str()))
            .chain(model.typedefs.iter().map(|t| t.name.as_str()))
            .collect(),
        model.hooks.iter().map(|h| h.name.as_str()).collect(),
        model.helpers.iter().map(|h| h.name.as_str()).collect(),
    ]
}

/// The anchor of every heading, computed as GitHub does (lower case, punctuation
/// other than `-` and `_` dropped, spaces to `-`, `-1`, `-2` ... for repeats), and
/// what each item name, enumerators included, links to.
pub struct Anchors {
    sections: HashMap<String, String>,
    targets: BTreeMap<String, String>,
}

impl Anchors {
    pub fn new(model: &Model) -> Anchors {
        let mut used: HashMap<String, usize> = HashMap::new();
        let mut slug = |text: &str| {
            let base: String = text
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
                .map(|c| if c == ' ' { '-' } else { c })
                .collect();
            let count = used.entry(base.clone()).or_insert(0);
            let anchor = match *count {
                0 => base.clone(),
                n => format!("{base}-{n}"),
            };
            *count += 1;
            anchor
        };
        // Headings in the order `emit` writes them.
        slug(&format!("{} API reference", model.header.file));
        slug("Contents");
        let mut sections = HashMap::new();
        let mut targets = BTreeMap::new();
        for (section, names) in SECTIONS.iter().zip(items_by_section(model)) {
            if names.is_empty() {
                continue;
            }
            sections.insert((*section).to_owned(), slug(section));
            for name in names {
                targets.insert(name.to_owned(), slug(name));
            }
        }
        // An enumerator links to its enum's heading.
        for e in &model.enums {
            if let Some(anchor) = targets.get(&e.name).cloned() {
                for v in &e.enumerators {
                    targets
                        .entry(v.name.clone())
                        .or_insert_with(|| anchor.clone());
                }
            }
        }
        Anchors { sections, targets }
    }

    pub(super) fn section(&self, name: &str) -> &str {
        self.sections.get(name).map_or("", String::as_str)
    }

    /// The anchor that `name` (an item or enumerator) links to.
    pub fn target(&self, name: &str) -> Option<&str> {
        self.targets.get(name).map(String::as_str)
    }

    /// `name` as code, linked when it is an item of the spec.
    pub(super) fn link(&self, name: &str) -> String {
        match self.target(name) {
            Some(anchor) => format!("[`{name}`](#{anchor})"),
            None => format!("`{name}`"),
        }
    }

    /// Spec prose as Markdown: escaped, and every whole word that names an item of
    /// the spec turned into a link to it.
    pub fn prose(&self, text: &str) -> String {
        escape::markdown_linked(text, &|word| {
            self.target(word)
                .map(|anchor| format!("[`{word}`](#{anchor})"))
        })
    }

    /// A type, linked to the spec item it names (through any pointers).
    pub(super) fn ty(&self, model: &Model, ty: &Type) -> String {
        self.array_ty(model, ty, None)
    }

    /// A member type with its array length (`uint32_t[4]`), as one code span.
    pub(super) fn array_ty(&self, model: &Model, ty: &Type, array: Option<u64>) -> String {
        let suffix = array.map(|n| format!("[{n}]")).unwrap_or_default();
        let spelling = format!("{}{suffix}", ty.c_spelling(model));
        match ty
            .base()
            .item_name(model)
            .and_then(|name| self.target(name))
        {
            Some(anchor) => format!("[`{spelling}`](#{anchor})"),
            None => format!("`{spelling}`"),
        }
    }
}
