//! The names the random specs are made of: pools of names that collide with what
//! the bindings derive or use, and plain names that collide with nothing.

/// Names for types (structs, enums, the hook) that the bindings' own names are close
/// to or equal to. Some are refused by the loader; the rest must compile.
pub const TYPE_NAMES: &[&str] = &[
    "A",
    "T0",
    "T1",
    "Result",
    "String",
    "Vec",
    "Box",
    "Send",
    "Sized",
    "Copy",
    "Clone",
    "Debug",
    "Drop",
    "Fn",
    "hooks_t",
    "testing_t",
    "abi_t",
    "general",
    "sealed",
    "Sealed",
    "Context_t",
    "AttachPoint_t",
    "PlainData_t",
    "StructLayout_t",
    "Option_t",
    "ctx",
    "value",
    "data",
    "size",
    "mem",
    "ffi",
    "fmt",
    "f",
    "ptr",
    "this_thread_t",
    "Connect4",
    "HasGet",
    "get_double",
    "call_get",
    "GET",
];

/// Names for struct members: accessor-like names, keywords (given a `rust_name`),
/// names of locals and parameters of the generated code.
pub const MEMBER_NAMES: &[&str] = &[
    "value",
    "fmt",
    "clone",
    "get",
    "set",
    "set_set",
    "ctx",
    "A",
    "T0",
    "size",
    "data",
    "len",
    "raw",
    "helper",
    "from_raw",
    "to_raw",
    "into_inner",
    "f",
    "self_",
    "type",
    "match",
    "fn",
    "ref",
    "loop",
    "port",
    "set_port",
    "Self_",
    "debug_struct",
    "finish",
    "field",
    "zeroed",
    "context",
    "attach",
];

/// Rust keywords among [`MEMBER_NAMES`]: the spec states a `rust_name` for them.
pub const RUST_KEYWORDS: &[&str] = &["type", "match", "fn", "ref", "loop"];

/// Names for enumerators and constants.
pub const VALUE_NAMES: &[&str] = &[
    "MAX", "A", "X", "Ok", "Err", "GET", "value", "Self_", "SIZE", "T0", "size", "STRUCT", "ALL_",
    "None_",
];

/// Names for helpers.
pub const HELPER_NAMES: &[&str] = &[
    "get",
    "deref",
    "deref_mut",
    "fmt",
    "set",
    "call",
    "helper",
    "set_get",
    "call_get",
    "get_double",
    "put",
    "A",
    "T0",
    "value",
    "drop",
    "clone",
];

/// Names for helper parameters: locals of the generated bodies and generics.
pub const PARAM_NAMES: &[&str] = &[
    "ctx", "value", "regs", "result", "size", "data", "A", "T0", "context", "len", "flags", "f",
    "args", "Self_", "GET", "attach", "_regs", "raw",
];

/// Names for attach types: their marker types are UpperCamelCase.
pub const ATTACH_NAMES: &[&str] = &[
    "connect4",
    "hooks",
    "A",
    "T0",
    "sealed",
    "Sealed",
    "bind",
    "has_get",
    "u32",
    "phantom",
    "context_t",
];

/// Module names for the sibling spec: names of the root's items and of modules
/// and crates the bindings use.
pub const MODULE_NAMES: &[&str] = &[
    "general", "maps", "sealed", "ctx", "values", "prelude", "ffi", "mem", "fmt", "ptr", "alpha",
    "value", "marker", "ops", "sync",
];
pub const PLAIN_MODULES: &[&str] = &["more", "extra"];

/// Plain names of each kind, which collide with nothing but each other (and are
/// then made unique).
pub const PLAIN_TYPES: &[&str] = &["alpha_t", "beta_t", "gamma_t", "delta_t"];
pub const PLAIN_MEMBERS: &[&str] = &["alpha", "beta", "gamma", "delta"];
pub const PLAIN_VALUES: &[&str] = &["ALPHA", "BETA", "GAMMA", "DELTA"];
pub const PLAIN_HELPERS: &[&str] = &["do_alpha", "do_beta", "do_gamma", "do_delta"];
pub const PLAIN_PARAMS: &[&str] = &["arg_alpha", "arg_beta", "arg_gamma", "arg_delta"];
pub const PLAIN_ATTACH: &[&str] = &["at_alpha", "at_beta", "at_gamma", "at_delta"];
