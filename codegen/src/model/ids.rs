//! Typed indices: how one item of the model refers to another. Each is a position
//! in one of [`super::Model`]'s lists, made only by the resolver, so a model's ids
//! always name one of its own items.

macro_rules! item_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(usize);

        impl $name {
            pub(crate) fn new(position: usize) -> Self {
                $name(position)
            }

            /// The item's position in its list of the model.
            pub fn index(self) -> usize {
                self.0
            }
        }
    };
}

item_id!(
    /// A `[[constant]]`: a position in `Model::constants`.
    ConstantId
);
item_id!(
    /// An `[[enum]]`: a position in `Model::enums`.
    EnumId
);
item_id!(
    /// A `[[struct]]`: a position in `Model::structs`.
    StructId
);
item_id!(
    /// A `[[hook]]`: a position in `Model::hooks`.
    HookId
);
item_id!(
    /// A `[[helper]]`: a position in `Model::helpers`.
    HelperId
);

/// One enumerator: its enum, and its position in that enum's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumeratorId {
    pub enumeration: EnumId,
    pub index: usize,
}

/// One attach type: its hook, and its position in that hook's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttachId {
    pub hook: HookId,
    pub index: usize,
}
