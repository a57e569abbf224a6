use super::Doc;

/// A `#define NAME VALUE` integer constant.
#[derive(Debug, Clone)]
pub struct Constant {
    pub name: String,
    /// The value as the spec spells it (`0xFFFF`), kept for the C header.
    pub spelling: String,
    pub value: i64,
    pub doc: Doc,
}
