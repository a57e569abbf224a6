use super::{ConstantId, Doc, EnumeratorId, HelperId, HookId, Model, StructId};

/// A C enum with its typedef name and, unless anonymous, its tag.
#[derive(Debug, Clone)]
pub struct Enumeration {
    pub name: String,
    pub tag: Option<String>,
    /// The header that defines it when another header does (`ebpf_structs.h`): the
    /// C header then refers to it without defining it; other outputs define it.
    pub defined_in: Option<String>,
    /// The release that added it (`None`: every release of the spec has it).
    pub since: Option<String>,
    pub doc: Doc,
    pub enumerators: Vec<Enumerator>,
    /// How the ABI uses the enum type; derived from [`Enumeration::used_by`].
    pub usage: EnumUse,
    /// Every place that uses the enum or one of its enumerators: helper IDs, then
    /// hook verdicts, struct members and helper parameters, each in spec order.
    pub used_by: Vec<EnumUser>,
}

/// One place that uses an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumUser {
    /// A helper whose ID is one of the enum's enumerators.
    HelperId(HelperId),
    /// A hook that returns the enum.
    Verdict(HookId),
    /// A named member of a struct (anonymous members' fields included), by its C name.
    Member { structure: StructId, member: String },
    /// A helper parameter, by its position in the helper's list.
    Param { helper: HelperId, param: usize },
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
    /// The release that added it (`None`: every release of the spec has it).
    pub since: Option<String>,
    pub doc: Doc,
}

impl Enumerator {
    /// The enumerator this one is an alias of, if any.
    pub fn alias_of(&self) -> Option<EnumeratorId> {
        match self.expr {
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
    Offset { constant: ConstantId, offset: i64 },
    /// The same value as an earlier enumerator of this enum.
    Alias(EnumeratorId),
}

impl ValueExpr {
    /// The value as the spec writes it, which C and Rust both read as it is
    /// (`0x10`, `BASE + 1`, `BIND_PERMIT_SOFT`); `None` when no value is written.
    pub fn spelling(&self, model: &Model) -> Option<String> {
        match self {
            ValueExpr::Implicit => None,
            ValueExpr::Literal(text) => Some(text.clone()),
            ValueExpr::Offset { constant, offset } => {
                Some(model.constant(*constant).offset_by(*offset))
            }
            ValueExpr::Alias(target) => Some(model.enumerator(*target).name.clone()),
        }
    }
}

impl Enumeration {
    /// Enumerators that are not aliases: one per distinct value.
    pub fn primary_enumerators(&self) -> impl Iterator<Item = &Enumerator> {
        self.enumerators.iter().filter(|v| v.alias_of().is_none())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_are_spelled_as_written() {
        let spec = "[header]\nfile = \"t.h\"\ndoc = \"Test.\"\n\n\
             [[constant]]\nname = \"BASE\"\nvalue = \"0x10\"\ndoc = \"Base.\"\n\n\
             [[enum]]\nname = \"e_t\"\ndoc = \"E.\"\n";
        // (value or alias as written, its spelling)
        let cases = [
            ("value = \"BASE + 3\"", Some("BASE + 3")),
            ("value = \"BASE-3\"", Some("BASE - 3")),
            ("value = \"0x7F\"", Some("0x7F")),
            ("alias_of = \"E_0\"", Some("E_0")),
            ("", None),
        ];
        let mut text =
            format!("{spec}[[enum.enumerator]]\nname = \"E_0\"\nvalue = \"100\"\ndoc = \"V.\"\n");
        for (i, (value, _)) in cases.iter().enumerate() {
            text.push_str(&format!(
                "[[enum.enumerator]]\nname = \"E_{}\"\n{value}\ndoc = \"V.\"\n",
                i + 1
            ));
        }
        let model = crate::load_str(&text, "t.toml").unwrap_or_else(|e| panic!("{e}"));
        for (v, (value, expected)) in model.enums[0].enumerators[1..].iter().zip(cases) {
            assert_eq!(v.expr.spelling(&model).as_deref(), expected, "{value}");
        }
    }
}
