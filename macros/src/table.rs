//! The hook data, and the questions the attribute asks of it.
//!
//! The types are the bindings' own `abi` types (`HookInfo`, `AttachInfo`):
//! `abi_types.rs` beside this file defines them for both crates, and the generator
//! copies it into the bindings' `abi` module. The generated hook table
//! (`generated/macros/hook_table.rs`) holds a `HookInfo` per hook, written by the
//! same generator function as the bindings' `abi::HOOKS`.

mod abi {
    // The bindings' tables of structs and helpers come along unused.
    #![allow(dead_code)]
    include!("abi_types.rs");
}

pub use abi::{AttachInfo, HookInfo, NamedValue};

impl HookInfo {
    /// A hook with one attach type takes none in its attribute; others need one.
    pub fn attach_required(&self) -> bool {
        self.attach_types.len() > 1
    }

    pub fn find_attach(&self, name: &str) -> Option<&'static AttachInfo> {
        self.attach_types.iter().find(|a| a.name == name)
    }

    /// `a, b, c`: the attach type names, for messages.
    pub fn attach_list(&self) -> String {
        let names: Vec<&str> = self.attach_types.iter().map(|a| a.name).collect();
        names.join(", ")
    }

    /// The attach type whose name is closest to a misspelt one, if any is close.
    pub fn closest_attach(&self, name: &str) -> Option<&'static str> {
        self.attach_types
            .iter()
            .map(|a| (strsim::damerau_levenshtein(name, a.name), a.name))
            .filter(|(distance, candidate)| *distance <= candidate.len().max(name.len()) / 2)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, candidate)| candidate)
    }
}
