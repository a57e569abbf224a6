use super::{EnumId, Model, StructId};

/// A C type as the ABI uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    Void,
    Primitive(Primitive),
    /// A typedef'd enum of the spec.
    Enum(EnumId),
    /// A typedef'd struct of the spec, defined before the type is used.
    Struct(StructId),
    /// A second name of a struct (`[[typedef]]`): `typedef` is its position in
    /// [`Model::typedefs`], `target` the struct it names.
    Alias {
        typedef: usize,
        target: StructId,
    },
    Pointer(Box<Type>),
    /// A `const`-qualified type: only ever pointed to (`const void*`).
    Const(Box<Type>),
}

/// The fixed-width integers of `<stdint.h>`, and C's `int`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    U8,
    U16,
    U32,
    U64,
    I8,
    I16,
    I32,
    I64,
    /// C `int`: 32 bits on every target the ABI supports.
    Int,
    /// C `long`: 64 bits on the BPF target but 32 on 64-bit Windows, so it is a
    /// helper parameter or return type only, never a struct member.
    Long,
    /// C `size_t`: pointer-sized; a helper parameter or return type only.
    SizeT,
    /// C `intptr_t`: pointer-sized and signed; a helper parameter or return type only.
    IntPtr,
    /// C `char`: a byte of text.
    Char,
}

impl Primitive {
    pub const ALL: [Primitive; 9] = [
        Primitive::U8,
        Primitive::U16,
        Primitive::U32,
        Primitive::U64,
        Primitive::I8,
        Primitive::I16,
        Primitive::I32,
        Primitive::I64,
        Primitive::Int,
    ];

    /// The types whose size differs between the ABI's targets (`long`, `size_t`) or
    /// that are text (`char`): usable in helper prototypes, not all in structs.
    pub const PLATFORM: [Primitive; 4] = [
        Primitive::Long,
        Primitive::SizeT,
        Primitive::IntPtr,
        Primitive::Char,
    ];

    /// Whether the type is one of [`Primitive::ALL`]: a `<stdint.h>` type or `int`.
    pub fn is_stdint(self) -> bool {
        Primitive::ALL.contains(&self)
    }

    /// Whether the type has the same size on every target the ABI supports.
    pub fn is_fixed_width(self) -> bool {
        !matches!(self, Primitive::Long | Primitive::SizeT | Primitive::IntPtr)
    }

    pub fn c_name(self) -> &'static str {
        match self {
            Primitive::U8 => "uint8_t",
            Primitive::U16 => "uint16_t",
            Primitive::U32 => "uint32_t",
            Primitive::U64 => "uint64_t",
            Primitive::I8 => "int8_t",
            Primitive::I16 => "int16_t",
            Primitive::I32 => "int32_t",
            Primitive::I64 => "int64_t",
            Primitive::Int => "int",
            Primitive::Long => "long",
            Primitive::SizeT => "size_t",
            Primitive::IntPtr => "intptr_t",
            Primitive::Char => "char",
        }
    }

    pub fn from_c_name(name: &str) -> Option<Primitive> {
        (Primitive::ALL.into_iter().chain(Primitive::PLATFORM)).find(|p| p.c_name() == name)
    }

    /// Size in bytes, which is also the alignment on the ABI's 64-bit targets (for
    /// `long` and `size_t`: on the BPF target).
    pub fn size(self) -> u64 {
        match self {
            Primitive::U8 | Primitive::I8 | Primitive::Char => 1,
            Primitive::U16 | Primitive::I16 => 2,
            Primitive::U32 | Primitive::I32 | Primitive::Int => 4,
            Primitive::U64
            | Primitive::I64
            | Primitive::Long
            | Primitive::SizeT
            | Primitive::IntPtr => 8,
        }
    }

    pub fn is_signed(self) -> bool {
        matches!(
            self,
            Primitive::I8
                | Primitive::I16
                | Primitive::I32
                | Primitive::I64
                | Primitive::Int
                | Primitive::Long
                | Primitive::IntPtr
                | Primitive::Char
        )
    }
}

impl Type {
    /// The type's C spelling (`uint8_t*`, `bind_md_t`), as the header writes it.
    pub fn c_spelling(&self, model: &Model) -> String {
        match self {
            Type::Void => "void".to_owned(),
            Type::Primitive(p) => p.c_name().to_owned(),
            Type::Enum(id) => model.enum_(*id).name.clone(),
            Type::Struct(id) => model.structure(*id).name.clone(),
            Type::Alias { typedef, .. } => model.typedefs[*typedef].name.clone(),
            Type::Pointer(inner) => format!("{}*", inner.c_spelling(model)),
            Type::Const(inner) => format!("const {}", inner.c_spelling(model)),
        }
    }

    /// The typedef name of the enum or struct this type is (not through pointers).
    pub fn item_name<'m>(&self, model: &'m Model) -> Option<&'m str> {
        match self {
            Type::Enum(id) => Some(&model.enum_(*id).name),
            Type::Struct(id) => Some(&model.structure(*id).name),
            Type::Alias { typedef, .. } => Some(&model.typedefs[*typedef].name),
            _ => None,
        }
    }

    /// The type with every pointer taken away (`uint8_t**` -> `uint8_t`).
    pub fn base(&self) -> &Type {
        match self {
            Type::Pointer(inner) | Type::Const(inner) => inner.base(),
            other => other,
        }
    }

    /// The type that a pointer points to, if this is a pointer.
    pub fn pointee(&self) -> Option<&Type> {
        match self {
            Type::Pointer(inner) => Some(inner),
            _ => None,
        }
    }
}
