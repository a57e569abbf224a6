use super::{Doc, HelperId};

/// C text the header carries verbatim (variadic, function-like or compiler-specific
/// macros that no other item kind can describe), placed right after one helper's
/// declaration or at the end of the header.
#[derive(Debug, Clone)]
pub struct MacroBlock {
    /// The helper it follows; `None`: the end of the header.
    pub after: Option<HelperId>,
    /// The header that defines it when another header does: the C header then
    /// leaves it to that header (or to the generated drop-in of it).
    pub defined_in: Option<String>,
    pub doc: Doc,
    /// The C text, checked by the resolver: balanced conditionals, no `#include`.
    pub text: String,
}
