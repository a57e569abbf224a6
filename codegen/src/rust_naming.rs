//! How the Rust bindings name what they derive from the spec: pure functions from
//! spec names to Rust names, and the names the bindings define or use themselves.
//!
//! The Rust emitter (`emit::rust::names`) writes these names and the resolver
//! (`resolve::names`) checks them for collisions; both take them from here, so
//! neither imports the other and a rule changed here changes both.

/// The marker type of an attach type in the `hooks` module: its short name in
/// UpperCamelCase (`close_quietly6` -> `CloseQuietly6`).
pub fn marker_type(attach_name: &str) -> String {
    upper_camel(attach_name)
}

/// The trait of the attach types a hook helper is available at
/// (`bpf_sock_ops_get_flow_id` -> `HasBpfSockOpsGetFlowId`).
pub fn availability_trait(helper_name: &str) -> String {
    format!("Has{}", upper_camel(helper_name))
}

/// The type of a helper's host test double in `testing` (`<helper>_double`).
pub fn test_double(helper_name: &str) -> String {
    format!("{helper_name}_double")
}

/// The static in `testing` that holds a helper's installed test double (`<HELPER>`).
pub fn test_double_slot(helper_name: &str) -> String {
    helper_name.to_uppercase()
}

/// The function that calls a helper on the host: `testing::call_<helper>` reaches
/// its test double, `abi::call_<helper>` its binding with BPF registers.
pub fn host_call(helper_name: &str) -> String {
    format!("call_{helper_name}")
}

/// The setter of a struct member (`set_<member>`); its getter has the member's name.
pub fn setter(field: &str) -> String {
    format!("set_{field}")
}

/// The type generated for an anonymous member of `owner`
/// (`bpf_sock_addr_t`, `source` -> `bpf_sock_addr_source_t`).
pub fn anonymous_type(owner: &str, rust_name: &str) -> String {
    let base = owner.strip_suffix("_t").unwrap_or(owner);
    format!("{base}_{rust_name}_t")
}

/// The table types of every `abi` module (defined by the ABI tables crate and
/// re-exported by the crate root's `abi`, which a sibling spec's re-exports).
pub const ABI_TYPES: [&str; 7] = [
    "AttachInfo",
    "HelperInfo",
    "HookInfo",
    "MemberLayout",
    "NamedValue",
    "ParamInfo",
    "StructLayout",
];

/// The constants every `abi` module defines beside the glob import of its spec's
/// items.
pub const ABI_VALUES: [&str; 5] = ["STRUCTS", "CONSTANTS", "ENUMERATORS", "HOOKS", "HELPERS"];

/// The modules of every spec's bindings (the crate root's or a sibling's module).
pub const SPEC_MODULES: [&str; 2] = ["testing", "abi"];

/// The helpers' seam at the crate root: its type (`HelperId`) and, in `testing`
/// (which sees the root's types), the dispatcher's type.
pub const SEAM_TYPES: [&str; 2] = ["HelperId", "Dispatch"];

/// The static of the dispatcher in the root's `testing`, beside the test doubles'.
pub const SEAM_SLOT: &str = "DISPATCH";

/// The modules only the crate root has: `hooks`, and `testing::this_thread`.
pub const ROOT_MODULES: [&str; 2] = ["hooks", "this_thread"];

/// The crates the bindings' paths start from (`core::mem`, `std::thread_local!`).
pub const CRATES: [&str; 3] = ["core", "std", "alloc"];

/// Names the bindings use unqualified where a spec's types are in scope (`Option`
/// in the test doubles, `Default` and the integer types everywhere, `core::` and
/// `std::` paths, the atomics of `testing`): a spec type of that name would
/// shadow them.
pub const USED_TYPES: [&str; 27] = [
    "core",
    "std",
    "alloc",
    "Option",
    "Default",
    "Self",
    "AtomicPtr",
    "Ordering",
    "bool",
    "char",
    "str",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f32",
    "f64",
    "Cell",
    "PhantomData",
];

/// Values the bindings use unqualified beside a spec's values.
pub const USED_VALUES: [&str; 3] = ["Some", "None", "check_layout"];

/// The locals and parameters the bindings bind where a spec's values are in scope:
/// a constant, enumerator or newtype of that name would turn the binding into a
/// pattern (a constant `value` makes a setter's parameter `value` a constant
/// pattern, which does not compile).
pub const BOUND_LOCALS: [&str; 13] = [
    "raw", "value", "double", "f", "other", "helper", "result", "regs", "_regs", "x", "what",
    "actual", "expected",
];

/// What a closed (verdict) enum defines beside its variants.
pub const VERDICT_ITEMS: [&str; 3] = ["ALL", "to_raw", "from_raw"];

/// The items of the `hooks` module that every spec's has (its prelude and
/// `Context`).
pub const HOOKS_ITEMS: [&str; 6] = [
    "AttachPoint",
    "Context",
    "PlainData",
    "PhantomData",
    "Deref",
    "DerefMut",
];

/// The methods `hooks::Context` has beside one per hook helper.
pub const CONTEXT_METHODS: [&str; 3] = ["new", "from_raw", "into_inner"];

/// Local names in the bodies of a helper's bindings (`let helper`, `let raw`,
/// `Some(double)`) that a parameter of the same name would shadow.
pub const HELPER_LOCALS: [&str; 5] = ["helper", "raw", "double", "Some", "None"];

/// The attribute of a hook in the macros crate, re-exported by the facade: the hook's
/// typedef name without `_t` (`door_hook_t` -> `door_hook`).
pub fn attribute(hook_name: &str) -> String {
    hook_name.strip_suffix("_t").unwrap_or(hook_name).to_owned()
}

/// The macros the facade crate defines itself beside the hook attributes it
/// re-exports, and the macros crate's table of hooks beside its attribute functions.
pub const FACADE_MACROS: [&str; 3] = ["map", "bpf_printk", "__bpf_printk"];
pub const MACRO_CRATE_VALUES: [&str; 1] = ["HOOKS"];

/// The facade crate's own modules, beside the bindings it re-exports.
pub const FACADE_MODULES: [&str; 2] = ["helpers", "maps"];

/// `snake_case` -> `UpperCamelCase`; empty parts (`a__b`) are dropped.
pub fn upper_camel(name: &str) -> String {
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}
