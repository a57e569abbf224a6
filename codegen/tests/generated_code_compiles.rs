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
//!
//! The parts, in `generated_code_compiles/`: the name pools (`names`), the plan of
//! a random spec and its strategies (`plan`), the plan as spec TOML (`render`), and
//! the compilers a case must satisfy (`compilers`).

#[path = "generated_code_compiles/compilers.rs"]
mod compilers;
#[path = "generated_code_compiles/names.rs"]
mod names;
#[path = "generated_code_compiles/plan.rs"]
mod plan;
#[path = "generated_code_compiles/render.rs"]
mod render;
mod support;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

use compilers::compile_everything;
use plan::plan;

/// Default number of cases: each one compiles.
const DEFAULT_CASES: u32 = 8;

/// Default seed of the random specs (`PROPTEST_RNG_SEED` chooses another).
const DEFAULT_SEED: u64 = 16;

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
