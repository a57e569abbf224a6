use super::Doc;

/// A `#define NAME VALUE` integer constant.
#[derive(Debug, Clone)]
pub struct Constant {
    pub name: String,
    /// The value as the spec spells it (`0xFFFF`), kept for the C header.
    pub spelling: String,
    pub value: i64,
    /// The header that defines it when another header does (`ebpf_structs.h`): the
    /// C header then refers to it without defining it; other outputs define it.
    pub defined_in: Option<String>,
    /// The release that added it (`None`: every release of the spec has it).
    pub since: Option<String>,
    pub doc: Doc,
}

impl Constant {
    /// A value relative to this constant, as C and Rust both write it
    /// (`BASE + 3`, `BASE - 3`).
    pub fn offset_by(&self, offset: i64) -> String {
        let sign = if offset < 0 { '-' } else { '+' };
        format!("{} {sign} {}", self.name, offset.unsigned_abs())
    }
}
