//! Bounds that keep the generated code within what its compilers take: helper
//! signatures that BPF can call (at most five arguments, each fitting a register),
//! availability lists that name something, and item sizes that rustc and C
//! compilers handle (a struct of 50,000 members crashes rustc).

use crate::model::{Model, Type};
use crate::spec::{RawMember, RawSpec};

use super::Resolver;

/// Most members a struct may have, anonymous members and their members included
/// (README, "Spec format"). Real contexts have a few dozen.
pub const MAX_MEMBERS: usize = 1024;

/// Most enumerators an enum may have (README, "Spec format"). The largest real one,
/// the general helper IDs, has a few dozen.
pub const MAX_ENUMERATORS: usize = 1024;

/// Arguments a BPF call passes, in registers r1 to r5.
pub const MAX_HELPER_PARAMS: usize = 5;

impl Resolver {
    /// Limits that need only the spec as written: sizes, counts, empty lists.
    pub(super) fn check_limits(&mut self, raw: &RawSpec) {
        for s in &raw.structs {
            let count = count_members(&s.members);
            if count > MAX_MEMBERS {
                self.reports
                    .error(
                        s.name.span(),
                        format!(
                            "struct `{}` has {count} members, more than {MAX_MEMBERS}",
                            s.name.get_ref()
                        ),
                        format!("at most {MAX_MEMBERS} members, nested ones included"),
                    )
                    .help("a context struct has a few dozen members; split it, or use an array member");
            }
        }
        for e in &raw.enums {
            let count = e.enumerators.len();
            if count > MAX_ENUMERATORS {
                self.reports
                    .error(
                        e.name.span(),
                        format!(
                            "enum `{}` has {count} enumerators, more than {MAX_ENUMERATORS}",
                            e.name.get_ref()
                        ),
                        format!("at most {MAX_ENUMERATORS} enumerators"),
                    )
                    .help("split the enum");
            }
        }
        for h in &raw.helpers {
            if let Some(sixth) = h.params.get(MAX_HELPER_PARAMS) {
                self.reports
                    .error(
                        sixth.name.span(),
                        format!(
                            "helper `{}` has {} parameters; a BPF call passes at most {MAX_HELPER_PARAMS}",
                            h.name.get_ref(),
                            h.params.len()
                        ),
                        "this parameter is one too many",
                    )
                    .help("pass the rest through a struct pointer");
            }
            if let Some(only) = &h.only_at
                && only.get_ref().is_empty()
            {
                self.reports
                    .error(
                        only.span(),
                        format!("`only_at` of helper `{}` is empty", h.name.get_ref()),
                        "the helper would be available at no attach type",
                    )
                    .help("list the attach types it is available at, or remove `only_at` to make it available at all of them");
            }
        }
    }

    /// Each helper parameter and return value fits a BPF register: an integer, an
    /// enum or a pointer, never a struct by value.
    pub(super) fn check_passable(&mut self, raw: &RawSpec, model: &Model) {
        for (h, raw_h) in model.helpers.iter().zip(&raw.helpers) {
            let params = h.params.iter().zip(&raw_h.params);
            for (p, raw_p) in params {
                if let Type::Struct(id) = unqualified(&p.ty) {
                    let name = &model.structure(*id).name;
                    self.reports
                        .error(
                            raw_p.ty.span(),
                            format!(
                                "parameter `{}` of helper `{}` passes struct `{name}` by value",
                                p.name, h.name
                            ),
                            "a BPF call passes integers, enums and pointers in registers",
                        )
                        .help(format!("pass a pointer: `{name}*`"));
                }
            }
            if let Type::Struct(id) = unqualified(&h.returns.ty) {
                let name = &model.structure(*id).name;
                self.reports
                    .error(
                        raw_h.returns.ty.span(),
                        format!("helper `{}` returns struct `{name}` by value", h.name),
                        "a BPF call returns an integer, an enum or a pointer in r0",
                    )
                    .help("return a pointer, or fill a struct the caller passes");
            }
        }
    }
}

/// Members of an aggregate, counted with the members of its anonymous members.
fn count_members(members: &[RawMember]) -> usize {
    members.iter().map(|m| 1 + count_members(&m.members)).sum()
}

/// The type a value of `ty` is, past `const` (not past pointers).
fn unqualified(ty: &Type) -> &Type {
    match ty {
        Type::Const(inner) => unqualified(inner),
        other => other,
    }
}
