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

impl MacroBlock {
    /// The names the block's `#define` lines define, in order, each once.
    pub fn defined_macros(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for line in self.text.lines() {
            let Some(rest) = line.trim_start().strip_prefix("#define ") else {
                continue;
            };
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if !names.contains(&&rest[..end]) {
                names.push(&rest[..end]);
            }
        }
        names
    }
}
