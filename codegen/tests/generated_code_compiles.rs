//! The generator never writes code that does not compile: random valid specs, many
//! of whose names are chosen to collide with what the bindings derive or use
//! (keywords, `core` and prelude names, the generated modules, setters, test
//! doubles, locals of the helper bodies, generic parameters), are generated, and
//! every spec the loader accepts must give Rust bindings that rustc compiles for the
//! host and for `bpfel-unknown-none`, and a C header that gcc and `clang -target
//! bpf` compile. A spec the loader refuses must be refused with diagnostics (the
//! names module's job), never with a panic.
//!
//! Each case that loads runs five compilers (rustc for the host with and without
//! `std` and for BPF, gcc, clang), about 1 s, so the case count is small:
//! `PROPTEST_CASES` (default 8, about 5 s in all), from a fixed seed
//! (`PROPTEST_RNG_SEED` picks others). A failing case is shrunk, and the spec is
//! printed as TOML with the compiler's complaint. `SHOW_REFUSALS=1` prints why each
//! refused spec was refused.

mod support;

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use support::{bpf_system_includes, require_tool};

/// Default number of cases: each one compiles.
const DEFAULT_CASES: u32 = 8;

/// Default seed of the random specs (`PROPTEST_RNG_SEED` chooses another).
const DEFAULT_SEED: u64 = 16;

/// Names for types (structs, enums, the hook) that the bindings' own names are close
/// to or equal to. Some are refused by the loader; the rest must compile.
const TYPE_NAMES: &[&str] = &[
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
const MEMBER_NAMES: &[&str] = &[
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
const RUST_KEYWORDS: &[&str] = &["type", "match", "fn", "ref", "loop"];

/// Names for enumerators and constants.
const VALUE_NAMES: &[&str] = &[
    "MAX", "A", "X", "Ok", "Err", "GET", "value", "Self_", "SIZE", "T0", "size", "STRUCT", "ALL_",
    "None_",
];

/// Names for helpers.
const HELPER_NAMES: &[&str] = &[
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
const PARAM_NAMES: &[&str] = &[
    "ctx", "value", "regs", "result", "size", "data", "A", "T0", "context", "len", "flags", "f",
    "args", "Self_", "GET", "attach", "_regs", "raw",
];

/// Names for attach types: their marker types are UpperCamelCase.
const ATTACH_NAMES: &[&str] = &[
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

#[derive(Clone, Debug)]
enum FieldType {
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
struct Field {
    name: &'static str,
    ty: FieldType,
    array: Option<u8>,
}

#[derive(Clone, Debug)]
enum Member {
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
struct StructPlan {
    name: &'static str,
    members: Vec<Member>,
}

#[derive(Clone, Debug)]
enum ParamType {
    Int(&'static str),
    Enum,
    /// `void*` and then a `uint32_t` size: a buffer.
    Buffer,
    ConstPointer,
}

#[derive(Clone, Debug)]
struct HelperPlan {
    name: &'static str,
    /// Of the hook (context first, only at some attach types), or general.
    of_hook: bool,
    only_first_attach: bool,
    params: Vec<(&'static str, ParamType)>,
    returns: &'static str,
}

/// A spec as a plan; rendered to TOML by [`Plan::toml`], shown as TOML on failure.
#[derive(Clone)]
struct Plan {
    constants: Vec<&'static str>,
    /// Each enum's name and enumerators; an enumerator marked `true` is a
    /// deprecated alias of the enum's first.
    value_enum: (&'static str, Vec<(&'static str, bool)>),
    verdict_enum: (&'static str, Vec<(&'static str, bool)>),
    structs: Vec<StructPlan>,
    hook: &'static str,
    attach: Vec<&'static str>,
    helpers: Vec<HelperPlan>,
    /// A second spec of the run, whose bindings are module `module` of the crate.
    sibling: Option<SiblingPlan>,
}

/// A spec with `rust_module`: constants, structs and general helpers.
#[derive(Clone)]
struct SiblingPlan {
    module: &'static str,
    constants: Vec<&'static str>,
    structs: Vec<StructPlan>,
    helpers: Vec<(&'static str, Vec<(&'static str, &'static str)>)>,
}

impl fmt::Debug for SiblingPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{}", self.toml())
    }
}

impl fmt::Debug for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n# random.toml\n{}", self.toml())?;
        if let Some(sibling) = &self.sibling {
            write!(f, "\n# random_more.toml\n{}", sibling.toml())?;
        }
        Ok(())
    }
}

/// Module names for the sibling spec: names of the root's items and of modules
/// and crates the bindings use.
const MODULE_NAMES: &[&str] = &[
    "general", "maps", "sealed", "ctx", "values", "prelude", "ffi", "mem", "fmt", "ptr", "alpha",
    "value", "marker", "ops", "sync",
];
const PLAIN_MODULES: &[&str] = &["more", "extra"];

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

impl SiblingPlan {
    /// The sibling spec as TOML, with C's rules kept within it (across the two
    /// specs, a name declared twice is for the loader to refuse).
    fn toml(&self) -> String {
        let mut c_names: HashSet<String> = HashSet::new();
        let doc = "doc = \"A thing.\"\n";
        let mut out = format!(
            "[header]\nfile = \"random_more.h\"\nincludes = [\"stdint.h\"]\n\
             rust_module = \"{}\"\ndoc = \"A second random spec.\"\n",
            self.module
        );
        for (i, c) in self.constants.iter().enumerate() {
            let name = unique(&mut c_names, c);
            out.push_str(&format!(
                "\n[[constant]]\nname = \"{name}\"\nvalue = \"{i}\"\n{doc}"
            ));
        }
        let helpers: Vec<String> = (self.helpers.iter())
            .map(|(h, _)| {
                let name = unique(&mut c_names, h);
                c_names.insert(format!("{name}_t"));
                name
            })
            .collect();
        if !helpers.is_empty() {
            let ids = unique(&mut c_names, "more_ids_t");
            out.push_str(&format!("\n[[enum]]\nname = \"{ids}\"\n{doc}"));
        }
        let ids: Vec<String> = (helpers.iter())
            .map(|h| unique(&mut c_names, &format!("{}_ID", h.to_uppercase())))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            out.push_str(&format!(
                "\n[[enum.enumerator]]\nname = \"{id}\"\nvalue = \"{}\"\n{doc}",
                i + 100
            ));
        }
        let mut structs: Vec<String> = Vec::new();
        for s in &self.structs {
            let name = unique(&mut c_names, s.name);
            out.push_str(&struct_toml(&name, s, &structs, "uint32_t"));
            structs.push(name);
        }
        for (((_, params), name), id) in self.helpers.iter().zip(&helpers).zip(&ids) {
            out.push_str(&format!(
                "\n[[helper]]\nname = \"{name}\"\nid = \"{id}\"\n{doc}\n\
                 [helper.returns]\ntype = \"int64_t\"\n{doc}"
            ));
            let mut seen = HashSet::new();
            for (p, ty) in params {
                let p = unique(&mut seen, p);
                out.push_str(&format!(
                    "\n[[helper.param]]\nname = \"{p}\"\ntype = \"{ty}\"\ndirection = \"in\"\n{doc}"
                ));
            }
        }
        out
    }
}

/// Plain names of each kind, which collide with nothing but each other (and are
/// then made unique).
const PLAIN_TYPES: &[&str] = &["alpha_t", "beta_t", "gamma_t", "delta_t"];
const PLAIN_MEMBERS: &[&str] = &["alpha", "beta", "gamma", "delta"];
const PLAIN_VALUES: &[&str] = &["ALPHA", "BETA", "GAMMA", "DELTA"];
const PLAIN_HELPERS: &[&str] = &["do_alpha", "do_beta", "do_gamma", "do_delta"];
const PLAIN_PARAMS: &[&str] = &["arg_alpha", "arg_beta", "arg_gamma", "arg_delta"];
const PLAIN_ATTACH: &[&str] = &["at_alpha", "at_beta", "at_gamma", "at_delta"];

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

fn plan() -> impl Strategy<Value = Plan> {
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

/// Gives each name once: a name already used in `seen` gets the first free
/// `_N` suffix, so the plan's adversarial names stay exact where they can.
fn unique(seen: &mut HashSet<String>, name: &str) -> String {
    let mut candidate = name.to_owned();
    let mut n = 2;
    while !seen.insert(candidate.clone()) {
        candidate = format!("{name}_{n}");
        n += 1;
    }
    candidate
}

impl Plan {
    /// The spec as TOML. C's rules are kept here (one ordinary namespace, member
    /// names unique per struct) so that the loader's verdict is about Rust names.
    fn toml(&self) -> String {
        let mut c_names: HashSet<String> = HashSet::new();
        let mut out = String::new();
        let doc = "doc = \"A thing.\"\n";
        out.push_str(
            "[header]\nfile = \"random.h\"\nincludes = [\"stdint.h\"]\ndoc = \"A random spec.\"\n",
        );
        for (i, c) in self.constants.iter().enumerate() {
            let name = unique(&mut c_names, c);
            out.push_str(&format!(
                "\n[[constant]]\nname = \"{name}\"\nvalue = \"{i}\"\n{doc}"
            ));
        }
        let value_enum = unique(&mut c_names, self.value_enum.0);
        let verdict_enum = unique(&mut c_names, self.verdict_enum.0);
        let mut verdicts = Vec::new();
        for (name, enumerators, out_names) in [
            (&value_enum, &self.value_enum.1, None),
            (&verdict_enum, &self.verdict_enum.1, Some(&mut verdicts)),
        ] {
            out.push_str(&format!("\n[[enum]]\nname = \"{name}\"\n{doc}"));
            let mut names = Vec::new();
            for (v, alias) in enumerators {
                let v = unique(&mut c_names, v);
                out.push_str(&format!("\n[[enum.enumerator]]\nname = \"{v}\"\n"));
                match names.first() {
                    Some(first) if *alias => out.push_str(&format!(
                        "alias_of = \"{first}\"\ndeprecated = \"Use {first}.\"\n{doc}"
                    )),
                    _ => {
                        out.push_str(doc);
                        names.push(v);
                    }
                }
            }
            if let Some(out_names) = out_names {
                *out_names = names;
            }
        }
        let helper_names: Vec<String> = self
            .helpers
            .iter()
            .map(|h| {
                let name = unique(&mut c_names, h.name);
                // The prototype typedef is a C name too.
                c_names.insert(format!("{name}_t"));
                name
            })
            .collect();
        if !helper_names.is_empty() {
            let ids = unique(&mut c_names, "helper_ids_t");
            out.push_str(&format!("\n[[enum]]\nname = \"{ids}\"\n{doc}"));
        }
        let ids: Vec<String> = helper_names
            .iter()
            .map(|h| unique(&mut c_names, &format!("{}_ID", h.to_uppercase())))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            out.push_str(&format!(
                "\n[[enum.enumerator]]\nname = \"{id}\"\nvalue = \"{}\"\n{doc}",
                i + 1
            ));
        }
        let mut structs: Vec<String> = Vec::new();
        for s in &self.structs {
            let name = unique(&mut c_names, s.name);
            out.push_str(&struct_toml(&name, s, &structs, &value_enum));
            structs.push(name);
        }
        let context = &structs[0];
        let hook = unique(&mut c_names, self.hook);
        out.push_str(&format!(
            "\n[[hook]]\nname = \"{hook}\"\nprogram_type = \"EBPF_PROGRAM_TYPE_RANDOM\"\n\
             context = \"{context}\"\nreturns = \"{verdict_enum}\"\n{doc}\n\
             [hook.param]\nname = \"context\"\n{doc}"
        ));
        out.push_str(&format!(
            "\n[[hook.retval]]\nvalue = \"{}\"\n{doc}",
            verdicts[0]
        ));
        let mut attach_seen = HashSet::new();
        let mut attach_names = Vec::new();
        for (i, a) in self.attach.iter().enumerate() {
            let name = unique(&mut attach_seen, a);
            out.push_str(&format!(
                "\n[[hook.attach]]\nname = \"{name}\"\nattach_type = \"EBPF_ATTACH_TYPE_RANDOM_{i}\"\n\
                 section = \"random/{i}\"\n{doc}"
            ));
            attach_names.push(name);
        }
        for ((h, name), id) in self.helpers.iter().zip(&helper_names).zip(&ids) {
            out.push_str(&format!("\n[[helper]]\nname = \"{name}\"\nid = \"{id}\"\n"));
            if h.of_hook {
                out.push_str(&format!("hook = \"{hook}\"\n"));
                if h.only_first_attach {
                    out.push_str(&format!("only_at = [\"{}\"]\n", attach_names[0]));
                }
            }
            out.push_str(doc);
            out.push_str(&format!("\n[helper.returns]\ntype = \"{}\"\n", h.returns));
            if h.returns != "void" {
                out.push_str(doc);
            }
            let mut params = HashSet::new();
            let mut param = |name: &str, ty: &str| {
                let name = unique(&mut params, name);
                format!(
                    "\n[[helper.param]]\nname = \"{name}\"\ntype = \"{ty}\"\ndirection = \"in\"\n{doc}"
                )
            };
            if h.of_hook {
                out.push_str(&param("ctx", &format!("{context}*")));
            }
            for (p, ty) in &h.params {
                match ty {
                    ParamType::Int(ty) => out.push_str(&param(p, ty)),
                    ParamType::Enum => out.push_str(&param(p, &value_enum)),
                    ParamType::Buffer => {
                        out.push_str(&param(p, "void*"));
                        out.push_str(&param("size", "uint32_t"));
                    }
                    ParamType::ConstPointer => {
                        out.push_str(&param(p, &format!("const {}*", structs[structs.len() - 1])))
                    }
                }
            }
        }
        out
    }
}

/// The keys of an anonymous member at `table` (`struct.member`): a keyword as its
/// `rust_name` gets a `_`.
fn anonymous_toml(table: &str, union: bool, rust_name: &str) -> String {
    let kind = if union { "union" } else { "struct" };
    let rust = if RUST_KEYWORDS.contains(&rust_name) {
        format!("{rust_name}_")
    } else {
        rust_name.to_owned()
    };
    format!("\n[[{table}]]\nanonymous = \"{kind}\"\nrust_name = \"{rust}\"\ndoc = \"A thing.\"\n")
}

/// One struct as TOML; `earlier` are the structs before it, `value_enum` the type of
/// its enum members.
fn struct_toml(name: &str, s: &StructPlan, earlier: &[String], value_enum: &str) -> String {
    let doc = "doc = \"A thing.\"\n";
    let mut out = format!("\n[[struct]]\nname = \"{name}\"\n{doc}");
    let mut members = HashSet::new();
    for m in &s.members {
        match m {
            Member::Field(f) => {
                out.push_str("\n[[struct.member]]\n");
                out.push_str(&field_toml(f, &mut members, earlier, value_enum));
            }
            Member::Anonymous {
                union,
                rust_name,
                fields,
                nested,
            } => {
                out.push_str(&anonymous_toml("struct.member", *union, rust_name));
                for f in fields {
                    out.push_str("\n[[struct.member.member]]\n");
                    out.push_str(&field_toml(f, &mut members, earlier, value_enum));
                }
                if let Some((union, rust_name, fields)) = nested {
                    out.push_str(&anonymous_toml("struct.member.member", *union, rust_name));
                    for f in fields {
                        out.push_str("\n[[struct.member.member.member]]\n");
                        out.push_str(&field_toml(f, &mut members, earlier, value_enum));
                    }
                }
            }
        }
    }
    out
}

/// One named member's keys; `members` holds the struct's member names so far.
fn field_toml(
    f: &Field,
    members: &mut HashSet<String>,
    earlier: &[String],
    value_enum: &str,
) -> String {
    let name = unique(members, f.name);
    let mut keys = format!("name = \"{name}\"\n");
    if RUST_KEYWORDS.contains(&f.name) && name == f.name {
        keys.push_str(&format!("rust_name = \"{name}_\"\n"));
    }
    let ty = match &f.ty {
        FieldType::Int(ty) => (*ty).to_owned(),
        FieldType::Enum => value_enum.to_owned(),
        FieldType::VoidPointer => "void*".to_owned(),
        FieldType::StructPointer => match earlier.last() {
            Some(s) => format!("{s}*"),
            None => "void*".to_owned(),
        },
        FieldType::Embedded => match earlier.last() {
            Some(s) => s.clone(),
            None => "uint32_t".to_owned(),
        },
    };
    keys.push_str(&format!("type = \"{ty}\"\n"));
    if let Some(n) = f.array {
        keys.push_str(&format!("array = {n}\n"));
    }
    keys.push_str("doc = \"A member.\"\n");
    keys
}

/// The compilers a case runs, found once.
struct Compilers {
    /// A rustc with a prebuilt `core` for `bpfel-unknown-none` (Debian's rustc-web).
    bpf_rustc: PathBuf,
    host_rustc: PathBuf,
    gcc: PathBuf,
    clang: PathBuf,
    bpf_includes: Vec<String>,
}

fn compilers() -> &'static Compilers {
    static COMPILERS: OnceLock<Compilers> = OnceLock::new();
    COMPILERS.get_or_init(|| {
        let toolchain = cargo_nethooks::toolchain::Search::from_env()
            .find()
            .unwrap_or_else(|e| panic!("no Rust toolchain for BPF: {e}\n{}", support::INSTALL_HINT));
        assert!(
            !toolchain.build_std,
            "{} has no prebuilt `core` for bpfel-unknown-none (Debian's rustc-web with libstd-rust-web-dev-bpf has): {}",
            toolchain.rustc.display(),
            support::INSTALL_HINT
        );
        Compilers {
            bpf_rustc: toolchain.rustc,
            host_rustc: require_tool("rustc"),
            gcc: require_tool("gcc"),
            clang: require_tool("clang"),
            bpf_includes: bpf_system_includes(),
        }
    })
}

/// Runs a compiler; `Err` holds the command and its output when it fails.
fn compile(command: &mut Command) -> Result<(), String> {
    let out = support::output(command);
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{command:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

/// Writes `artifacts` below `dir` and compiles the Rust bindings (host with and
/// without feature `std`, and BPF, warnings denied) and a C file that includes every
/// header of `headers` (gcc, and clang for BPF); `Err` holds the first compiler's
/// complaint.
fn compile_everything(
    artifacts: &[codegen::emit::Artifact],
    headers: &[&str],
    dir: &Path,
) -> Result<(), String> {
    let tools = compilers();
    codegen::output::write_all(dir, artifacts).map_err(|e| e.to_string())?;
    let lib = dir.join("rust/src/lib.rs");
    let rustc = |rustc: &Path, extra: &[&str], out: &str| {
        // The bindings depend on the ABI tables crate, compiled alike.
        let abi = support::abi_crate(rustc, dir, extra, &format!("abi-for-{out}"))?;
        compile(
            Command::new(rustc)
                .args([
                    "--edition",
                    "2024",
                    "--crate-type",
                    "lib",
                    "--crate-name",
                    "bindings",
                ])
                .args(["--emit=metadata", "-D", "warnings", "-o"])
                .arg(dir.join(out))
                .args(extra)
                .args(abi)
                .arg(&lib),
        )
    };
    rustc(
        &tools.host_rustc,
        &["--cfg", "feature=\"std\""],
        "host.rmeta",
    )?;
    rustc(&tools.host_rustc, &[], "host-no-std.rmeta")?;
    rustc(
        &tools.bpf_rustc,
        &["--target", "bpfel-unknown-none"],
        "bpf.rmeta",
    )?;

    let source = dir.join("uses.c");
    let includes: Vec<String> = (headers.iter())
        .map(|h| format!("#include \"{h}\"\n"))
        .collect();
    std::fs::write(&source, includes.concat()).unwrap();
    let include = dir.join("include");
    compile(
        Command::new(&tools.gcc)
            .args([
                "-std=c11",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-fsyntax-only",
                "-I",
            ])
            .arg(&include)
            .arg(&source),
    )?;
    compile(
        Command::new(&tools.clang)
            .args([
                "-target",
                "bpf",
                "-std=c11",
                "-Wall",
                "-Werror",
                "-fsyntax-only",
            ])
            .args(&tools.bpf_includes)
            .arg("-I")
            .arg(&include)
            .arg(&source),
    )
}

#[test]
fn every_spec_that_loads_generates_code_that_compiles() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    // A fixed seed by default, so CI runs the same specs each time; set
    // PROPTEST_RNG_SEED to explore others.
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let mut runner = TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        // Few cases: shrink far enough to print a small spec, not forever.
        max_shrink_iters: 64,
        failure_persistence: None,
        ..Config::default()
    });
    let compiled = std::sync::atomic::AtomicUsize::new(0);
    let result = runner.run(&plan(), |plan| {
        let dir = tempfile::tempdir().unwrap();
        let mut texts = vec![("random.toml", plan.toml())];
        if let Some(sibling) = &plan.sibling {
            texts.push(("random_more.toml", sibling.toml()));
        }
        let specs: Vec<codegen::SpecFile> = (texts.iter())
            .map(|(name, text)| {
                let path = dir.path().join(name);
                std::fs::write(&path, text).unwrap();
                codegen::SpecFile {
                    path,
                    source_name: (*name).to_owned(),
                }
            })
            .collect();
        let out = dir.path().join("out");
        match codegen::generate_all(&specs, &codegen::emit::Kind::ALL) {
            Ok(artifacts) => {
                let headers: Vec<&str> = (texts.iter())
                    .map(|(name, _)| match *name {
                        "random.toml" => "random.h",
                        _ => "random_more.h",
                    })
                    .collect();
                if let Err(complaint) = compile_everything(&artifacts, &headers, &out) {
                    return Err(TestCaseError::fail(complaint));
                }
                compiled.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Err(errors) => {
                // Refused: with located diagnostics, which is all a refusal owes.
                for error in &errors {
                    let codegen::Error::Spec(errors) = error else {
                        return Err(TestCaseError::fail(format!("not a spec error: {error}")));
                    };
                    if std::env::var_os("SHOW_REFUSALS").is_some() {
                        for d in &errors.diagnostics {
                            eprintln!("REFUSED: {}", d.message);
                        }
                    }
                    prop_assert!(!errors.diagnostics.is_empty());
                    let location = format!("--> {}:", errors.path);
                    prop_assert!(errors.render().contains(&location));
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // The names are adversarial, but many specs must still load and be compiled,
    // or this test would prove nothing.
    let compiled = compiled.into_inner();
    assert!(
        compiled * 4 >= cases as usize && compiled > 0,
        "only {compiled} of {cases} random specs loaded; make the generator produce valid specs"
    );
}

/// The member and enumerator limits (README, "Limits") are safe: a struct of 1024
/// members and an enum of 1024 enumerators, the most a spec may have, compile.
#[test]
fn a_struct_and_an_enum_at_their_limits_compile() {
    const LIMIT: usize = 1024;
    let mut text = String::from(
        "[header]\nfile = \"limits.h\"\nincludes = [\"stdint.h\"]\ndoc = \"At the limits.\"\n\n\
         [[enum]]\nname = \"big_e\"\ndoc = \"The most enumerators.\"\nenumerator = [\n",
    );
    for i in 0..LIMIT {
        text.push_str(&format!(
            "{{ name = \"BIG_{i}\", doc = \"Value {i}.\" }},\n"
        ));
    }
    text.push_str(
        "]\n\n[[struct]]\nname = \"big_t\"\ndoc = \"The most members.\"\nmember = [\n\
         { name = \"kind\", type = \"big_e\", doc = \"An enum member.\" },\n",
    );
    for i in 1..LIMIT {
        text.push_str(&format!(
            "{{ name = \"m{i}\", type = \"uint8_t\", doc = \"Member {i}.\" }},\n"
        ));
    }
    text.push_str("]\n");
    let model = codegen::load_str(&text, "limits.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(model.structs[0].members.len(), LIMIT);
    assert_eq!(model.enums[0].enumerators.len(), LIMIT);
    let dir = tempfile::tempdir().unwrap();
    let artifacts = codegen::emit::all(&model).unwrap_or_else(|e| panic!("{e}"));
    if let Err(complaint) = compile_everything(&artifacts, &["limits.h"], dir.path()) {
        panic!("{complaint}");
    }
    // One more of each is refused.
    let over = text
        .replacen(
            "enumerator = [\n",
            "enumerator = [\n{ name = \"BIG_X\", doc = \"One more.\" },\n",
            1,
        )
        .replacen(
            "member = [\n",
            "member = [\n{ name = \"mx\", type = \"uint8_t\", doc = \"One more.\" },\n",
            1,
        );
    let errors = codegen::load_str(&over, "limits.toml").unwrap_err();
    let mut messages: Vec<&str> = errors
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    messages.sort_unstable();
    assert_eq!(
        messages,
        [
            "enum `big_e` has 1025 enumerators, more than 1024",
            "struct `big_t` has 1025 members, more than 1024"
        ]
    );
}
