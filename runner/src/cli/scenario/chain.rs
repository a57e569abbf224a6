//! Chains of sock_addr programs, run as netebpfext runs them: which programs may
//! chain (checked when a scenario is prepared) and how their verdicts combine
//! (when it runs). Kept apart so preparing a scenario needs nothing of running it.

use crate::context::Context;
use crate::error::{ContextError, RunError};
use crate::exec::vm::{Engine, Outcome, Verdict};
use crate::program::Program;

/// The program type whose programs a scenario may chain, as netebpfext chains them.
pub(super) const CHAINED_PROGRAM_TYPE: &str = "EBPF_PROGRAM_TYPE_CGROUP_SOCK_ADDR";

/// Context members whose change by a program ends a chain (a redirect).
const REWRITE_MEMBERS: &[&str] = &["user_ip4", "user_ip6", "user_port"];

/// sock_addr verdicts by priority: REJECT over PROCEED_HARD over PROCEED_SOFT.
fn priority(raw: i32) -> u8 {
    match raw {
        2 => 1,
        1 => 0,
        // REJECT, and any value outside the verdicts, which counts as REJECT.
        _ => 2,
    }
}

/// Runs a chain of sock_addr programs on `context` as netebpfext does
/// (netebpfext/net_ebpf_ext_sock_addr.c:1817-1893 at ebpf-for-windows 00053ce6b):
/// programs attached to the context's compartment first, then those attached to
/// every compartment, each in attach order; the verdict kept is the one of highest
/// priority (a return outside the verdicts counts as REJECT), and the chain stops at
/// a REJECT or after a program that rewrites the destination. Each program sees the
/// context as the last one left it (at connect_authorization4/6 the writes are
/// discarded). The outcome: the kept verdict, and everything the programs did.
pub(super) fn run_chain(
    programs: &[Program],
    chain: &[(usize, Option<u32>)],
    context: &Context,
    run_one: impl Fn(&Program, &Context) -> Result<(Outcome, Vec<Engine>), RunError>,
) -> Result<(Outcome, Vec<Engine>), RunError> {
    let compartment = context
        .get("compartment_id")
        .ok()
        .and_then(|b| b.try_into().ok())
        .map(u32::from_le_bytes);
    let specific = chain
        .iter()
        .filter(|(_, c)| c.is_some() && *c == compartment);
    let wildcard = chain.iter().filter(|(_, c)| c.is_none());
    let mut current = context.clone();
    let mut combined: Option<(Outcome, Vec<Engine>)> = None;
    let mut kept: Option<(i32, Verdict)> = None;
    for &(index, _) in specific.chain(wildcard) {
        let program = &programs[index];
        let (outcome, engines) = run_one(program, &current)?;
        let raw = match outcome.verdict {
            Verdict::Named { value, .. } | Verdict::Unlisted(value) | Verdict::Int(value) => value,
        };
        if kept
            .as_ref()
            .is_none_or(|(k, _)| priority(raw) > priority(*k))
        {
            kept = Some((raw, outcome.verdict));
        }
        let rewrote = outcome
            .writes
            .iter()
            .any(|w| REWRITE_MEMBERS.contains(&w.member.as_str()));
        if !DISCARDS_WRITES.contains(&program.attach.name) {
            current = outcome.context_after.clone();
        }
        combined = Some(match combined {
            None => (outcome, engines),
            Some((mut all, engines)) => {
                all.calls.extend(outcome.calls);
                all.global_writes.extend(outcome.global_writes);
                all.map_writes.extend(outcome.map_writes);
                all.printk.extend(outcome.printk);
                all.ring_records.extend(outcome.ring_records);
                if outcome.redirect_context.is_some() {
                    all.redirect_context = outcome.redirect_context;
                }
                (all, engines)
            }
        });
        if priority(raw) == 2 || rewrote {
            break;
        }
    }
    let Some((mut outcome, engines)) = combined else {
        return Err(ContextError::BadValue {
            member: "chain".to_owned(),
            why: "no program of the chain is attached to the context's compartment or to every \
                  compartment"
                .to_owned(),
        }
        .into());
    };
    if let Some((raw, verdict)) = kept {
        // An out-of-range return counts as REJECT.
        outcome.verdict = if priority(raw) == 2 && !matches!(raw, 0) {
            Verdict::of(programs[chain[0].0].hook, 0)
        } else {
            verdict
        };
    }
    outcome.writes = context.writes(&current);
    outcome.context_after = current;
    Ok((outcome, engines))
}

/// Attach types whose program's context writes netebpfext discards
/// (netebpfext/net_ebpf_ext_sock_addr.c:1817-1893 at ebpf-for-windows 00053ce6b).
pub(super) const DISCARDS_WRITES: &[&str] = &["connect_authorization4", "connect_authorization6"];
