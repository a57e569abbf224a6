use super::{Doc, HookId, Type};

/// A typedef'd C struct, laid out by the layout engine.
#[derive(Debug, Clone)]
pub struct Structure {
    pub name: String,
    pub tag: Option<String>,
    /// The header that defines it when another header does (`ebpf_structs.h`): the
    /// C header then refers to it without defining it; other outputs define it.
    pub defined_in: Option<String>,
    /// The release that added it (`None`: every release of the spec has it).
    pub since: Option<String>,
    pub doc: Doc,
    pub members: Vec<Member>,
    /// Size and alignment of the whole struct.
    pub layout: Placement,
    /// The hooks whose programs receive this struct as their context, in spec order.
    pub context_of: Vec<HookId>,
}

/// Where a member sits: offset from the start of the outermost struct, size and
/// alignment, all in bytes. For a struct itself the offset is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub offset: u64,
    pub size: u64,
    pub align: u64,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub kind: MemberKind,
    pub doc: Doc,
    pub placement: Placement,
}

/// What a member is. `M` is the type of an anonymous member's members: [`Member`]
/// in the model, the layout engine's unplaced members before layout.
#[derive(Debug, Clone)]
pub enum MemberKind<M = Member> {
    /// A named member; `array` is the element count of a `name[N]` member.
    /// `rust_name` is the name Rust uses when the spec states one (for a C name
    /// that is a Rust keyword).
    Field {
        name: String,
        rust_name: Option<String>,
        ty: Type,
        array: Option<u64>,
    },
    /// A C11 unnamed struct or union member, whose members are reached directly.
    /// `rust_name` names it where a language needs a name (Rust fields and types).
    Anonymous {
        aggregate: Aggregate,
        rust_name: String,
        members: Vec<M>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    Struct,
    Union,
}

impl Aggregate {
    pub fn c_keyword(self) -> &'static str {
        match self {
            Aggregate::Struct => "struct",
            Aggregate::Union => "union",
        }
    }
}

impl Member {
    /// The member's C name; `None` for an anonymous struct or union.
    pub fn name(&self) -> Option<&str> {
        match &self.kind {
            MemberKind::Field { name, .. } => Some(name),
            MemberKind::Anonymous { .. } => None,
        }
    }

    /// The name Rust code uses for a named member: its stated `rust_name`, else
    /// its C name. `None` for an anonymous struct or union.
    pub fn rust_field_name(&self) -> Option<&str> {
        match &self.kind {
            MemberKind::Field {
                name, rust_name, ..
            } => Some(rust_name.as_deref().unwrap_or(name)),
            MemberKind::Anonymous { .. } => None,
        }
    }
}

impl Structure {
    /// Every named member in declaration order, anonymous members' fields included,
    /// each with the anonymous members that lead to it.
    pub fn leaf_fields(&self) -> Vec<(Vec<&Member>, &Member)> {
        fn walk<'a>(
            members: &'a [Member],
            path: &mut Vec<&'a Member>,
            out: &mut Vec<(Vec<&'a Member>, &'a Member)>,
        ) {
            for member in members {
                match &member.kind {
                    MemberKind::Field { .. } => out.push((path.clone(), member)),
                    MemberKind::Anonymous { members, .. } => {
                        path.push(member);
                        walk(members, path, out);
                        path.pop();
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.members, &mut Vec::new(), &mut out);
        out
    }
}
