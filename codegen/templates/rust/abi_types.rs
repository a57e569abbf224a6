/// Where one C member (anonymous members' fields included) lives in its struct.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberLayout {
    /// The member's C name.
    pub name: &'static str,
    /// Byte offset from the start of the struct.
    pub offset: usize,
    /// Size in bytes.
    pub size: usize,
}

/// Size, alignment and members of one struct.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StructLayout {
    /// The struct's C typedef name.
    pub name: &'static str,
    /// `size_of` the struct.
    pub size: usize,
    /// `align_of` the struct.
    pub align: usize,
    /// Every named member in declaration order.
    pub members: &'static [MemberLayout],
}

/// A constant or enumerator and its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamedValue {
    /// The C name.
    pub name: &'static str,
    /// The value.
    pub value: i64,
}

/// One attach point of a hook and the ELF section its programs are placed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttachInfo {
    /// Short name (`connect4`).
    pub name: &'static str,
    /// The eBPF-for-Windows attach type (`EBPF_ATTACH_TYPE_...`).
    pub attach_type: &'static str,
    /// ELF section name of its programs.
    pub section: &'static str,
    /// Its marker type in the `hooks` module (`Connect4`).
    pub marker: &'static str,
}

/// A hook: its context struct, its verdicts and where its programs attach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HookInfo {
    /// The hook's C typedef name.
    pub name: &'static str,
    /// The attribute that marks its programs (`bind_hook`).
    pub attribute: &'static str,
    /// The eBPF-for-Windows program type (`EBPF_PROGRAM_TYPE_...`).
    pub program_type: &'static str,
    /// Typedef name of the context struct (a name in the bindings' `abi::STRUCTS`).
    pub context: &'static str,
    /// C spelling of the return type.
    pub returns: &'static str,
    /// Rust spelling of the return type: a type of the bindings or an integer (`i32`).
    pub verdict: &'static str,
    /// Whether [`verdict`](Self::verdict) is a primitive integer, not a type of the bindings.
    pub verdict_is_primitive: bool,
    /// The named verdicts (aliases left out); empty when the hook returns a plain integer.
    pub verdicts: &'static [NamedValue],
    /// Its attach types, in spec order.
    pub attach_types: &'static [AttachInfo],
}

/// One parameter of a helper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamInfo {
    /// The parameter's name.
    pub name: &'static str,
    /// Its C type.
    pub c_type: &'static str,
    /// What the verifier requires of it, as the spec's `kind` spells it (`ctx`,
    /// `map`, `map_key`, `readable_mem`...); empty when the spec gives none.
    pub kind: &'static str,
}

/// A helper function: its ID, where programs may call it, and its prototype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HelperInfo {
    /// The helper's C name.
    pub name: &'static str,
    /// Name of the enumerator holding its ID.
    pub id_name: &'static str,
    /// The ID a BPF `call` instruction names.
    pub id: i64,
    /// The hook whose programs may call it.
    pub hook: &'static str,
    /// Short names of the attach types it may be called at.
    pub available_at: &'static [&'static str],
    /// Its parameters, in order.
    pub params: &'static [ParamInfo],
    /// C spelling of the return type.
    pub returns: &'static str,
}
