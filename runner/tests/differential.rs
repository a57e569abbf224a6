//! Each C test program, compiled with `clang -target bpf` against the generated header
//! and run in rbpf (interpreter and JIT), does exactly what the same policy in Rust
//! does on the host through the bindings and the same helper doubles: the same
//! verdict, helper calls and context writes, and the verdict the table expects.

mod support;

use support::policies::{POLICIES, differences};

#[test]
fn c_programs_in_the_vm_match_rust_policies_on_the_host() {
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for policy in POLICIES {
        assert!(
            policy.cases.len() >= 20,
            "{} has only {} cases",
            policy.source,
            policy.cases.len()
        );
        let elf = support::compile(policy.source, dir.path());
        let program = nethooks_run::load_program(&elf, None)
            .unwrap_or_else(|e| panic!("{}: {e}", policy.source));
        problems.extend(differences(&[&program], policy.rust, policy.cases));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_named_verdict_of_each_hook_is_exercised() {
    // A table that never reaches a verdict could not notice that verdict's value
    // being wrong in one language.
    let mut seen: Vec<&str> = POLICIES
        .iter()
        .flat_map(|p| p.cases.iter().map(|c| c.verdict))
        .collect();
    seen.sort();
    seen.dedup();
    for hook in ebpf_nethooks_bindings::abi::HOOKS {
        for verdict in hook.verdicts {
            assert!(
                seen.contains(&verdict.name),
                "no test case expects {} of {}",
                verdict.name,
                hook.name
            );
        }
    }
}

#[test]
fn a_helper_outside_its_attach_types_fails_the_same_way_in_c_and_rust() {
    // The same connect-authorization policy placed at connect4, where the spec does
    // not offer bpf_sock_addr_get_network_context: the double refuses, both reject.
    let dir = tempfile::tempdir().unwrap();
    let elf = support::compile_with(
        "connect_authorization_policy.c",
        &support::generated_include_dir(),
        dir.path(),
        &["POLICY_SECTION=\"cgroup/connect4\""],
    );
    let program = nethooks_run::load_program(&elf, None).unwrap();
    assert_eq!(program.attach.name, "connect4");
    let cases: Vec<support::policies::Case> = support::policies::CONNECT_AUTHORIZATION_CASES
        .iter()
        .map(|c| support::policies::Case {
            verdict: "BPF_SOCK_ADDR_VERDICT_REJECT",
            ..*c
        })
        .collect();
    let problems = differences(
        &[&program],
        support::policies::raw_connect_authorization_policy,
        &cases,
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
