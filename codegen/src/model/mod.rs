//! The resolved model of a spec: every name checked, every reference resolved, every
//! value computed. All emitters read this and nothing else; it holds no TOML and
//! makes no language decision (those live in `crate::emit`).

mod constant;
mod doc;
mod enumeration;
mod helper;
mod hook;
mod structure;
mod types;

pub use constant::Constant;
pub use doc::Doc;
pub use enumeration::{EnumUse, Enumeration, Enumerator, ValueExpr};
pub use helper::{Direction, Helper, HelperParam, HelperReturns};
pub use hook::{AttachType, Hook, HookParam, RetVal};
pub use structure::{Aggregate, Member, MemberKind, Placement, Structure};
pub use types::{Primitive, Type};

use std::collections::HashMap;
use std::sync::OnceLock;

/// Everything one spec file describes, in spec order.
#[derive(Debug, Clone)]
pub struct Model {
    /// The spec file's path as given to the generator (used in banners).
    pub source: String,
    pub header: Header,
    pub constants: Vec<Constant>,
    pub enums: Vec<Enumeration>,
    pub structs: Vec<Structure>,
    pub hooks: Vec<Hook>,
    pub helpers: Vec<Helper>,
    /// Lookup tables by name, built on first use (see [`NameIndex`]).
    pub(crate) index: OnceLock<NameIndex>,
}

/// The header file as a whole.
#[derive(Debug, Clone)]
pub struct Header {
    /// File name of the C header, such as `ebpf_nethooks.h`.
    pub file: String,
    /// System headers it includes, such as `stdint.h`.
    pub includes: Vec<String>,
    pub doc: Doc,
}

/// Positions of named items, so lookups by name cost O(1) and emitters stay linear
/// in the size of the spec. Built on first use; a lookup whose position no longer
/// names the item (the vectors were edited afterwards) falls back to a scan.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameIndex {
    enums: HashMap<String, usize>,
    structs: HashMap<String, usize>,
    hooks: HashMap<String, usize>,
    /// Enumerator name to (enum position, enumerator position).
    enumerators: HashMap<String, (usize, usize)>,
    /// (hook, attach type) to the positions of the helpers available there.
    helpers_at: HashMap<(String, String), Vec<usize>>,
}

impl NameIndex {
    fn build(model: &Model) -> NameIndex {
        let positions = |names: Vec<&String>| {
            let mut map = HashMap::new();
            for (i, name) in names.into_iter().enumerate() {
                // The first of two equal names wins, as a scan would find it.
                map.entry(name.clone()).or_insert(i);
            }
            map
        };
        let mut index = NameIndex {
            enums: positions(model.enums.iter().map(|e| &e.name).collect()),
            structs: positions(model.structs.iter().map(|s| &s.name).collect()),
            hooks: positions(model.hooks.iter().map(|h| &h.name).collect()),
            ..NameIndex::default()
        };
        for (e, enumeration) in model.enums.iter().enumerate() {
            for (v, enumerator) in enumeration.enumerators.iter().enumerate() {
                index
                    .enumerators
                    .entry(enumerator.name.clone())
                    .or_insert((e, v));
            }
        }
        for (i, helper) in model.helpers.iter().enumerate() {
            for attach in &helper.available_at {
                index
                    .helpers_at
                    .entry((helper.hook.clone(), attach.clone()))
                    .or_default()
                    .push(i);
            }
        }
        index
    }
}

impl Model {
    fn index(&self) -> &NameIndex {
        self.index.get_or_init(|| NameIndex::build(self))
    }

    pub fn find_enum(&self, name: &str) -> Option<&Enumeration> {
        let hit = self
            .index()
            .enums
            .get(name)
            .and_then(|&i| self.enums.get(i));
        hit.filter(|e| e.name == name)
            .or_else(|| self.enums.iter().find(|e| e.name == name))
    }

    pub fn find_struct(&self, name: &str) -> Option<&Structure> {
        let hit = self
            .index()
            .structs
            .get(name)
            .and_then(|&i| self.structs.get(i));
        hit.filter(|s| s.name == name)
            .or_else(|| self.structs.iter().find(|s| s.name == name))
    }

    pub fn find_hook(&self, name: &str) -> Option<&Hook> {
        let hit = self
            .index()
            .hooks
            .get(name)
            .and_then(|&i| self.hooks.get(i));
        hit.filter(|h| h.name == name)
            .or_else(|| self.hooks.iter().find(|h| h.name == name))
    }

    /// The enumerator with this name, with the enum it belongs to.
    pub fn find_enumerator(&self, name: &str) -> Option<(&Enumeration, &Enumerator)> {
        let hit = self.index().enumerators.get(name).and_then(|&(e, v)| {
            let enumeration = self.enums.get(e)?;
            Some((enumeration, enumeration.enumerators.get(v)?))
        });
        hit.filter(|(_, v)| v.name == name).or_else(|| {
            self.enums.iter().find_map(|e| {
                e.enumerators
                    .iter()
                    .find(|v| v.name == name)
                    .map(|v| (e, v))
            })
        })
    }

    /// The helpers a program of `hook` may call at attach type `attach`, in spec order.
    pub fn helpers_at<'a>(
        &'a self,
        hook: &'a str,
        attach: &'a str,
    ) -> impl Iterator<Item = &'a Helper> + 'a {
        let available = |h: &Helper| h.hook == hook && h.available_at.iter().any(|a| a == attach);
        let indexed: Option<Vec<&Helper>> = self
            .index()
            .helpers_at
            .get(&(hook.to_owned(), attach.to_owned()))
            .map(|positions| {
                positions
                    .iter()
                    .filter_map(|&i| self.helpers.get(i))
                    .collect()
            });
        match indexed {
            Some(found) if found.iter().all(|h| available(h)) => found.into_iter(),
            Some(_) => self
                .helpers
                .iter()
                .filter(|h| available(h))
                .collect::<Vec<_>>()
                .into_iter(),
            None => Vec::new().into_iter(),
        }
    }
}
