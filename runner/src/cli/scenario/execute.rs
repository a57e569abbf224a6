//! Running a prepared scenario, run after run on one shared state, and comparing
//! what happened with what it expects.

use crate::context::hex;
use crate::error::{RunError, ScenarioError};
use crate::exec::vm::{self, Engine, Outcome, RunOptions};
use crate::state;

use super::chain::{DISCARDS_WRITES, run_chain};
use super::compare::{FinalMap, compare_list, compare_map, final_map};
use super::difference::{Difference, DifferenceKind};
use super::prepare::Prepared;
use super::verdict::verdict_matches;

/// One run of a scenario, as it went.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// Counted from 1.
    pub index: usize,
    pub program: String,
    pub section: String,
    pub outcome: Outcome,
    pub engines: Vec<Engine>,
    /// The verdict the scenario expects, as written.
    pub expected: Option<String>,
}

/// What a scenario did and what differs from what it expects.
#[derive(Debug, Clone)]
pub struct Report {
    pub file: String,
    pub runs: Vec<RunReport>,
    pub maps: Vec<FinalMap>,
    /// Every global-data section of the programs run, by name, as the last run left it.
    pub globals: Vec<(String, Vec<u8>)>,
    /// Every printk line, over all runs.
    pub printk: Vec<String>,
    /// Each shown as a sentence: `run 3: verdict X, expected Y`, `map `m`: key ...`.
    pub differences: Vec<Difference>,
}

impl Report {
    /// Whether everything was as expected.
    pub fn as_expected(&self) -> bool {
        self.differences.is_empty()
    }
}

impl Prepared {
    /// Runs every run in order: in `engine`, or with `None` in the interpreter and
    /// then, where it can, the JIT, checked to agree. A run that fails stops the
    /// scenario with [`ScenarioError::Run`].
    pub fn run(&self, engine: Option<Engine>, options: &RunOptions) -> Result<Report, RunError> {
        let mut runs = Vec::new();
        let mut printk = Vec::new();
        // Differences in maps after a run, in run order.
        let mut run_differences = Vec::new();
        for (n, run) in self.runs.iter().enumerate() {
            let program = &self.programs[run.program];
            if run.settings != super::Settings::default() {
                let mut s = state::lock(&self.state);
                let mut env = s.host.env;
                run.settings.apply(&mut env);
                s.host.env = env;
                if let Some(seed) = run.settings.seed {
                    s.host.prng = seed;
                }
                if let Some(clock) = run.settings.clock_ns {
                    s.host.now_ns = clock;
                }
            }
            // This run's network context, in place of the settings' for the run.
            let before_run = run.network_context.map(|n| {
                let mut s = state::lock(&self.state);
                let saved = s.host.env;
                let env = &mut s.host.env;
                env.interface_type = n.interface_type.or(env.interface_type);
                env.tunnel_type = n.tunnel_type.or(env.tunnel_type);
                env.next_hop_interface_luid =
                    n.next_hop_interface_luid.or(env.next_hop_interface_luid);
                env.sub_interface_index = n.sub_interface_index.or(env.sub_interface_index);
                saved
            });
            if !run.updates.is_empty() || !run.deletes.is_empty() {
                let mut s = state::lock(&self.state);
                user_mode_writes(&mut s.maps, run).map_err(|why| ScenarioError::Run {
                    file: self.file.clone(),
                    run: n + 1,
                    error: Box::new(
                        ScenarioError::Invalid {
                            file: self.file.clone(),
                            why,
                        }
                        .into(),
                    ),
                })?;
            }
            let run_one =
                |program: &crate::program::Program, context: &crate::context::Context| match engine
                {
                    None => vm::run_checked_with(program, context, options),
                    Some(e) => vm::run_with(program, context, e, options).map(|o| (o, vec![e])),
                };
            let result = if run.chain.is_empty() {
                run_one(program, &run.context)
            } else {
                run_chain(&self.programs, &run.chain, &run.context, run_one)
            };
            if let Some(saved) = before_run {
                let mut s = state::lock(&self.state);
                s.host.env.interface_type = saved.interface_type;
                s.host.env.tunnel_type = saved.tunnel_type;
                s.host.env.next_hop_interface_luid = saved.next_hop_interface_luid;
                s.host.env.sub_interface_index = saved.sub_interface_index;
            }
            let (outcome, engines) = result.map_err(|error| ScenarioError::Run {
                file: self.file.clone(),
                run: n + 1,
                error: Box::new(error),
            })?;
            printk.extend(outcome.printk.iter().cloned());
            if !run.expect_ctx.is_empty() {
                // The extension's view: writes at the authorization layer are dropped.
                let seen = if DISCARDS_WRITES.contains(&program.attach.name) {
                    &run.context
                } else {
                    &outcome.context_after
                };
                for (member, expected) in &run.expect_ctx {
                    let got = seen.get(member).unwrap_or_default();
                    if got != expected.as_slice() {
                        run_differences.push(Difference::new(
                            Some(n + 1),
                            DifferenceKind::ContextMember,
                            format!(
                                "context member `{member}` expected hex:{}, got hex:{}",
                                hex(expected),
                                hex(got)
                            ),
                        ));
                    }
                }
            }
            if !run.expect_maps.is_empty() {
                let s = state::lock(&self.state);
                for (index, expected) in &run.expect_maps {
                    if let Some(map) = s.maps.get(*index) {
                        let mut found = Vec::new();
                        compare_map(map, expected, &mut found);
                        run_differences.extend(
                            found
                                .into_iter()
                                .map(|d| Difference::new(Some(n + 1), DifferenceKind::Map, d)),
                        );
                    }
                }
            }
            runs.push(RunReport {
                index: n + 1,
                program: if run.chain.is_empty() {
                    program.name.clone()
                } else {
                    let names: Vec<&str> = run
                        .chain
                        .iter()
                        .map(|&(i, _)| self.programs[i].name.as_str())
                        .collect();
                    names.join(" + ")
                },
                section: program.section.clone(),
                outcome,
                engines,
                expected: run.verdict.as_ref().map(ToString::to_string),
            });
        }
        let mut differences = Vec::new();
        for (report, run) in runs.iter().zip(&self.runs) {
            differences.extend(
                run_differences
                    .iter()
                    .filter(|d| d.run == Some(report.index))
                    .cloned(),
            );
            if let Some(expected) = &run.verdict
                && !verdict_matches(&report.outcome.verdict, expected)
            {
                differences.push(Difference::new(
                    Some(report.index),
                    DifferenceKind::Verdict,
                    format!(
                        "verdict {}, expected {}",
                        report.outcome.verdict,
                        report.expected.as_deref().unwrap_or("?")
                    ),
                ));
            }
        }
        let s = state::lock(&self.state);
        let end = |kind: DifferenceKind, found: Vec<String>| {
            found
                .into_iter()
                .map(move |d| Difference::new(None, kind, d))
        };
        for (index, expected) in &self.expect_maps {
            if let Some(map) = s.maps.get(*index) {
                let mut found = Vec::new();
                compare_map(map, expected, &mut found);
                differences.extend(end(DifferenceKind::Map, found));
            }
        }
        for (index, expected) in &self.expect_rings {
            if let Some(map) = s.maps.get(*index) {
                let got: Vec<Vec<u8>> = map.records().iter().map(|r| r.to_vec()).collect();
                let mut found = Vec::new();
                compare_list(
                    &format!("ring buffer `{}`", map.name()),
                    "record",
                    &got,
                    expected,
                    |r| format!("hex:{}", hex(r)),
                    &mut found,
                );
                differences.extend(end(DifferenceKind::RingBuffer, found));
            }
        }
        if let Some(expected) = &self.expect_printk {
            let mut found = Vec::new();
            compare_list(
                "printk",
                "line",
                &printk,
                expected,
                |l| format!("`{l}`"),
                &mut found,
            );
            differences.extend(end(DifferenceKind::Printk, found));
        }
        let maps = s.maps.iter().map(final_map).collect();
        Ok(Report {
            file: self.file.clone(),
            runs,
            maps,
            globals: s.all_global_data(),
            printk,
            differences,
        })
    }
}

/// What user mode does to the maps before run `run`: its updates, then its deletes.
fn user_mode_writes(
    maps: &mut crate::map_store::Maps,
    run: &super::prepare::PreparedRun,
) -> Result<(), String> {
    for (index, entries) in &run.updates {
        let Some(map) = maps.get_mut(*index) else {
            continue;
        };
        for (key, value) in entries {
            let result = match key {
                Some(key) => map.update(key, value, crate::map_store::BPF_ANY),
                None => map.push(value, crate::map_store::BPF_ANY),
            };
            match result {
                Ok(0) => {}
                Ok(code) => return Err(format!("update of map `{}` refused ({code})", map.name())),
                Err(e) => return Err(format!("update of map `{}`: {e}", map.name())),
            }
        }
    }
    for (index, keys) in &run.deletes {
        let Some(map) = maps.get_mut(*index) else {
            continue;
        };
        for key in keys {
            match map.delete(key) {
                Ok(0) => {}
                Ok(code) => {
                    return Err(format!(
                        "delete of key hex:{} from map `{}` refused ({code})",
                        hex(key),
                        map.name()
                    ));
                }
                Err(e) => return Err(format!("delete from map `{}`: {e}", map.name())),
            }
        }
    }
    maps.end_run();
    Ok(())
}
