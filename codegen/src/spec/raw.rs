//! The spec file as written: serde structs that mirror the TOML one to one.
//!
//! Nothing here is checked beyond TOML syntax and known keys; `resolve` turns a
//! [`RawSpec`] into the validated [`crate::model::Model`]. Names and type references
//! keep their source spans so that errors can point at them.

use serde::Deserialize;
use toml::Spanned;

use super::span::SpannedStr;
use super::verifier::{RawMapType, RawProgramType};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpec {
    /// The eBPF for Windows releases the spec covers, oldest first; items name them
    /// in `since` and `until`.
    #[serde(default, rename = "release")]
    pub releases: Vec<RawRelease>,
    pub header: RawHeader,
    #[serde(default, rename = "constant")]
    pub constants: Vec<RawConstant>,
    #[serde(default, rename = "enum")]
    pub enums: Vec<RawEnum>,
    #[serde(default, rename = "struct")]
    pub structs: Vec<RawStruct>,
    #[serde(default, rename = "typedef")]
    pub typedefs: Vec<RawTypedef>,
    #[serde(default, rename = "hook")]
    pub hooks: Vec<RawHook>,
    #[serde(default, rename = "helper")]
    pub helpers: Vec<RawHelper>,
    #[serde(default, rename = "macro_block")]
    pub macro_blocks: Vec<RawMacroBlock>,
    /// What PREVAIL must know of each program type (`verifier.rs`).
    #[serde(default, rename = "program_type")]
    pub program_types: Vec<RawProgramType>,
    /// How PREVAIL treats each map type (`verifier.rs`).
    #[serde(default, rename = "map_type")]
    pub map_types: Vec<RawMapType>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeader {
    pub file: SpannedStr,
    /// System headers it includes (`stdint.h`).
    #[serde(default)]
    pub includes: Vec<SpannedStr>,
    /// Headers of eBPF for Windows it includes (`ebpf_windows.h`), in the releases
    /// that include them; written before the system headers.
    #[serde(default, rename = "include")]
    pub project_includes: Vec<RawProjectInclude>,
    /// SPDX license identifier, written as the C header's second line.
    pub spdx: Option<SpannedStr>,
    /// The Rust module of the bindings crate that holds this spec's items; none
    /// puts them at the crate root.
    pub rust_module: Option<SpannedStr>,
    /// Column limit of the C header's helper declarations (as clang-format wraps).
    pub c_line_width: Option<Spanned<i64>>,
    pub doc: SpannedStr,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConstant {
    pub name: SpannedStr,
    pub value: SpannedStr,
    pub defined_in: Option<SpannedStr>,
    /// The release that added it (absent: every release has it).
    pub since: Option<SpannedStr>,
    /// The first release without it, in this form (absent: it was never removed).
    pub until: Option<SpannedStr>,
    #[serde(default, rename = "earlier")]
    pub earlier: Vec<RawEarlier>,
    pub doc: SpannedStr,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnum {
    pub name: SpannedStr,
    pub tag: Option<SpannedStr>,
    pub defined_in: Option<SpannedStr>,
    /// The release that added it (absent: every release has it).
    pub since: Option<SpannedStr>,
    /// The first release without it, in this form (absent: it was never removed).
    pub until: Option<SpannedStr>,
    #[serde(default, rename = "earlier")]
    pub earlier: Vec<RawEarlier>,
    pub doc: SpannedStr,
    #[serde(default, rename = "enumerator")]
    pub enumerators: Vec<RawEnumerator>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnumerator {
    pub name: SpannedStr,
    pub value: Option<SpannedStr>,
    pub alias_of: Option<SpannedStr>,
    pub deprecated: Option<SpannedStr>,
    /// The release that added it (absent: every release has it).
    pub since: Option<SpannedStr>,
    /// The first release without it, in this form (absent: it was never removed).
    pub until: Option<SpannedStr>,
    pub doc: SpannedStr,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStruct {
    pub name: SpannedStr,
    pub tag: Option<SpannedStr>,
    pub defined_in: Option<SpannedStr>,
    /// The release that added it (absent: every release has it).
    pub since: Option<SpannedStr>,
    /// The first release without it, in this form (absent: it was never removed).
    pub until: Option<SpannedStr>,
    #[serde(default, rename = "earlier")]
    pub earlier: Vec<RawEarlier>,
    pub doc: SpannedStr,
    #[serde(default, rename = "member")]
    pub members: Vec<RawMember>,
}

/// Either a named field (`name` + `type`) or an anonymous struct/union (`anonymous`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMember {
    pub name: Option<SpannedStr>,
    #[serde(rename = "type")]
    pub ty: Option<SpannedStr>,
    pub array: Option<Spanned<i64>>,
    pub anonymous: Option<SpannedStr>,
    pub rust_name: Option<SpannedStr>,
    pub doc: SpannedStr,
    #[serde(default, rename = "member")]
    pub members: Vec<RawMember>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHook {
    pub name: SpannedStr,
    pub program_type: SpannedStr,
    pub context: SpannedStr,
    pub returns: SpannedStr,
    #[serde(default, rename = "earlier")]
    pub earlier: Vec<RawEarlier>,
    pub doc: SpannedStr,
    pub param: RawHookParam,
    #[serde(default, rename = "retval")]
    pub retvals: Vec<RawRetval>,
    #[serde(default, rename = "attach")]
    pub attach_types: Vec<RawAttach>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHookParam {
    pub name: SpannedStr,
    pub doc: SpannedStr,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetval {
    pub value: SpannedStr,
    /// The release that added it (absent: every release has it).
    pub since: Option<SpannedStr>,
    /// The first release without it, in this form (absent: it was never removed).
    pub until: Option<SpannedStr>,
    pub doc: SpannedStr,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttach {
    pub name: SpannedStr,
    pub attach_type: SpannedStr,
    pub section: SpannedStr,
    /// The release that added it (absent: every release has it).
    pub since: Option<SpannedStr>,
    /// The first release without it, in this form (absent: it was never removed).
    pub until: Option<SpannedStr>,
    pub doc: SpannedStr,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHelper {
    pub name: SpannedStr,
    pub id: SpannedStr,
    /// None: a general helper, available to every hook.
    pub hook: Option<SpannedStr>,
    /// Another helper whose prototype typedef the call macro casts through.
    pub cast_as: Option<SpannedStr>,
    pub only_at: Option<Spanned<Vec<SpannedStr>>>,
    pub not_at: Option<Spanned<Vec<SpannedStr>>>,
    /// The release that added it (absent: every release has it).
    pub since: Option<SpannedStr>,
    /// The first release without it, in this form (absent: it was never removed).
    pub until: Option<SpannedStr>,
    #[serde(default, rename = "earlier")]
    pub earlier: Vec<RawEarlier>,
    pub doc: SpannedStr,
    /// Whether the helper may move packet data (the verifier then forgets packet
    /// pointers); absent: false.
    pub reallocate_packet: Option<Spanned<bool>>,
    pub returns: RawHelperReturns,
    #[serde(default, rename = "param")]
    pub params: Vec<RawHelperParam>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHelperReturns {
    #[serde(rename = "type")]
    pub ty: SpannedStr,
    pub doc: Option<SpannedStr>,
    /// What the verifier knows of the result (`integer`, `map_value_or_null`...).
    pub kind: Option<SpannedStr>,
    #[serde(default, rename = "value")]
    pub values: Vec<RawRetval>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHelperParam {
    pub name: SpannedStr,
    #[serde(rename = "type")]
    pub ty: SpannedStr,
    pub direction: SpannedStr,
    #[serde(default, rename = "earlier")]
    pub earlier: Vec<RawEarlier>,
    /// What the verifier requires of the argument (`ctx`, `map`, `readable_mem`...).
    pub kind: Option<SpannedStr>,
    pub doc: SpannedStr,
}

/// Verbatim C text placed right after one helper's declaration in the C header.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMacroBlock {
    /// The helper it follows; absent: the end of the header.
    pub after: Option<SpannedStr>,
    /// The header that defines it when another header does: it is then written into
    /// that header's drop-in only.
    pub defined_in: Option<SpannedStr>,
    /// The release that added it (absent: every release has it).
    pub since: Option<SpannedStr>,
    /// The first release without it, in this form (absent: it was never removed).
    pub until: Option<SpannedStr>,
    pub doc: SpannedStr,
    pub text: SpannedStr,
}

/// One release of eBPF for Windows that the spec covers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRelease {
    /// The version as users name it (`1.4.0`, `1.0.0-rc2`).
    pub name: SpannedStr,
    /// Upstream's git tag of the release (`v1.4.0`).
    pub tag: SpannedStr,
    /// The tag's date, `YYYY-MM-DD`.
    pub date: SpannedStr,
}

/// `[[header.include]]`: a header of eBPF for Windows that the C header includes
/// (`#include <ebpf_windows.h>`), before the system headers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProjectInclude {
    pub file: SpannedStr,
    /// Generate a drop-in of this header holding the items `defined_in` it, so the C
    /// header compiles without upstream's copy (which is used when it comes first on
    /// the include path).
    #[serde(default)]
    pub drop_in: bool,
    pub since: Option<SpannedStr>,
    pub until: Option<SpannedStr>,
}

/// The form an item had before a release changed it: its doc, or a parameter's type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEarlier {
    /// The release that changed it: this form holds for every release before it.
    pub until: SpannedStr,
    pub doc: Option<SpannedStr>,
    /// A helper parameter's type before the change.
    #[serde(rename = "type")]
    pub ty: Option<SpannedStr>,
}

/// `typedef TARGET NAME;`: a second name for a struct.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTypedef {
    pub name: SpannedStr,
    /// The struct it names (`ebpf_extension_header_t`).
    pub alias_of: SpannedStr,
    pub since: Option<SpannedStr>,
    pub until: Option<SpannedStr>,
    pub doc: SpannedStr,
}
