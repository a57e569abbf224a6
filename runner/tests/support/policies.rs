//! The test policies written twice: in C (`tests/programs/*.c`, run in the VM) and in
//! Rust (`tests/programs/twins`, the crate `policy-twins`, run natively through the
//! generated entry points, the bindings' accessors and the shared helper doubles, and
//! built to BPF), each with a table of contexts and the verdict and effect expected.

use nethooks_run::{Program, context::hex};
use policy_twins::{
    bind_policy, bind4_helpers_policy, connect_authorization_policy, connect4_policy,
    connect6_policy, redirect_context_policy, sockops_flow,
};

/// A Rust policy as the harness calls it: the context's address in, the raw verdict out.
pub type RawPolicy = fn(*mut u8) -> i32;

// Each calls the entry point the attribute generated, as the extension would.
pub fn raw_bind_policy(ctx: *mut u8) -> i32 {
    unsafe { bind_policy(ctx.cast()) }.to_raw()
}
pub fn raw_connect4_policy(ctx: *mut u8) -> i32 {
    unsafe { connect4_policy(ctx.cast()) }.to_raw()
}
pub fn raw_connect6_policy(ctx: *mut u8) -> i32 {
    unsafe { connect6_policy(ctx.cast()) }.to_raw()
}
pub fn raw_connect_authorization_policy(ctx: *mut u8) -> i32 {
    unsafe { connect_authorization_policy(ctx.cast()) }.to_raw()
}
pub fn raw_redirect_context_policy(ctx: *mut u8) -> i32 {
    unsafe { redirect_context_policy(ctx.cast()) }.to_raw()
}
pub fn raw_bind4_helpers_policy(ctx: *mut u8) -> i32 {
    unsafe { bind4_helpers_policy(ctx.cast()) }.to_raw()
}
pub fn raw_sockops_flow(ctx: *mut u8) -> i32 {
    unsafe { sockops_flow(ctx.cast()) }
}

// ---------------------------------------------------------------------------
// The tables.
// ---------------------------------------------------------------------------

/// A policy: its C source, the Rust function, and its table.
pub struct Policy {
    pub source: &'static str,
    pub rust: RawPolicy,
    pub cases: &'static [Case],
}

pub use super::case::{Case, Effect};
pub use super::cases::*;
pub use super::sock_addr_cases::*;

pub const POLICIES: &[Policy] = &[
    Policy {
        source: "bind_policy.c",
        rust: raw_bind_policy,
        cases: BIND_CASES,
    },
    Policy {
        source: "connect4_policy.c",
        rust: raw_connect4_policy,
        cases: CONNECT4_CASES,
    },
    Policy {
        source: "connect6_policy.c",
        rust: raw_connect6_policy,
        cases: CONNECT6_CASES,
    },
    Policy {
        source: "connect_authorization_policy.c",
        rust: raw_connect_authorization_policy,
        cases: CONNECT_AUTHORIZATION_CASES,
    },
    Policy {
        source: "redirect_context_policy.c",
        rust: raw_redirect_context_policy,
        cases: REDIRECT_CONTEXT_CASES,
    },
    Policy {
        source: "bind4_helpers_policy.c",
        rust: raw_bind4_helpers_policy,
        cases: BIND4_HELPERS_CASES,
    },
    Policy {
        source: "sockops_flow.c",
        rust: raw_sockops_flow,
        cases: SOCKOPS_CASES,
    },
];

// ---------------------------------------------------------------------------
// The differential harness.
// ---------------------------------------------------------------------------

/// Runs every case through each object's program in the VM (interpreter and JIT:
/// the C program, and the Rust twin built to BPF when given) and through the Rust
/// policy on the host; returns one line per disagreement or unexpected result.
pub fn differences(programs: &[&Program], rust: RawPolicy, cases: &[Case]) -> Vec<String> {
    let mut problems = Vec::new();
    for case in cases {
        let mut problem =
            |what: String| problems.push(format!("{} [{}]: {what}", programs[0].section, case.ctx));
        let mut context = nethooks_run::Context::zeroed(programs[0].hook.context).unwrap();
        if let Err(e) = context.apply_assignments(case.ctx) {
            problem(format!("bad test context: {e}"));
            continue;
        }
        let vm = match disagreement(programs, rust, &context, case.env) {
            Ok(outcome) => outcome,
            Err(why) => {
                problem(why);
                continue;
            }
        };
        if vm.verdict.name() != case.verdict {
            problem(format!(
                "verdict {}, expected {}",
                vm.verdict.name(),
                case.verdict
            ));
        }
        let called: Vec<&str> = vm.calls.iter().map(|c| c.name).collect();
        let written: Vec<(&str, String)> = vm
            .writes
            .iter()
            .map(|w| (w.member.as_str(), hex(&w.after)))
            .collect();
        let stored = vm.redirect_context.as_deref().map(hex);
        let expected_ok = match case.effect {
            Effect::Nothing => called.is_empty() && written.is_empty(),
            Effect::Calls(names) => called == names && written.is_empty(),
            Effect::Writes(member, after) => {
                called.is_empty()
                    && written.len() == 1
                    && written[0].0 == member
                    && written[0].1.starts_with(after)
                    && written[0].1[after.len()..].chars().all(|c| c == '0')
            }
            Effect::Stores(bytes) => {
                called == ["bpf_sock_addr_set_redirect_context"]
                    && written.is_empty()
                    && stored.as_deref() == Some(bytes)
            }
        };
        if !expected_ok {
            problem(format!(
                "expected {:?}; got calls {called:?}, writes {written:?}, stored {stored:?}",
                case.effect
            ));
        }
    }
    problems
}

/// Runs `context` through every program in the VM and through `rust` on the host, all
/// in the host environment `env`; returns the first VM outcome when all agree, or
/// what differs.
pub fn disagreement(
    programs: &[&Program],
    rust: RawPolicy,
    context: &nethooks_run::Context,
    env: nethooks_run::Environment,
) -> Result<nethooks_run::Outcome, String> {
    let mut outcomes = Vec::new();
    for program in programs {
        program.set_environment(env);
        match nethooks_run::run_checked(program, context) {
            Ok((outcome, _)) => outcomes.push((program.name.as_str(), outcome)),
            Err(e) => return Err(format!("the VM run of `{}` failed: {e}", program.name)),
        }
    }
    let (first_name, first) = outcomes[0].clone();
    for (name, outcome) in &outcomes[1..] {
        if *outcome != first {
            return Err(format!(
                "`{first_name}` and `{name}` differ in the VM:\n  {first_name}: {first:?}\n  {name}: {outcome:?}"
            ));
        }
    }
    let host =
        nethooks_run::run_native_in(programs[0].hook, programs[0].attach, context, env, rust)
            .map_err(|e| format!("the run of Rust on the host failed: {e}"))?;
    if host != first {
        return Err(format!(
            "the VM and Rust on the host differ:\n  VM:   {first:?}\n  host: {host:?}"
        ));
    }
    Ok(first)
}
