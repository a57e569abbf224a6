//! A random spec as a plan (structs, enums, a hook and its helpers, perhaps a
//! sibling spec), and the proptest strategies that choose one.

use proptest::prelude::*;

use super::names::*;

#[derive(Clone, Debug)]
pub enum FieldType {
    Int(&'static str),
    /// The spec's value enum.
    Enum,
    VoidPointer,
    /// A pointer to an earlier struct (or `void*` for the first).
    StructPointer,
    /// An earlier struct by value (or an integer for the first).
    Embedded,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    pub array: Option<u8>,
}

#[derive(Clone, Debug)]
pub enum Member {
    Field(Field),
    Anonymous {
        union: bool,
        rust_name: &'static str,
        fields: Vec<Field>,
        /// An anonymous member inside this one, after its fields.
        nested: Option<(bool, &'static str, Vec<Field>)>,
    },
}

#[derive(Clone, Debug)]
pub struct StructPlan {
    pub name: &'static str,
    pub members: Vec<Member>,
}

#[derive(Clone, Debug)]
pub enum ParamType {
    Int(&'static str),
    Enum,
    /// `void*` and then a `uint32_t` size: a buffer.
    Buffer,
    ConstPointer,
}

#[derive(Clone, Debug)]
pub struct HelperPlan {
    pub name: &'static str,
    /// Of the hook (context first, only at some attach types), or general.
    pub of_hook: bool,
    pub only_first_attach: bool,
    pub params: Vec<(&'static str, ParamType)>,
    pub returns: &'static str,
}

/// A spec as a plan; rendered to TOML by [`Plan::toml`], shown as TOML on failure.
#[derive(Clone)]
pub struct Plan {
    pub constants: Vec<&'static str>,
    /// Each enum's name and enumerators; an enumerator marked `true` is a
    /// deprecated alias of the enum's first.
    pub value_enum: (&'static str, Vec<(&'static str, bool)>),
    pub verdict_enum: (&'static str, Vec<(&'static str, bool)>),
    pub structs: Vec<StructPlan>,
    pub hook: &'static str,
    pub attach: Vec<&'static str>,
    pub helpers: Vec<HelperPlan>,
    /// A second spec of the run, whose bindings are module `module` of the crate.
    pub sibling: Option<SiblingPlan>,
}

/// A spec with `rust_module`: constants, structs and general helpers.
#[derive(Clone)]
pub struct SiblingPlan {
    pub module: &'static str,
    pub constants: Vec<&'static str>,
    pub structs: Vec<StructPlan>,
    pub helpers: Vec<(&'static str, Vec<(&'static str, &'static str)>)>,
}

fn sibling() -> impl Strategy<Value = SiblingPlan> {
    let param = (pick(PARAM_NAMES, PLAIN_PARAMS), int_type());
    (
        pick(MODULE_NAMES, PLAIN_MODULES),
        prop::collection::vec(pick(VALUE_NAMES, PLAIN_VALUES), 0..3),
        prop::collection::vec(structure(), 0..3),
        prop::collection::vec(
            (
                pick(HELPER_NAMES, PLAIN_HELPERS),
                prop::collection::vec(param, 0..3),
            ),
            0..3,
        ),
    )
        .prop_map(|(module, constants, structs, helpers)| SiblingPlan {
            module,
            constants,
            structs,
            helpers,
        })
}

/// A name from `pool` more often than not, else a plain one: most specs must load.
fn pick(
    pool: &'static [&'static str],
    plain: &'static [&'static str],
) -> impl Strategy<Value = &'static str> {
    prop_oneof![
        3 => prop::sample::select(pool),
        2 => prop::sample::select(plain),
    ]
}

fn int_type() -> impl Strategy<Value = &'static str> {
    prop::sample::select(
        &[
            "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int32_t", "int64_t",
        ][..],
    )
}

fn field() -> impl Strategy<Value = Field> {
    let ty = prop_oneof![
        4 => int_type().prop_map(FieldType::Int),
        1 => Just(FieldType::Enum),
        1 => Just(FieldType::VoidPointer),
        1 => Just(FieldType::StructPointer),
        1 => Just(FieldType::Embedded),
    ];
    (
        pick(MEMBER_NAMES, PLAIN_MEMBERS),
        ty,
        prop::option::weighted(0.2, 1u8..5),
    )
        .prop_map(|(name, ty, array)| Field { name, ty, array })
}

fn member() -> impl Strategy<Value = Member> {
    prop_oneof![
        4 => field().prop_map(Member::Field),
        1 => (
            any::<bool>(),
            pick(MEMBER_NAMES, PLAIN_MEMBERS),
            prop::collection::vec(field(), 1..3),
            prop::option::weighted(
                0.3,
                (any::<bool>(), pick(MEMBER_NAMES, PLAIN_MEMBERS), prop::collection::vec(field(), 1..3)),
            ),
        ).prop_map(
            |(union, rust_name, fields, nested)| Member::Anonymous {
                union,
                rust_name,
                fields,
                nested,
            }
        ),
    ]
}

fn structure() -> impl Strategy<Value = StructPlan> {
    (
        pick(TYPE_NAMES, PLAIN_TYPES),
        prop::collection::vec(member(), 1..5),
    )
        .prop_map(|(name, members)| StructPlan { name, members })
}

fn param() -> impl Strategy<Value = (&'static str, ParamType)> {
    let ty = prop_oneof![
        int_type().prop_map(ParamType::Int),
        Just(ParamType::Enum),
        Just(ParamType::Buffer),
        Just(ParamType::ConstPointer),
    ];
    (pick(PARAM_NAMES, PLAIN_PARAMS), ty)
}

fn helper() -> impl Strategy<Value = HelperPlan> {
    let returns = prop::sample::select(&["int", "uint64_t", "void", "int64_t", "void*"][..]);
    (
        pick(HELPER_NAMES, PLAIN_HELPERS),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(param(), 0..3),
        returns,
    )
        .prop_map(
            |(name, of_hook, only_first_attach, params, returns)| HelperPlan {
                name,
                of_hook,
                only_first_attach,
                params,
                returns,
            },
        )
}

pub fn plan() -> impl Strategy<Value = Plan> {
    (
        prop::collection::vec(pick(VALUE_NAMES, PLAIN_VALUES), 0..3),
        (
            pick(TYPE_NAMES, PLAIN_TYPES),
            prop::collection::vec(
                (pick(VALUE_NAMES, PLAIN_VALUES), prop::bool::weighted(0.25)),
                1..4,
            ),
        ),
        (
            pick(TYPE_NAMES, PLAIN_TYPES),
            prop::collection::vec(
                (pick(VALUE_NAMES, PLAIN_VALUES), prop::bool::weighted(0.25)),
                1..4,
            ),
        ),
        prop::collection::vec(structure(), 1..4),
        pick(TYPE_NAMES, PLAIN_TYPES),
        prop::collection::vec(pick(ATTACH_NAMES, PLAIN_ATTACH), 1..4),
        prop::collection::vec(helper(), 0..4),
        prop::option::of(sibling()),
    )
        .prop_map(
            |(constants, value_enum, verdict_enum, structs, hook, attach, helpers, sibling)| Plan {
                constants,
                value_enum,
                verdict_enum,
                structs,
                hook,
                attach,
                helpers,
                sibling,
            },
        )
}
