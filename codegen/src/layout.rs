//! The layout engine: size, alignment and offset of every struct and member under
//! the C rules of the ABI's 64-bit targets (x64, arm64 and BPF: 8-byte pointers,
//! integers aligned to their size, enums as 4-byte `int`).
//!
//! The C header and the Rust bindings both assert these numbers, so a mistake here
//! fails the build of both rather than silently diverging.

use std::collections::HashMap;

use crate::model::{Aggregate, Member, MemberKind, Model, Placement, Structure, Type};

const POINTER_SIZE: u64 = 8;
const ENUM_SIZE: u64 = 4;

/// Computes layouts struct by struct, remembering each for later structs that
/// embed it.
#[derive(Debug, Default)]
pub struct LayoutEngine {
    structs: HashMap<String, Placement>,
}

impl LayoutEngine {
    /// Fills in `layout` of every struct and `placement` of every member of `model`.
    pub fn apply(model: &mut Model) {
        let mut engine = LayoutEngine::default();
        for s in &mut model.structs {
            engine.layout_struct(s);
        }
    }

    /// Lays out one struct; structs it embeds must have been laid out before.
    pub fn layout_struct(&mut self, s: &mut Structure) {
        let (size, align) = self.aggregate(Aggregate::Struct, &mut s.members, 0);
        s.layout = Placement {
            offset: 0,
            size,
            align,
        };
        self.structs.insert(s.name.clone(), s.layout);
    }

    /// Places `members` starting at absolute offset `base`; returns the aggregate's
    /// size (trailing padding included) and alignment.
    fn aggregate(&self, kind: Aggregate, members: &mut [Member], base: u64) -> (u64, u64) {
        let mut end = 0;
        let mut align = 1;
        for member in members.iter_mut() {
            let (size, member_align) = match &mut member.kind {
                MemberKind::Field { ty, array, .. } => {
                    let (size, a) = self.size_align(ty);
                    (size * array.unwrap_or(1), a)
                }
                MemberKind::Anonymous {
                    aggregate, members, ..
                } => {
                    // A nested aggregate starts at its own alignment; lay it out there.
                    let (_, a) = self.aggregate(*aggregate, members, 0);
                    let offset = match kind {
                        Aggregate::Struct => align_up(end, a),
                        Aggregate::Union => 0,
                    };
                    self.aggregate(*aggregate, members, base + offset)
                }
            };
            let offset = match kind {
                Aggregate::Struct => align_up(end, member_align),
                Aggregate::Union => 0,
            };
            member.placement = Placement {
                offset: base + offset,
                size,
                align: member_align,
            };
            end = end.max(offset + size);
            align = align.max(member_align);
        }
        (align_up(end, align), align)
    }

    /// Size and alignment of a type. `void` only occurs behind a pointer.
    pub fn size_align(&self, ty: &Type) -> (u64, u64) {
        match ty {
            Type::Primitive(p) => (p.size(), p.size()),
            Type::Pointer(_) => (POINTER_SIZE, POINTER_SIZE),
            Type::Enum(_) => (ENUM_SIZE, ENUM_SIZE),
            Type::Struct(name) => self.structs.get(name).map_or((0, 1), |p| (p.size, p.align)),
            Type::Void => (0, 1),
        }
    }
}

fn align_up(value: u64, align: u64) -> u64 {
    value.div_ceil(align) * align
}
