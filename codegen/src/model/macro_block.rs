use super::{Doc, HelperId};

/// C text the header carries verbatim (variadic or compiler-specific macros that
/// no other item kind can describe), placed right after one helper's declaration.
#[derive(Debug, Clone)]
pub struct MacroBlock {
    /// The helper it follows.
    pub after: HelperId,
    pub doc: Doc,
    /// The C text, checked by the resolver: balanced conditionals, no `#include`.
    pub text: String,
}
