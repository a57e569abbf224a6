//! Runner throughput on real objects: runs per second of each program of
//! `examples/policies`, built to BPF by `cargo nethooks build`, in the checking
//! interpreter and in the JIT (which, to stay safe, first runs the same input in the
//! interpreter and then compiles and runs the program: the JIT figure is both), and of
//! the same Rust program called natively on the host for scale
//! (`cargo bench -p cargo-nethooks`).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nethooks_run::{Engine, Program};

/// The host's entry points, called as `run_native` calls a policy.
type Native = fn(*mut u8) -> i32;

/// Each program, a context that takes its longest path, and its native entry point.
const PROGRAMS: [(&str, &str, Native); 3] = [
    (
        "deny_bind_to_port",
        "socket_address=hex:02001f90,socket_address_length=16",
        |ctx| unsafe { policies::deny_bind_to_port(ctx.cast()) }.to_raw(),
    ),
    ("block_connect_to_address", "user_ip4=192.0.2.1", |ctx| {
        unsafe { policies::block_connect_to_address(ctx.cast()) }.to_raw()
    }),
    (
        "count_established",
        "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,remote_ip4=1.2.3.4",
        |ctx| unsafe { policies::count_established(ctx.cast()) },
    ),
];

fn object() -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut request = cargo_nethooks::Request::new(root.join("examples/policies/Cargo.toml"));
    request.out = Some(std::env::temp_dir().join("nethooks-bench-policies.bpf.o"));
    let built = cargo_nethooks::build_crate(&request)
        .unwrap_or_else(|e| panic!("cargo nethooks build examples/policies: {e}"));
    std::fs::read(built.object).unwrap()
}

fn throughput(c: &mut Criterion) {
    let elf = object();
    let mut group = c.benchmark_group("runs");
    group.throughput(Throughput::Elements(1));
    for (name, ctx, native) in PROGRAMS {
        let program: Program = nethooks_run::load_program(&elf, Some(name)).unwrap();
        let mut context = nethooks_run::context_for(&program).unwrap();
        context.apply_assignments(ctx).unwrap();
        group.bench_function(format!("{name}/interpreter"), |b| {
            b.iter(|| {
                nethooks_run::run(&program, black_box(&context), Engine::Interpreter).unwrap()
            })
        });
        if nethooks_run::JIT_AVAILABLE
            && nethooks_run::jit_blocker(&program, &context)
                .unwrap()
                .is_none()
        {
            group.bench_function(format!("{name}/interpreter then JIT"), |b| {
                b.iter(|| nethooks_run::run(&program, black_box(&context), Engine::Jit).unwrap())
            });
        }
        group.bench_function(format!("{name}/host (native Rust)"), |b| {
            b.iter(|| {
                nethooks_run::run_native(program.hook, program.attach, black_box(&context), native)
                    .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
