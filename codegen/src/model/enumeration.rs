use super::Doc;

/// A C enum with its typedef name and, unless anonymous, its tag.
#[derive(Debug, Clone)]
pub struct Enumeration {
    pub name: String,
    pub tag: Option<String>,
    pub doc: Doc,
    pub enumerators: Vec<Enumerator>,
    /// How the ABI uses the enum type; derived from the rest of the spec.
    pub usage: EnumUse,
}

/// How an enum type is used by the ABI. Emitters choose a representation from it:
/// a verdict only ever flows from a program to the host, a value can hold numbers
/// outside the listed set (a newer host may add some), and a set of constants is
/// never used as a type at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumUse {
    /// Returned by a hook: a program must return one of the listed values.
    Verdict,
    /// The type of a struct member or parameter.
    Value,
    /// Not used as a type anywhere: only its enumerators matter (helper IDs).
    Constants,
}

#[derive(Debug, Clone)]
pub struct Enumerator {
    pub name: String,
    pub value: i64,
    /// How the value is written in the spec, and so in C.
    pub expr: ValueExpr,
    /// Set for a second name of another enumerator, kept for compatibility.
    pub deprecated: Option<String>,
    pub doc: Doc,
}

impl Enumerator {
    /// The enumerator this one is an alias of, if any.
    pub fn alias_of(&self) -> Option<&str> {
        match &self.expr {
            ValueExpr::Alias(target) => Some(target),
            _ => None,
        }
    }
}

/// The written form of an enumerator's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueExpr {
    /// No value written: one more than the previous enumerator (0 for the first).
    Implicit,
    /// An integer literal as written (`3`, `0x10`).
    Literal(String),
    /// `CONSTANT + offset` or `CONSTANT - offset` (offset is negative then).
    Offset { constant: String, offset: i64 },
    /// The same value as another enumerator of this enum.
    Alias(String),
}

impl Enumeration {
    /// Enumerators that are not aliases: one per distinct value.
    pub fn primary_enumerators(&self) -> impl Iterator<Item = &Enumerator> {
        self.enumerators.iter().filter(|v| v.alias_of().is_none())
    }
}
