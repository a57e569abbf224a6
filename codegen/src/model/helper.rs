use super::{AttachId, Doc, EnumeratorId, HelperId, HookId, RetVal, Type};

/// A helper function, called by its numeric ID.
#[derive(Debug, Clone)]
pub struct Helper {
    pub name: String,
    /// The enumerator holding the helper's ID.
    pub id: EnumeratorId,
    /// The ID's numeric value.
    pub id_value: i64,
    /// The hook whose programs may call it; `None` for a general helper, which the
    /// programs of every hook may call.
    pub hook: Option<HookId>,
    /// The helper whose prototype typedef the call goes through, when not its own
    /// (both have the same signature).
    pub cast_as: Option<HelperId>,
    /// The hook's attach types at which it may be called, in hook order.
    pub available_at: Vec<AttachId>,
    /// The release that added it (`None`: every release of the spec has it).
    pub since: Option<String>,
    pub doc: Doc,
    pub returns: HelperReturns,
    pub params: Vec<HelperParam>,
}

#[derive(Debug, Clone)]
pub struct HelperReturns {
    pub ty: Type,
    /// What the returned value is, when it is not a set of listed values.
    pub doc: Option<Doc>,
    pub values: Vec<RetVal>,
}

#[derive(Debug, Clone)]
pub struct HelperParam {
    pub name: String,
    pub ty: Type,
    pub direction: Direction,
    pub doc: Doc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    In,
    Out,
    InOut,
}

impl Direction {
    /// The Doxygen spelling (`in`, `out`, `in,out`).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
            Direction::InOut => "in,out",
        }
    }
}
