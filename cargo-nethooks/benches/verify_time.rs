//! Verification time (`cargo bench -p cargo-nethooks --bench verify_time`): every C
//! test program that eBPF for Windows would load and every Rust hook crate of the
//! workspace, through `nethooks-verifier` as `cargo nethooks verify` runs it. Prints
//! PREVAIL's time for each program, then measures one driver run over all objects
//! (process start, tables, ELF parsing and all analyses): the goal is under 2 s.

use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_nethooks::verify::{self, Outcome};
use criterion::{Criterion, criterion_group, criterion_main};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// The C programs of `tests/programs` (and its `maps/`) that are meant to load.
fn c_objects(dir: &Path) -> Vec<PathBuf> {
    let multiarch = Command::new("gcc").arg("-print-multiarch").output();
    let multiarch = multiarch.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let multiarch = multiarch.unwrap_or_else(|e| panic!("gcc: {e}: run `bash .ci/install-deps`"));
    let programs = root().join("tests/programs");
    let sources = [
        "bind_policy.c",
        "connect4_policy.c",
        "connect6_policy.c",
        "connect_authorization_policy.c",
        "redirect_context_policy.c",
        "sockops_flow.c",
        "atomic_counter.c",
        "bpf_to_bpf_call.c",
        "call_in_section.c",
        "app_id_compare.c",
        "global_counter.c",
        "global_variable.c",
        "static_counter.c",
        "two_programs.c",
        "maps/audit.c",
        "maps/connect_policy.c",
        "maps/general_helpers.c",
        "maps/process_counters.c",
        "maps/shared_state.c",
        "helpers/memory_macros.c",
    ];
    sources
        .iter()
        .map(|source| {
            let object = dir.join(source.replace('/', "__")).with_extension("o");
            let status = Command::new("clang")
                .args(["-O2", "-g", "-target", "bpf", "-c"])
                .arg(format!("-I{}", programs.join("include").display()))
                .arg(format!("-I{}", root().join("generated/include").display()))
                .arg(format!("-I/usr/include/{multiarch}"))
                .arg(programs.join(source))
                .arg("-o")
                .arg(&object)
                .status()
                .unwrap_or_else(|e| panic!("clang: {e}: run `bash .ci/install-deps`"));
            assert!(status.success(), "clang failed on {source}");
            object
        })
        .collect()
}

fn rust_objects(dir: &Path) -> Vec<PathBuf> {
    [
        "examples/policies",
        "examples/map_policy",
        "tests/programs/twins",
        "tests/programs/maps/twins",
        "tests/hook_programs",
    ]
    .iter()
    .map(|manifest| {
        let mut request = cargo_nethooks::Request::new(root().join(manifest).join("Cargo.toml"));
        request.out = Some(dir.join(format!("{}.bpf.o", manifest.replace('/', "_"))));
        cargo_nethooks::build_crate(&request)
            .unwrap_or_else(|e| panic!("cargo nethooks build {manifest}: {e}"))
            .object
    })
    .collect()
}

fn verification(c: &mut Criterion) {
    let dir = std::env::temp_dir().join("nethooks-bench-verify");
    std::fs::create_dir_all(&dir).unwrap();
    let mut objects = c_objects(&dir);
    objects.extend(rust_objects(&dir));
    let driver = verify::find_driver().unwrap_or_else(|e| panic!("{e}"));

    let report = verify::verify(&driver, &objects).unwrap();
    assert!(report.all_verified(), "{}", report.human());
    let mut micros: Vec<u64> = report.programs.iter().map(|v| v.micros).collect();
    for v in &report.programs {
        let Outcome::Verified { .. } = v.outcome else {
            unreachable!()
        };
        println!(
            "{:>8} us  {:>4} instructions  {} ({})",
            v.micros,
            v.instructions,
            v.program,
            v.object.file_name().unwrap().to_string_lossy()
        );
    }
    micros.sort_unstable();
    println!(
        "{} programs in {} objects: PREVAIL total {} us, median {} us, max {} us",
        micros.len(),
        objects.len(),
        micros.iter().sum::<u64>(),
        micros[micros.len() / 2],
        micros[micros.len() - 1]
    );

    let mut group = c.benchmark_group("verify");
    group.sample_size(10);
    group.bench_function("all test objects, one driver run", |b| {
        b.iter(|| verify::verify(&driver, &objects).unwrap())
    });
    let one = [objects[0].clone()];
    group.bench_function("one program (bind_policy.c), one driver run", |b| {
        b.iter(|| verify::verify(&driver, &one).unwrap())
    });
    group.finish();
}

criterion_group!(benches, verification);
criterion_main!(benches);
