//! The shape of the generated hook table (`generated/macros/hook_table.rs`), and
//! the questions the attribute asks of it.

/// One hook of the spec, as its attribute needs it.
#[derive(Debug)]
pub struct HookSpec {
    /// The attribute's name (`..._hook`), used in messages.
    pub attribute: &'static str,
    /// The bindings' function-pointer type of the hook's programs.
    pub typedef: &'static str,
    /// The context struct a program receives.
    pub context: &'static str,
    /// The Rust type a program returns: a bindings type or a primitive integer.
    pub verdict: &'static str,
    pub attach_types: &'static [AttachSpec],
}

/// One attach type of a hook.
#[derive(Debug, PartialEq, Eq)]
pub struct AttachSpec {
    /// Short name, as the attribute takes it.
    pub name: &'static str,
    /// Marker type in the bindings' `hooks` module.
    pub marker: &'static str,
    /// ELF section of its programs.
    pub section: &'static str,
}

impl HookSpec {
    /// A hook with one attach type takes none in its attribute; others need one.
    pub fn attach_required(&self) -> bool {
        self.attach_types.len() > 1
    }

    pub fn find_attach(&self, name: &str) -> Option<&'static AttachSpec> {
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

    /// Whether the verdict is a Rust primitive rather than a type of the bindings.
    pub fn verdict_is_primitive(&self) -> bool {
        matches!(
            self.verdict,
            "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64"
        )
    }
}
