//! `[[typedef]]`: a second name for a struct (`typedef ebpf_extension_header_t
//! bpf_sock_addr_test_context_header_t;`). Members may use it once the struct it
//! names is defined.

use crate::model::Typedef;
use crate::spec::RawTypedef;

use super::Resolver;

impl Resolver {
    /// Records every typedef's name and target before the structs are resolved, so
    /// a member can be of a typedef's type.
    pub(super) fn declare_typedefs(&mut self, raw: &[RawTypedef]) {
        for (index, t) in raw.iter().enumerate() {
            let name = self.declare(&t.name, "typedef");
            self.typedef_names
                .insert(name, (index, t.alias_of.get_ref().clone()));
        }
    }

    /// Resolves a typedef once every struct is: its target must be one of them.
    pub(super) fn typedef(&mut self, raw: &RawTypedef, _index: usize) -> Option<Typedef> {
        let target = self.structs.get(raw.alias_of.get_ref()).copied();
        if target.is_none() {
            self.reports
                .error(
                    raw.alias_of.span(),
                    format!("`{}` is not a struct of this spec", raw.alias_of.get_ref()),
                    "a typedef names a `[[struct]]` (which may be `defined_in` another header)",
                )
                .suggest(
                    raw.alias_of.get_ref(),
                    self.structs.keys().map(String::as_str),
                );
        }
        Some(Typedef {
            name: raw.name.get_ref().clone(),
            target: target?,
            since: raw.since.as_ref().map(|s| s.get_ref().clone()),
            doc: self.doc(&raw.doc, "typedef"),
        })
    }
}
