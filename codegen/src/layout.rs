//! The layout engine: size, alignment and offset of every struct and member under
//! the C rules of the ABI's 64-bit targets (x64, arm64 and BPF: 8-byte pointers,
//! integers aligned to their size, enums as 4-byte `int`).
//!
//! The resolver runs it on each struct as soon as the struct is resolved, so every
//! struct of the model is laid out and there is one layout, this one. The C header
//! and the Rust bindings both assert these numbers, so a mistake here fails the
//! build of both rather than silently diverging.

use crate::model::{Aggregate, Doc, Member, MemberKind, Placement, Type};

const POINTER_SIZE: u64 = 8;
const ENUM_SIZE: u64 = 4;

/// A member as the resolver reads it, before the layout engine places it.
#[derive(Debug, Clone)]
pub struct UnplacedMember {
    pub kind: MemberKind<UnplacedMember>,
    pub doc: Doc,
}

/// Lays out structs in spec order, remembering each for later structs that embed
/// it. Arithmetic saturates, so an absurd spec yields an absurd size (which the
/// resolver reports), never an overflow.
#[derive(Debug, Default)]
pub struct LayoutEngine {
    /// Size and alignment of each struct laid out so far, by `StructId`.
    structs: Vec<Placement>,
}

impl LayoutEngine {
    /// Places the members of the next struct of the spec (the one whose `StructId`
    /// is the number of structs laid out so far); returns them with the struct's
    /// size and alignment. Structs it embeds must have been laid out before.
    pub fn layout_struct(&mut self, members: Vec<UnplacedMember>) -> (Vec<Member>, Placement) {
        let (members, size, align) = self.aggregate(Aggregate::Struct, members, 0);
        let layout = Placement {
            offset: 0,
            size,
            align,
        };
        self.structs.push(layout);
        (members, layout)
    }

    /// Places `members` starting at absolute offset `base`; returns them with the
    /// aggregate's size (trailing padding included) and alignment.
    fn aggregate(
        &self,
        kind: Aggregate,
        members: Vec<UnplacedMember>,
        base: u64,
    ) -> (Vec<Member>, u64, u64) {
        let mut end: u64 = 0;
        let mut align = 1;
        let mut placed = Vec::with_capacity(members.len());
        for member in members {
            let (kind_placed, size, member_align) = match member.kind {
                MemberKind::Field {
                    name,
                    rust_name,
                    ty,
                    array,
                } => {
                    let (size, a) = self.size_align(&ty);
                    let field = MemberKind::Field {
                        name,
                        rust_name,
                        ty,
                        array,
                    };
                    (field, size.saturating_mul(array.unwrap_or(1)), a)
                }
                MemberKind::Anonymous {
                    aggregate,
                    rust_name,
                    members,
                } => {
                    // A nested aggregate starts at its own alignment; lay it out there.
                    let offset = match kind {
                        Aggregate::Struct => align_up(end, self.alignment(&members)),
                        Aggregate::Union => 0,
                    };
                    let (members, size, a) =
                        self.aggregate(aggregate, members, base.saturating_add(offset));
                    let anonymous = MemberKind::Anonymous {
                        aggregate,
                        rust_name,
                        members,
                    };
                    (anonymous, size, a)
                }
            };
            let offset = match kind {
                Aggregate::Struct => align_up(end, member_align),
                Aggregate::Union => 0,
            };
            placed.push(Member {
                kind: kind_placed,
                doc: member.doc,
                placement: Placement {
                    offset: base.saturating_add(offset),
                    size,
                    align: member_align,
                },
            });
            end = end.max(offset.saturating_add(size));
            align = align.max(member_align);
        }
        (placed, align_up(end, align), align)
    }

    /// Alignment of an aggregate of `members`: that of its most aligned member. Kept
    /// apart from `aggregate` so that placing nested members costs one pass per level
    /// instead of doubling with every level of nesting.
    fn alignment(&self, members: &[UnplacedMember]) -> u64 {
        members
            .iter()
            .map(|m| match &m.kind {
                MemberKind::Field { ty, .. } => self.size_align(ty).1,
                MemberKind::Anonymous { members, .. } => self.alignment(members),
            })
            .max()
            .unwrap_or(1)
    }

    /// Size and alignment of a type. `void` only occurs behind a pointer; a struct
    /// is one laid out before (the resolver admits no other).
    pub fn size_align(&self, ty: &Type) -> (u64, u64) {
        match ty {
            Type::Primitive(p) => (p.size(), p.size()),
            Type::Pointer(_) => (POINTER_SIZE, POINTER_SIZE),
            Type::Enum(_) => (ENUM_SIZE, ENUM_SIZE),
            Type::Struct(id) | Type::Alias { target: id, .. } => {
                let layout = self.structs[id.index()];
                (layout.size, layout.align)
            }
            Type::Void => (0, 1),
            Type::Const(inner) => self.size_align(inner),
        }
    }
}

fn align_up(value: u64, align: u64) -> u64 {
    value.div_ceil(align).saturating_mul(align)
}

#[cfg(test)]
mod tests {
    use crate::model::{MemberKind, Structure};

    /// Loads a one-struct spec whose `[[struct.member]]` tables are `members`.
    fn layout_of(members: &str) -> Structure {
        let spec = format!(
            "[header]\nfile = \"t.h\"\ndoc = \"Test.\"\n\n\
             [[struct]]\nname = \"inner_t\"\ndoc = \"Embedded.\"\n\
             [[struct.member]]\nname = \"a\"\ntype = \"uint16_t\"\ndoc = \"A.\"\n\
             [[struct.member]]\nname = \"b\"\ntype = \"uint8_t\"\ndoc = \"B.\"\n\n\
             [[struct]]\nname = \"probe_t\"\ndoc = \"Probe.\"\n{members}"
        );
        let model = crate::load_str(&spec, "test.toml").unwrap_or_else(|e| panic!("{e}"));
        model.structs.into_iter().nth(1).expect("second struct")
    }

    /// `(name, offset)` of every named member, anonymous members' fields included.
    fn offsets(s: &Structure) -> Vec<(String, u64)> {
        s.leaf_fields()
            .into_iter()
            .filter_map(|(_, m)| match &m.kind {
                MemberKind::Field { name, .. } => Some((name.clone(), m.placement.offset)),
                MemberKind::Anonymous { .. } => None,
            })
            .collect()
    }

    fn field(name: &str, ty: &str) -> String {
        format!("[[struct.member]]\nname = \"{name}\"\ntype = \"{ty}\"\ndoc = \"M.\"\n")
    }

    #[test]
    fn hand_made_layouts() {
        let array =
            "[[struct.member]]\nname = \"arr\"\ntype = \"uint8_t\"\narray = 5\ndoc = \"M.\"\n";
        let anonymous_union = "[[struct.member]]\nanonymous = \"union\"\nrust_name = \"u\"\ndoc = \"U.\"\n\
             [[struct.member.member]]\nname = \"small\"\ntype = \"uint8_t\"\ndoc = \"M.\"\n\
             [[struct.member.member]]\nname = \"wide\"\ntype = \"uint32_t\"\narray = 3\ndoc = \"M.\"\n";
        let nested = "[[struct.member]]\nanonymous = \"struct\"\nrust_name = \"s\"\ndoc = \"S.\"\n\
             [[struct.member.member]]\nanonymous = \"union\"\nrust_name = \"su\"\ndoc = \"U.\"\n\
             [[struct.member.member.member]]\nname = \"x4\"\ntype = \"uint32_t\"\ndoc = \"M.\"\n\
             [[struct.member.member.member]]\nname = \"x8\"\ntype = \"uint64_t\"\ndoc = \"M.\"\n\
             [[struct.member.member]]\nname = \"port\"\ntype = \"uint16_t\"\ndoc = \"M.\"\n";
        // (what it shows, members, expected size, expected align, expected offsets)
        type Case<'a> = (&'a str, String, u64, u64, Vec<(&'a str, u64)>);
        let cases: Vec<Case> = vec![
            (
                "padding before a wider member",
                field("a", "uint8_t") + &field("b", "uint32_t"),
                8,
                4,
                vec![("a", 0), ("b", 4)],
            ),
            (
                "trailing padding to the struct's alignment",
                field("a", "uint64_t") + &field("b", "uint8_t"),
                16,
                8,
                vec![("a", 0), ("b", 8)],
            ),
            (
                "pointers are 8 bytes and 8-aligned",
                field("a", "uint8_t") + &field("p", "uint8_t*") + &field("v", "void*"),
                24,
                8,
                vec![("a", 0), ("p", 8), ("v", 16)],
            ),
            (
                "arrays take element alignment",
                field("a", "uint16_t") + array + &field("c", "uint16_t"),
                10,
                2,
                vec![("a", 0), ("arr", 2), ("c", 8)],
            ),
            (
                "an anonymous union is as large as its largest member",
                field("a", "uint8_t") + anonymous_union + &field("z", "uint8_t"),
                20,
                4,
                vec![("a", 0), ("small", 4), ("wide", 4), ("z", 16)],
            ),
            (
                "nested anonymous struct and union",
                field("f", "uint32_t") + nested + &field("after", "uint8_t"),
                32,
                8,
                vec![("f", 0), ("x4", 8), ("x8", 8), ("port", 16), ("after", 24)],
            ),
            (
                "embedded structs keep their own size and alignment",
                field("e", "int8_t") + &field("i", "inner_t") + &field("n", "int"),
                12,
                4,
                vec![("e", 0), ("i", 2), ("n", 8)],
            ),
        ];
        for (what, members, size, align, expected) in cases {
            let s = layout_of(&members);
            let expected: Vec<(String, u64)> = expected
                .into_iter()
                .map(|(n, o)| (n.to_owned(), o))
                .collect();
            assert_eq!(offsets(&s), expected, "{what}: offsets");
            assert_eq!(
                (s.layout.size, s.layout.align),
                (size, align),
                "{what}: size, align"
            );
        }
    }
}
