use super::{Doc, HelperId, StructId, Type};

/// A program type: the function type of its programs and where they attach.
#[derive(Debug, Clone)]
pub struct Hook {
    /// The C typedef name of the program's function type (`bind_hook_t`).
    pub name: String,
    pub program_type: String,
    /// The context struct the program receives a pointer to.
    pub context: StructId,
    /// The program's return type: an enum of the spec or `int`.
    pub returns: Type,
    pub doc: Doc,
    pub param: HookParam,
    pub retvals: Vec<RetVal>,
    pub attach_types: Vec<AttachType>,
    /// The helpers its programs may call (at one attach type or more), in spec order.
    pub helpers: Vec<HelperId>,
}

#[derive(Debug, Clone)]
pub struct HookParam {
    pub name: String,
    pub doc: Doc,
}

/// One documented return value: an enumerator name, a number, or a description
/// such as `<0`.
#[derive(Debug, Clone)]
pub struct RetVal {
    pub value: String,
    pub doc: Doc,
}

/// One attach point of a hook, with the ELF section its programs are placed in.
#[derive(Debug, Clone)]
pub struct AttachType {
    /// Short name used by the attributes (`connect4`).
    pub name: String,
    /// The attach type's identifier in eBPF for Windows (`EBPF_ATTACH_TYPE_BIND`).
    pub attach_type: String,
    /// ELF section name (`cgroup/connect4`).
    pub section: String,
    /// Its marker type in the Rust bindings' `hooks` module (`Connect4`), named by
    /// the resolver, which also checks that no two attach types share one.
    pub marker: String,
    /// The release that added it (`None`: every release of the spec has it).
    pub since: Option<String>,
    pub doc: Doc,
    /// The helpers available to programs at this attach type, in spec order.
    pub helpers: Vec<HelperId>,
}
