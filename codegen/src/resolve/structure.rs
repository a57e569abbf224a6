//! `[[struct]]`: members, anonymous structs and unions, and the struct's layout,
//! computed as soon as the struct is resolved.

use std::collections::HashMap;
use std::ops::Range;

use crate::layout::UnplacedMember;
use crate::model::{Aggregate, MemberKind, Primitive, StructId, Structure, Type};
use crate::spec::{RawMember, RawStruct, SpannedStr};

use super::Resolver;
use super::names::is_rust_keyword;

/// Longest array a member may declare; anything larger is surely a typo.
const MAX_ARRAY_LEN: i64 = 1 << 20;

/// Largest struct the ABI may describe; the bound also keeps layout arithmetic far
/// from overflow.
const MAX_STRUCT_SIZE: u64 = 16 << 20;

/// Deepest nesting of anonymous structs and unions; real ABIs use two or three
/// levels, so deeper nesting is far more likely a mistake in the spec than intended.
const MAX_ANONYMOUS_DEPTH: usize = 8;

/// Names of the members of one struct so far (anonymous members' fields included),
/// with where each was declared.
type MemberNames = HashMap<String, Range<usize>>;

impl Resolver {
    pub(super) fn structure(&mut self, raw: &RawStruct, id: StructId) -> Structure {
        let name = self.declare(&raw.name, "struct");
        let tag = self.declare_tag(&raw.tag);
        self.in_external_struct = raw.defined_in.is_some();
        let members = self.members(&raw.members, &name, &mut MemberNames::new());
        // Raw count: members that failed to resolve are reported already.
        if raw.members.is_empty() {
            self.reports.error(
                raw.name.span(),
                format!("struct `{name}` has no members"),
                "add at least one `[[struct.member]]`",
            );
        }
        let (members, layout) = self.layout.layout_struct(members);
        if layout.size > MAX_STRUCT_SIZE {
            self.reports
                .error(
                    raw.name.span(),
                    format!("struct `{name}` is too large"),
                    format!("its members take more than {} MiB", MAX_STRUCT_SIZE >> 20),
                )
                .help("a context struct is a few hundred bytes; check the array lengths");
        }
        self.structs.entry(name.clone()).or_insert(id);
        Structure {
            name,
            tag,
            defined_in: self.defined_in(&raw.defined_in),
            since: raw.since.as_ref().map(|s| s.get_ref().clone()),
            doc: self.doc(&raw.doc, "struct"),
            members,
            layout,
            // Follows from the hooks: see `cross_refs`.
            context_of: Vec::new(),
        }
    }

    fn members(
        &mut self,
        raw: &[RawMember],
        owner: &str,
        seen: &mut MemberNames,
    ) -> Vec<UnplacedMember> {
        raw.iter()
            .filter_map(|m| {
                let kind = self.member_kind(m, owner, seen);
                let doc = self.doc(&m.doc, "member");
                Some(UnplacedMember { kind: kind?, doc })
            })
            .collect()
    }

    fn member_kind(
        &mut self,
        m: &RawMember,
        owner: &str,
        seen: &mut MemberNames,
    ) -> Option<MemberKind<UnplacedMember>> {
        let span = m.doc.span();
        match (&m.name, &m.ty, &m.anonymous) {
            (Some(name), Some(ty), None) => {
                if !m.members.is_empty() {
                    self.reports.error(
                        name.span(),
                        "a named member has no nested `member`",
                        "only an anonymous struct or union has nested members",
                    );
                }
                let rust_name = self.field_names(name, m.rust_name.as_ref());
                if let Some(previous) = seen.insert(name.get_ref().clone(), name.span()) {
                    self.reports.error(
                            name.span(),
                            format!("`{owner}` has two members named `{}`", name.get_ref()),
                            "second member with this name",
                        )
                        .note(previous, "first member with this name")
                        .help(
                            "members of anonymous structs and unions share the enclosing struct's names; rename one",
                        );
                }
                let array = m.array.as_ref().and_then(|len| self.array_len(len));
                let ty_resolved = self.member_type(ty, owner)?;
                Some(MemberKind::Field {
                    name: name.get_ref().clone(),
                    rust_name,
                    ty: ty_resolved,
                    array,
                })
            }
            (None, None, Some(kind)) => {
                let aggregate = match kind.get_ref().as_str() {
                    "struct" => Aggregate::Struct,
                    "union" => Aggregate::Union,
                    other => {
                        self.reports.error(
                            kind.span(),
                            format!("`{other}` is not an anonymous member kind"),
                            "expected `struct` or `union`",
                        );
                        return None;
                    }
                };
                let Some(rust_name) = &m.rust_name else {
                    self.reports.error(
                        kind.span(),
                        "anonymous member without `rust_name`",
                        "add `rust_name`: the name Rust gives this member and its type",
                    );
                    return None;
                };
                self.identifier(rust_name, "member");
                if let Some(len) = &m.array {
                    self.reports.error(
                        len.span(),
                        "an anonymous member cannot be an array",
                        "remove `array`",
                    );
                }
                if self.anonymous_depth >= MAX_ANONYMOUS_DEPTH {
                    self.reports
                        .error(
                            kind.span(),
                            format!(
                                "anonymous members are nested more than {MAX_ANONYMOUS_DEPTH} deep"
                            ),
                            "this one is too deep",
                        )
                        .help("flatten the nesting, or move part of it into its own struct");
                    return None;
                }
                self.anonymous_depth += 1;
                let members = self.members(&m.members, owner, seen);
                self.anonymous_depth -= 1;
                if m.members.is_empty() {
                    self.reports.error(
                        kind.span(),
                        format!("anonymous {} has no members", kind.get_ref()),
                        "add nested `member` tables",
                    );
                }
                Some(MemberKind::Anonymous {
                    aggregate,
                    rust_name: rust_name.get_ref().clone(),
                    members,
                })
            }
            _ => {
                self.reports.error(span, "a member needs either `name` and `type`, or `anonymous`", "expected `name` + `type` for a field, or `anonymous = \"struct\"|\"union\"` with nested members");
                None
            }
        }
    }

    /// Checks a field's C name and optional `rust_name`; returns the Rust name when
    /// the spec states one. A C name that is a Rust keyword needs one.
    fn field_names(&mut self, name: &SpannedStr, rust_name: Option<&SpannedStr>) -> Option<String> {
        if !self.c_identifier(name, "member") {
            return None;
        }
        let keyword = is_rust_keyword(name.get_ref());
        match rust_name {
            Some(rust) => {
                self.identifier(rust, "member");
                Some(rust.get_ref().clone())
            }
            None if keyword => {
                self.reports
                    .error(
                        name.span(),
                        format!("member `{}` is a Rust keyword", name.get_ref()),
                        "the Rust bindings cannot use this name",
                    )
                    .help(format!(
                        "state the name Rust uses, for example `rust_name = \"{}_\"`",
                        name.get_ref()
                    ));
                None
            }
            None => None,
        }
    }

    /// An array length: at least 1, at most [`MAX_ARRAY_LEN`].
    fn array_len(&mut self, len: &toml::Spanned<i64>) -> Option<u64> {
        let n = *len.get_ref();
        if n < 1 {
            self.reports
                .error(
                    len.span(),
                    format!("array length {n} is not positive"),
                    "an array member has at least one element",
                )
                .help("remove `array` for a single value");
            return None;
        }
        if n > MAX_ARRAY_LEN {
            self.reports
                .error(
                    len.span(),
                    format!("array length {n} is absurdly large"),
                    format!("at most {MAX_ARRAY_LEN} elements (1 Mi)"),
                )
                .help("pass large data through a pointer instead");
            return None;
        }
        u64::try_from(n).ok()
    }

    fn member_type(&mut self, text: &SpannedStr, owner: &str) -> Option<Type> {
        let raw = text.get_ref().trim();
        if raw.trim_end_matches(|c: char| c == '*' || c.is_whitespace()) == owner {
            let (message, label, help) = if raw.ends_with('*') {
                (
                    format!("`{owner}` points to itself by its typedef name"),
                    "the typedef name is not declared until the struct is complete",
                    "use `void*`, or a pointer to a struct defined above",
                )
            } else {
                (
                    format!("`{owner}` contains itself"),
                    "a struct cannot have a member of its own type: it would be infinitely large",
                    "use a pointer to another struct, or remove the member",
                )
            };
            self.reports.error(text.span(), message, label).help(help);
            return None;
        }
        let ty = self.ty(text, false)?;
        // `size_t` is 8 bytes on every 64-bit target (BPF, x86-64, Windows x64):
        // admitted in a struct another header defines, as upstream's are written.
        let external_size_t =
            self.in_external_struct && *ty.base() == Type::Primitive(Primitive::SizeT);
        if let Type::Primitive(p) = ty.base()
            && !p.is_fixed_width()
            && !external_size_t
        {
            self.reports
                .error(
                    text.span(),
                    format!(
                        "`{}` has no fixed size across the ABI's targets",
                        p.c_name()
                    ),
                    "a struct's layout must be the same on Windows and on the BPF target",
                )
                .help(if *p == Primitive::SizeT {
                    "use a <stdint.h> type such as `uint64_t`; only a struct `defined_in` another header, as that header writes it, may have `size_t` members"
                } else {
                    "use a <stdint.h> type such as `uint64_t` or `uint32_t`"
                });
            return None;
        }
        Some(ty)
    }
}
