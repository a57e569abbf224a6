//! What the verifier knows: helper prototypes by argument and return kind, program
//! types with their context descriptors, and map types. Language-neutral: the
//! verifier tables' own spelling is the `verifier_tables` emitter's business.

use super::{Doc, EnumeratorId, HelperId, HookId};

/// The verifier facts of one spec; empty when the spec states none.
#[derive(Debug, Clone, Default)]
pub struct VerifierFacts {
    /// One per helper, in spec order, when the spec gives kinds.
    pub prototypes: Vec<HelperPrototype>,
    pub program_types: Vec<ProgramType>,
    pub map_types: Vec<MapType>,
}

/// What the verifier requires of one argument register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// Any value.
    Anything,
    /// The size, above 0, of the memory argument just before it.
    ConstSize,
    /// The size, 0 or more, of the memory argument just before it.
    ConstSizeOrZero,
    /// The program's context pointer.
    Ctx,
    /// A map.
    Map,
    /// A map of programs (for tail calls).
    MapOfPrograms,
    /// Readable memory of the map's key size.
    MapKey,
    /// Readable memory of the map's value size.
    MapValue,
    /// Initialised memory, its size in the next argument.
    ReadableMem,
    /// The same, or NULL.
    ReadableMemOrNull,
    /// Writable memory, its size in the next argument.
    WritableMem,
}

impl ArgKind {
    pub const ALL: [ArgKind; 11] = [
        ArgKind::Anything,
        ArgKind::ConstSize,
        ArgKind::ConstSizeOrZero,
        ArgKind::Ctx,
        ArgKind::Map,
        ArgKind::MapOfPrograms,
        ArgKind::MapKey,
        ArgKind::MapValue,
        ArgKind::ReadableMem,
        ArgKind::ReadableMemOrNull,
        ArgKind::WritableMem,
    ];

    /// The spelling in the spec.
    pub fn spec_name(self) -> &'static str {
        match self {
            ArgKind::Anything => "anything",
            ArgKind::ConstSize => "const_size",
            ArgKind::ConstSizeOrZero => "const_size_or_zero",
            ArgKind::Ctx => "ctx",
            ArgKind::Map => "map",
            ArgKind::MapOfPrograms => "map_of_programs",
            ArgKind::MapKey => "map_key",
            ArgKind::MapValue => "map_value",
            ArgKind::ReadableMem => "readable_mem",
            ArgKind::ReadableMemOrNull => "readable_mem_or_null",
            ArgKind::WritableMem => "writable_mem",
        }
    }

    pub fn from_spec_name(name: &str) -> Option<ArgKind> {
        ArgKind::ALL.into_iter().find(|k| k.spec_name() == name)
    }

    /// A pointer to memory whose size the next argument gives.
    pub fn is_sized_memory(self) -> bool {
        matches!(
            self,
            ArgKind::ReadableMem | ArgKind::ReadableMemOrNull | ArgKind::WritableMem
        )
    }

    pub fn is_size(self) -> bool {
        matches!(self, ArgKind::ConstSize | ArgKind::ConstSizeOrZero)
    }

    /// Whether the argument is a pointer (in C, a pointer type).
    pub fn is_pointer(self) -> bool {
        !matches!(
            self,
            ArgKind::Anything | ArgKind::ConstSize | ArgKind::ConstSizeOrZero
        )
    }

    /// Whether NULL is a valid argument.
    pub fn accepts_null(self) -> bool {
        matches!(self, ArgKind::ReadableMemOrNull)
    }
}

/// What the verifier knows of a helper's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnKind {
    Integer,
    /// A pointer to a map value, or NULL: it must be checked before use.
    MapValueOrNull,
    /// A tail call: returns (an integer) only when it fails.
    IntegerOrNoReturnIfSucceed,
}

impl ReturnKind {
    pub const ALL: [ReturnKind; 3] = [
        ReturnKind::Integer,
        ReturnKind::MapValueOrNull,
        ReturnKind::IntegerOrNoReturnIfSucceed,
    ];

    pub fn spec_name(self) -> &'static str {
        match self {
            ReturnKind::Integer => "integer",
            ReturnKind::MapValueOrNull => "map_value_or_null",
            ReturnKind::IntegerOrNoReturnIfSucceed => "integer_or_no_return_if_succeed",
        }
    }

    pub fn from_spec_name(name: &str) -> Option<ReturnKind> {
        ReturnKind::ALL.into_iter().find(|k| k.spec_name() == name)
    }
}

/// A helper as the verifier sees it.
#[derive(Debug, Clone)]
pub struct HelperPrototype {
    pub helper: HelperId,
    pub returns: ReturnKind,
    /// One per parameter, in order (at most five).
    pub args: Vec<ArgKind>,
    pub reallocate_packet: bool,
}

/// A program type: its number, context descriptor and sections.
#[derive(Debug, Clone)]
pub struct ProgramType {
    pub name: String,
    pub hook: HookId,
    pub number: u32,
    pub privileged: bool,
    /// The context struct's size in bytes.
    pub context_size: u64,
    /// Offsets in the context of the packet data's start, end and metadata pointers.
    pub data: Option<ContextPointer>,
    pub end: Option<ContextPointer>,
    pub meta: Option<ContextPointer>,
    /// The ELF section prefixes of its programs: its hook's attach types' sections.
    pub section_prefixes: Vec<String>,
    pub doc: Doc,
}

/// A pointer member of the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextPointer {
    pub member: String,
    pub offset: u64,
}

/// What a map type's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapValueType {
    Any,
    Map,
    Program,
}

impl MapValueType {
    pub const ALL: [MapValueType; 3] =
        [MapValueType::Any, MapValueType::Map, MapValueType::Program];

    pub fn spec_name(self) -> &'static str {
        match self {
            MapValueType::Any => "any",
            MapValueType::Map => "map",
            MapValueType::Program => "program",
        }
    }

    pub fn from_spec_name(name: &str) -> Option<MapValueType> {
        MapValueType::ALL
            .into_iter()
            .find(|k| k.spec_name() == name)
    }
}

#[derive(Debug, Clone)]
pub struct MapType {
    pub enumerator: EnumeratorId,
    pub name: String,
    pub id: i64,
    pub is_array: bool,
    pub value_type: MapValueType,
    pub doc: Doc,
}
