//! The resolved model of a spec: every name checked, every reference resolved to a
//! typed index (`Type::Enum(EnumId)`, `Helper::hook`), every value, layout and
//! cross-reference computed. All emitters read this and nothing else; it holds no
//! TOML and makes no language decision (those live in `crate::emit`).

mod constant;
mod doc;
mod enumeration;
mod helper;
mod hook;
mod ids;
mod macro_block;
mod release;
mod structure;
mod types;
pub mod verifier;

pub use constant::Constant;
pub use doc::Doc;
pub use enumeration::{EnumUse, EnumUser, Enumeration, Enumerator, ValueExpr};
pub use helper::{Direction, Helper, HelperParam, HelperReturns};
pub use hook::{AttachType, Hook, HookParam, RetVal};
pub use ids::{AttachId, ConstantId, EnumId, EnumeratorId, HelperId, HookId, StructId};
pub use macro_block::MacroBlock;
pub use release::{Release, ReleaseKey, Releases, Typedef};
pub use structure::{Aggregate, Member, MemberKind, Placement, Structure};
pub use types::{Primitive, Type};

/// Everything one spec file describes, in spec order.
#[derive(Debug, Clone)]
pub struct Model {
    /// The spec file's path as given to the generator (used in banners).
    pub source: String,
    /// The releases the spec covers, and the one this model is of.
    pub releases: Releases,
    pub header: Header,
    pub constants: Vec<Constant>,
    pub enums: Vec<Enumeration>,
    pub structs: Vec<Structure>,
    /// Second names of structs (`typedef A B;`), each after the struct it names.
    pub typedefs: Vec<Typedef>,
    pub hooks: Vec<Hook>,
    pub helpers: Vec<Helper>,
    /// Verbatim C blocks, each placed after a helper's declaration.
    pub macro_blocks: Vec<MacroBlock>,
    /// What the verifier knows of helpers, program types and map types.
    pub verifier: verifier::VerifierFacts,
}

/// The header file as a whole.
#[derive(Debug, Clone)]
pub struct Header {
    /// File name of the C header, such as `ebpf_nethooks.h`.
    pub file: String,
    /// The file name without its `.h` (`ebpf_nethooks`): what every artifact named
    /// after the header (the Doxygen project, the Markdown reference, the header's
    /// own macros) is named from.
    pub stem: String,
    /// System headers it includes, such as `stdint.h`.
    pub includes: Vec<String>,
    /// Headers of eBPF for Windows it includes, before the system ones.
    pub project_includes: Vec<ProjectInclude>,
    /// SPDX license identifier of the C header, if the spec states one.
    pub spdx: Option<String>,
    /// The bindings crate's module holding this spec's items (`None`: the crate root).
    pub rust_module: Option<String>,
    /// Column limit of the C header's helper declarations, if the spec sets one.
    pub c_line_width: Option<usize>,
    /// The other specs generated in the same run, in run order (see [`Sibling`]).
    pub siblings: Vec<Sibling>,
    pub doc: Doc,
}

/// A header of eBPF for Windows that the C header includes (`ebpf_windows.h`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInclude {
    pub file: String,
    /// Whether the generator writes a drop-in of it: the spec's items `defined_in`
    /// it, so the C header compiles without upstream's copy.
    pub drop_in: bool,
}

/// Another spec generated in the same run: what artifacts shared by all specs (the
/// Doxyfile, the bindings crate's root) need to know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sibling {
    /// The spec file, as named in banners.
    pub source: String,
    /// Its C header's file name.
    pub header_file: String,
    /// Its bindings module, if it has one.
    pub rust_module: Option<String>,
    /// The brief of its header doc.
    pub brief: String,
    /// Its items that a later release than the oldest added: (C name, release).
    pub added_later: Vec<(String, String)>,
    /// Its helpers: (C name, ID enumerator), in spec order.
    pub helpers: Vec<(String, String)>,
}

impl Model {
    /// Whether this spec's Rust items are at the bindings crate's root (and so it
    /// writes the artifacts that every spec shares).
    pub fn is_root(&self) -> bool {
        self.header.rust_module.is_none()
    }
}

/// Items by id. Only the resolver makes ids, each for an item of the model it
/// builds, so a model's own ids always name one of its items.
impl Model {
    pub fn constant(&self, id: ConstantId) -> &Constant {
        &self.constants[id.index()]
    }

    pub fn enum_(&self, id: EnumId) -> &Enumeration {
        &self.enums[id.index()]
    }

    pub fn enumerator(&self, id: EnumeratorId) -> &Enumerator {
        &self.enum_(id.enumeration).enumerators[id.index]
    }

    pub fn structure(&self, id: StructId) -> &Structure {
        &self.structs[id.index()]
    }

    /// The hook a helper is tied to; `None` for a general helper.
    pub fn helper_hook(&self, helper: &Helper) -> Option<&Hook> {
        helper.hook.map(|id| self.hook(id))
    }

    /// The macro blocks placed right after a helper, in spec order.
    pub fn blocks_after(&self, helper: HelperId) -> impl Iterator<Item = &MacroBlock> {
        self.macro_blocks
            .iter()
            .filter(move |b| b.after == Some(helper))
    }

    pub fn hook(&self, id: HookId) -> &Hook {
        &self.hooks[id.index()]
    }

    pub fn attach(&self, id: AttachId) -> &AttachType {
        &self.hook(id.hook).attach_types[id.index]
    }

    pub fn helper(&self, id: HelperId) -> &Helper {
        &self.helpers[id.index()]
    }

    /// The attach types a helper is available at, in hook order.
    pub fn available_at<'m>(&'m self, helper: &'m Helper) -> impl Iterator<Item = &'m AttachType> {
        helper.available_at.iter().map(|&id| self.attach(id))
    }
}
