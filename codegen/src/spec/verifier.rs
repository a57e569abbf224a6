//! The spec's verifier tables as written: what PREVAIL, eBPF for Windows' verifier,
//! must know of each program type and map type. Helper argument and return kinds
//! are `kind` keys on `[[helper.param]]` and `[helper.returns]` (`raw.rs`).

use serde::Deserialize;
use toml::Spanned;

use super::span::SpannedStr;

/// `[[program_type]]`: one verifier program type, the one of a hook.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProgramType {
    /// The verifier's name for it (`bind`, `sock_addr`), shown in messages.
    pub name: SpannedStr,
    /// The `[[hook]]` whose programs have this type: its context struct and its
    /// attach types' sections (the section prefixes) come from there.
    pub hook: SpannedStr,
    /// Its `bpf_prog_type` number.
    pub number: Spanned<i64>,
    /// Whether only privileged callers may load it.
    pub privileged: Spanned<bool>,
    /// The context members that point to the start, the end and the metadata of the
    /// program's packet data; absent when the context has none.
    pub context_data: Option<SpannedStr>,
    pub context_end: Option<SpannedStr>,
    pub context_meta: Option<SpannedStr>,
    pub doc: SpannedStr,
}

/// `[[map_type]]`: how the verifier treats maps of one type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMapType {
    /// The enumerator of the map type's ID (`BPF_MAP_TYPE_HASH`).
    pub enumerator: SpannedStr,
    /// Whether keys are indexes in `0..max_entries`, so that a lookup with a
    /// constant key in range cannot fail.
    pub is_array: Spanned<bool>,
    /// What a value is: `any` data, a `map` (a map of maps) or a `program`.
    pub value_type: SpannedStr,
    pub doc: SpannedStr,
}
