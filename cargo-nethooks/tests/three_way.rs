//! The three-way differential: each C program of `tests/programs/` compiled by clang,
//! its Rust twin (`tests/programs/twins`) built to BPF by `cargo nethooks build`, both
//! run in the VM (interpreter and, where it can, JIT), and the Rust twin run natively
//! on the host give the same verdicts, helper calls and context writes, over the
//! context tables of `runner/tests/support/policies.rs` and over random contexts.
//! `examples/policies` is built to BPF the same way and checked against the host.

#[path = "../../runner/tests/support/mod.rs"]
mod support;

mod common;

use std::path::Path;
use std::sync::OnceLock;

use nethooks_run::{Environment, Program};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use support::policies::{Case, Effect, POLICIES, RawPolicy, differences, disagreement};

/// Builds the crate at `manifest` (relative to the workspace) once per test run.
fn build(manifest: &str, cell: &'static OnceLock<Vec<u8>>) -> &'static [u8] {
    cell.get_or_init(|| {
        let name = Path::new(manifest)
            .parent()
            .and_then(Path::file_name)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let built = common::build_to_bpf(manifest, &format!("{name}.bpf.o"));
        std::fs::read(&built.object).unwrap()
    })
}

fn twins() -> &'static [u8] {
    static TWINS: OnceLock<Vec<u8>> = OnceLock::new();
    build("tests/programs/twins/Cargo.toml", &TWINS)
}

fn example_policies() -> &'static [u8] {
    static POLICIES_OBJECT: OnceLock<Vec<u8>> = OnceLock::new();
    build("examples/policies/Cargo.toml", &POLICIES_OBJECT)
}

/// Each C program with its Rust twin from the BPF object (same function name).
fn pairs(dir: &Path) -> Vec<(Program, Program, RawPolicy, &'static [Case])> {
    POLICIES
        .iter()
        .map(|policy| {
            let c = nethooks_run::load_program(&support::compile(policy.source, dir), None)
                .unwrap_or_else(|e| panic!("{}: {e}", policy.source));
            let rust = nethooks_run::load_program(twins(), Some(&c.name))
                .unwrap_or_else(|e| panic!("the Rust twin of {}: {e}", policy.source));
            (c, rust, policy.rust, policy.cases)
        })
        .collect()
}

#[test]
fn c_objects_rust_objects_and_rust_on_the_host_agree_on_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for (c, rust, native, cases) in pairs(dir.path()) {
        assert!(
            cases.len() >= 20,
            "{} has only {} cases",
            c.name,
            cases.len()
        );
        assert_eq!(
            (c.hook.name, c.attach.name),
            (rust.hook.name, rust.attach.name)
        );
        problems.extend(differences(&[&c, &rust], native, cases));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_three_agree_on_a_thousand_random_contexts_per_program() {
    let dir = tempfile::tempdir().unwrap();
    for (c, rust, native, _) in pairs(dir.path()) {
        let size = nethooks_run::context_for(&c).unwrap().bytes().len();
        let mut runner = TestRunner::new(Config {
            cases: 1000,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&proptest::collection::vec(0u8..=255, size), |bytes| {
            let mut context = nethooks_run::context_for(&c).unwrap();
            context.bytes_mut().copy_from_slice(&bytes);
            disagreement(&[&c, &rust], native, &context, Environment::DEFAULT)
                .map(|_| ())
                .map_err(TestCaseError::fail)
        });
        if let Err(e) = result {
            panic!("{}: {e}", c.name);
        }
    }
}

// ---------------------------------------------------------------------------
// examples/policies, built to BPF: the same verdicts and calls as on the host.
// ---------------------------------------------------------------------------

fn raw_deny_bind_to_port(ctx: *mut u8) -> i32 {
    unsafe { policies::deny_bind_to_port(ctx.cast()) }.to_raw()
}
fn raw_block_connect_to_address(ctx: *mut u8) -> i32 {
    unsafe { policies::block_connect_to_address(ctx.cast()) }.to_raw()
}

const fn case(ctx: &'static str, verdict: &'static str) -> Case {
    support::case::case(ctx, verdict, Effect::Nothing)
}

const DENY: &str = "BIND_DENY";
const SOFT: &str = "BIND_PERMIT_SOFT";
const REJECT: &str = "BPF_SOCK_ADDR_VERDICT_REJECT";
const HARD: &str = "BPF_SOCK_ADDR_VERDICT_PROCEED_HARD";

// The port is at bytes 2..3 of socket_address (network order: 8080 = 1f90), read
// only when socket_address_length holds it.
const DENY_BIND_CASES: &[Case] = &[
    case("socket_address=hex:02001f90,socket_address_length=16", DENY),
    case("socket_address=hex:02001f90,socket_address_length=4", DENY),
    case(
        "socket_address=hex:02001f90,socket_address_length=255",
        DENY,
    ),
    case("socket_address=hex:17001f90,socket_address_length=28", DENY),
    case("socket_address=hex:02001f90,socket_address_length=3", SOFT),
    case("socket_address=hex:02001f90,socket_address_length=0", SOFT),
    case("socket_address=hex:02001f90", SOFT),
    case("socket_address=hex:0200901f,socket_address_length=16", SOFT),
    case("socket_address=hex:02001f91,socket_address_length=16", SOFT),
    case("socket_address=hex:02001e90,socket_address_length=16", SOFT),
    case("socket_address=hex:02000050,socket_address_length=16", SOFT),
    case("socket_address=hex:0200ffff,socket_address_length=16", SOFT),
    case("socket_address=hex:02000000,socket_address_length=16", SOFT),
    case(
        "socket_address=hex:02001f90,socket_address_length=16,operation=BIND_OPERATION_POST_BIND",
        SOFT,
    ),
    case(
        "socket_address=hex:02001f90,socket_address_length=16,operation=BIND_OPERATION_UNBIND",
        SOFT,
    ),
    case(
        "socket_address=hex:02001f90,socket_address_length=16,operation=7",
        SOFT,
    ),
    case(
        "socket_address=hex:02001f90,socket_address_length=16,protocol=17",
        DENY,
    ),
    case(
        "socket_address=hex:02001f90,socket_address_length=16,process_id=4",
        DENY,
    ),
    case(
        "socket_address=hex:ffff1f90ffffffff,socket_address_length=16",
        DENY,
    ),
    case("socket_address_length=16", SOFT),
    case("", SOFT),
];

// 192.0.2.1 is blocked; every other address proceeds hard.
const BLOCK_CONNECT_CASES: &[Case] = &[
    case("user_ip4=192.0.2.1,user_port=net:443", REJECT),
    case("user_ip4=192.0.2.1,user_port=net:80", REJECT),
    case("user_ip4=192.0.2.1", REJECT),
    case("user_ip4=192.0.2.1,family=2,protocol=6", REJECT),
    case("user_ip4=192.0.2.1,msg_src_ip4=192.0.2.1", REJECT),
    case("user_ip6=c000:201::", REJECT),
    case("user_ip4=192.0.2.2,user_port=net:443", HARD),
    case("user_ip4=192.0.2.0,user_port=net:443", HARD),
    case("user_ip4=192.0.3.1,user_port=net:443", HARD),
    case("user_ip4=193.0.2.1,user_port=net:443", HARD),
    case("user_ip4=1.2.0.192,user_port=net:443", HARD),
    case("user_ip4=127.0.0.1", HARD),
    case("user_ip4=0.0.0.0", HARD),
    case("user_ip4=255.255.255.255", HARD),
    case("msg_src_ip4=192.0.2.1", HARD),
    case("user_ip6=::ffff:192.0.2.1", HARD),
    case("user_ip6=::1", HARD),
    case("family=23,user_ip6=2001:db8::1", HARD),
    case("user_port=net:443", HARD),
    case("compartment_id=1,user_ip4=10.0.0.1", HARD),
    case("", HARD),
];

#[test]
fn examples_policies_built_to_bpf_agree_with_the_host() {
    let object = example_policies();
    let mut problems = Vec::new();
    let tables: [(&str, RawPolicy, &[Case]); 2] = [
        ("deny_bind_to_port", raw_deny_bind_to_port, DENY_BIND_CASES),
        (
            "block_connect_to_address",
            raw_block_connect_to_address,
            BLOCK_CONNECT_CASES,
        ),
    ];
    for (name, native, cases) in tables {
        assert!(cases.len() >= 20, "{name} has only {} cases", cases.len());
        let program = nethooks_run::load_program(object, Some(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        problems.extend(differences(&[&program], native, cases));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn raw_count_established(ctx: *mut u8) -> i32 {
    unsafe { policies::count_established(ctx.cast()) }
}

/// Connection events in `--ctx` syntax. The flow-ID double derives the flow from the
/// ports and the remote IPv4 address only, so a repeated context, or one that differs
/// in another member (`interface_luid`), is a repeated notice of the last flow.
const EVENTS: &[&str] = &[
    "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,local_port=net:5000,remote_ip4=1.1.1.1",
    "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,local_port=net:5000,remote_ip4=1.1.1.1",
    "op=BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,local_port=net:22,remote_ip4=10.0.0.9",
    "op=BPF_SOCK_OPS_CONNECTION_DELETED_CB,local_port=net:22,remote_ip4=10.0.0.9",
    "op=BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,local_port=net:22,remote_ip4=10.0.0.9",
    "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,local_port=net:5001,remote_ip4=1.1.1.1",
    "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,local_port=net:5001,remote_ip4=1.1.1.1",
    "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,local_port=net:5000,remote_ip4=1.1.1.1",
    "op=99,local_port=net:6000",
    "op=-1",
    "op=BPF_SOCK_OPS_CONNECTION_DELETED_CB,local_port=net:5000,remote_ip4=1.1.1.1",
    "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,remote_port=net:443,remote_ip4=8.8.8.8",
    "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,remote_port=net:443,remote_ip4=8.8.4.4",
    "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,remote_port=net:443,remote_ip4=8.8.4.4",
    "op=BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,remote_port=net:80,remote_ip4=192.0.2.1",
    "op=BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,remote_port=net:80,remote_ip4=192.0.2.2",
    "op=BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,remote_port=net:80,remote_ip4=192.0.2.2",
    "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,interface_luid=0xFFFFFFFFFFFFFFFF",
    "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,interface_luid=0x1",
    "op=BPF_SOCK_OPS_CONNECTION_DELETED_CB",
    "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,local_port=net:5000,remote_ip4=1.1.1.1",
];

#[test]
fn examples_count_established_counts_the_same_in_the_vm_as_on_the_host() {
    // The program keeps its count in a static: in the VM, global data that persists
    // across runs of one loaded program; on the host, the crate's own static.
    let program = nethooks_run::load_program(example_policies(), Some("count_established"))
        .unwrap_or_else(|e| panic!("count_established: {e}"));
    let host_start = policies::established_connections();
    let mut vm_count = 0u64;
    for (i, event) in EVENTS.iter().enumerate() {
        let mut context = nethooks_run::context_for(&program).unwrap();
        context.apply_assignments(event).unwrap();
        let (vm, _) = nethooks_run::run_checked(&program, &context)
            .unwrap_or_else(|e| panic!("event {i} ({event}): {e}"));
        let host = nethooks_run::run_native(
            program.hook,
            program.attach,
            &context,
            raw_count_established,
        )
        .unwrap_or_else(|e| panic!("event {i} ({event}) on the host: {e}"));
        assert_eq!(
            (&vm.verdict, &vm.calls, &vm.writes),
            (&host.verdict, &host.calls, &host.writes),
            "event {i} ({event})"
        );
        if let Some(write) = vm
            .global_writes
            .iter()
            .find(|w| w.name == "policies::ESTABLISHED")
        {
            vm_count = u64::from_le_bytes(write.after.as_slice().try_into().unwrap());
        }
        assert_eq!(
            vm_count,
            policies::established_connections() - host_start,
            "count after event {i} ({event})"
        );
    }
    assert_eq!(vm_count, 10, "the events hold 10 new connections");
}
