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

impl Model {
    pub fn find_enum(&self, name: &str) -> Option<&Enumeration> {
        self.enums.iter().find(|e| e.name == name)
    }

    pub fn find_struct(&self, name: &str) -> Option<&Structure> {
        self.structs.iter().find(|s| s.name == name)
    }

    pub fn find_hook(&self, name: &str) -> Option<&Hook> {
        self.hooks.iter().find(|h| h.name == name)
    }

    /// The enumerator with this name, with the enum it belongs to.
    pub fn find_enumerator(&self, name: &str) -> Option<(&Enumeration, &Enumerator)> {
        self.enums.iter().find_map(|e| {
            e.enumerators
                .iter()
                .find(|v| v.name == name)
                .map(|v| (e, v))
        })
    }

    /// The helpers a program of `hook` may call at attach type `attach`.
    pub fn helpers_at<'a>(
        &'a self,
        hook: &'a str,
        attach: &'a str,
    ) -> impl Iterator<Item = &'a Helper> + 'a {
        self.helpers
            .iter()
            .filter(move |h| h.hook == hook && h.available_at.iter().any(|a| a == attach))
    }
}
