//! Scenarios: a TOML file that sets up a loaded object's maps and host environment,
//! runs its programs in sequence (maps, global data and the environment persist from
//! run to run, across programs of the object, as in one loaded object), and says
//! what the verdicts, the final maps, the ring-buffer records and the printk lines
//! must be.
//!
//! ```toml
//! [settings]                 # the host environment (helpers::Environment)
//! seed = 7                   # bpf_get_prandom_u32
//! clock_ns = 1_000_000_000   # the clock's start; it advances clock_step_ns per read
//! clock_step_ns = 1000
//! pid_tgid = 0x000004d2_0000162e
//!
//! [maps]                     # initial contents, by map name
//! policy = [{ key = ["10.0.0.1", 443], value = 1 }]
//!
//! [[run]]
//! program = "connect_policy"  # a section or an entry function (optional if one)
//! ctx = { user_ip4 = "10.0.0.1", user_port = "net:443" }   # or "member=value,..."
//! verdict = "BPF_SOCK_ADDR_VERDICT_REJECT"                   # optional; or a table:
//!                            # { one_of = [..] }, { nonzero = true },
//!                            # { min = 1, max = 2 }, { mask = 0x2, value = 0x2 }
//! settings = { pid_tgid = 0x000004d3_00000001 }             # from this run on
//! update = { policy = [{ key = ["10.0.0.2", 80], value = 0 }] } # before the run
//! delete = { policy = [["10.0.0.1", 443]] }                    # then these keys
//! expect_maps = { policy = [{ key = ["10.0.0.2", 80], value = 1 }] }  # after it
//! expect_ctx = { user_port = "net:8080" }  # members after it (writes discarded at
//!                                          # connect_authorization4/6)
//! # chain = ["audit", { program = "allow", compartment = 1 }]  # instead of `program`
//! network_context = { interface_type = 24, tunnel_type = 0 }  # this run's input
//!
//! [expect]
//! printk = ["connect 10.0.0.1:443 -> 0"]
//! [expect.maps]               # hash: exactly these entries; array: these slots,
//! policy = [{ key = ["10.0.0.1", 443], value = 1 }]   # the others zero
//! [expect.ringbuf]            # every record still in the ring, oldest first
//! audit = ["hex:0a000001bb010000"]
//! ```
//!
//! Keys and values take the context's value syntax sized to the map's key or value
//! size: an integer (little-endian), a string (`42`, `net:443`, `10.0.0.1`,
//! `hex:...` of exactly that many bytes, an enumerator name), or an array that splits
//! it into equal elements (`["10.0.0.1", 443]` is two 4-byte elements). Queues and
//! stacks take values only, in push order (initially) or pop order (expected).
//!
//! [`Scenario::parse`] reads the file; [`Prepared::new`] resolves it against an
//! object, reporting every name and size that does not fit before anything runs;
//! [`Prepared::run`] runs it and returns a [`Report`] of what differs.

mod chain;
mod compare;
mod difference;
mod execute;
mod prepare;
mod report;
mod verdict;

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{ContextError, RunError, ScenarioError};

pub use compare::{FinalMap, final_maps};
pub use difference::{Difference, DifferenceKind};
pub use execute::{Report, RunReport};
pub use prepare::Prepared;
pub use report::maps_json;

/// A scenario file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(skip)]
    pub file: String,
    #[serde(default)]
    pub settings: Settings,
    /// Initial contents, by map name.
    #[serde(default)]
    pub maps: BTreeMap<String, Vec<Entry>>,
    #[serde(default, rename = "run")]
    pub runs: Vec<Run>,
    #[serde(default)]
    pub expect: Expect,
    /// Where its parts are in the file, for messages.
    #[serde(skip)]
    pub lines: Lines,
}

/// The line (from 1) of each part of a scenario file that a message can point at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    /// Each `[[run]]`.
    pub runs: Vec<usize>,
    /// Each entry of each map in `[maps]`.
    pub maps: BTreeMap<String, Vec<usize>>,
    /// Each entry of each map in `[expect.maps]`.
    pub expect_maps: BTreeMap<String, Vec<usize>>,
    /// Each ring buffer's list in `[expect.ringbuf]`.
    pub expect_ringbuf: BTreeMap<String, usize>,
}

/// The same file read for where things are (unknown keys were refused already).
#[derive(Default, Deserialize)]
struct Locations {
    #[serde(default, rename = "run")]
    runs: Vec<toml::Spanned<toml::Table>>,
    #[serde(default)]
    maps: BTreeMap<String, Vec<toml::Spanned<toml::Value>>>,
    #[serde(default)]
    expect: ExpectLocations,
}

#[derive(Default, Deserialize)]
struct ExpectLocations {
    #[serde(default)]
    maps: BTreeMap<String, Vec<toml::Spanned<toml::Value>>>,
    #[serde(default)]
    ringbuf: BTreeMap<String, toml::Spanned<toml::Value>>,
}

impl Lines {
    fn of(text: &str) -> Lines {
        let locations: Locations = toml::from_str(text).unwrap_or_default();
        // Where each line starts, so that each lookup is a binary search.
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let line = |offset: usize| starts.partition_point(|&s| s <= offset);
        let lines_of = |entries: &BTreeMap<String, Vec<toml::Spanned<toml::Value>>>| {
            entries
                .iter()
                .map(|(name, list)| {
                    (
                        name.clone(),
                        list.iter().map(|e| line(e.span().start)).collect(),
                    )
                })
                .collect()
        };
        Lines {
            runs: locations
                .runs
                .iter()
                .map(|r| line(r.span().start))
                .collect(),
            maps: lines_of(&locations.maps),
            expect_maps: lines_of(&locations.expect.maps),
            expect_ringbuf: locations
                .expect
                .ringbuf
                .iter()
                .map(|(name, v)| (name.clone(), line(v.span().start)))
                .collect(),
        }
    }
}

/// Settings of the host environment; each one given replaces the default (in
/// `[settings]`) or the current value, from that run on (in a run's `settings`).
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub seed: Option<u64>,
    pub clock_ns: Option<u64>,
    pub clock_step_ns: Option<u64>,
    pub suspended_ns: Option<u64>,
    pub pid_tgid: Option<u64>,
    pub logon_id: Option<u64>,
    pub is_admin: Option<i32>,
    pub socket_cookie: Option<u64>,
    pub process_start_key: Option<u64>,
    pub thread_create_time: Option<i64>,
    pub flow_id: Option<u64>,
    pub interface_type: Option<u32>,
    pub tunnel_type: Option<u32>,
    pub next_hop_interface_luid: Option<u64>,
    pub sub_interface_index: Option<u32>,
}

/// One map entry: a key (none for queues and stacks) and a value.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub key: Option<toml::Value>,
    pub value: toml::Value,
}

/// One run of a program.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// A section or an entry function's name; if absent, the previous run's program
    /// (for the first run, the object's only program).
    pub program: Option<String>,
    /// Context members: a table of member = value, or `member=value,...`.
    pub ctx: Option<toml::Value>,
    /// The verdict expected: an enumerator name or an integer.
    pub verdict: Option<toml::Value>,
    /// Settings changed from this run on.
    #[serde(default)]
    pub settings: Settings,
    /// Map entries user mode writes before this run (update with `BPF_ANY`, or push),
    /// by map name.
    #[serde(default)]
    pub update: BTreeMap<String, Vec<Entry>>,
    /// Keys user mode deletes before this run (after `update`), by map name.
    #[serde(default)]
    pub delete: BTreeMap<String, Vec<toml::Value>>,
    /// Contents the named maps must have after this run, as `[expect.maps]` says.
    #[serde(default)]
    pub expect_maps: BTreeMap<String, Vec<Entry>>,
    /// Members the context must hold after this run, as the extension sees it: at
    /// connect_authorization4/6 the program's writes are discarded.
    pub expect_ctx: Option<toml::Value>,
    /// Several sock_addr programs attached at one hook, run as eBPF for Windows
    /// chains them (instead of `program`): each a program, or `{ program, compartment }`
    /// for one attached to a specific compartment.
    pub chain: Option<Vec<ChainLink>>,
    /// The network context this run's `bpf_sock_addr_get_network_context` reports,
    /// given with the input as newer releases' `bpf_prog_test_run_opts` takes it
    /// (for this run only; fields not given keep their setting or default).
    pub network_context: Option<NetworkContext>,
}

/// A network context given with a run's input.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct NetworkContext {
    pub interface_type: Option<u32>,
    pub tunnel_type: Option<u32>,
    pub next_hop_interface_luid: Option<u64>,
    pub sub_interface_index: Option<u32>,
}

/// A program of a chain: attached to every compartment, or to one.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum ChainLink {
    Wildcard(String),
    Specific { program: String, compartment: u32 },
}

/// What must hold after the last run.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Final contents, by map name (maps not named are not checked).
    #[serde(default)]
    pub maps: BTreeMap<String, Vec<Entry>>,
    /// Records left in each ring buffer named, oldest first, as `hex:` strings.
    #[serde(default)]
    pub ringbuf: BTreeMap<String, Vec<String>>,
    /// Every line printed, over all runs, in order (not checked when absent).
    pub printk: Option<Vec<String>>,
}

impl Scenario {
    /// Reads scenario `text` from `file` (for messages).
    pub fn parse(file: &str, text: &str) -> Result<Scenario, RunError> {
        let mut scenario: Scenario = toml::from_str(text).map_err(|e| ScenarioError::Invalid {
            file: file.to_owned(),
            why: e.to_string().trim_end().to_owned(),
        })?;
        scenario.file = file.to_owned();
        scenario.lines = Lines::of(text);
        if scenario.runs.is_empty() {
            return Err(ScenarioError::Invalid {
                file: file.to_owned(),
                why: "it has no `[[run]]`".to_owned(),
            }
            .into());
        }
        Ok(scenario)
    }
}

impl Settings {
    /// Settings from `name=value` items (`--setting seed=7`), read as TOML.
    pub fn from_assignments(items: &[String]) -> Result<Settings, RunError> {
        let text: String = items.iter().map(|item| format!("{item}\n")).collect();
        toml::from_str(&text).map_err(|e| {
            ContextError::BadValue {
                member: "--setting".to_owned(),
                why: e.message().to_owned(),
            }
            .into()
        })
    }

    /// `env` with the settings given replaced.
    pub fn apply(&self, env: &mut crate::helpers::Environment) {
        macro_rules! set {
            ($($field:ident),*) => {
                $(if let Some(v) = self.$field { env.$field = v; })*
            };
        }
        set!(
            seed,
            clock_ns,
            clock_step_ns,
            suspended_ns,
            pid_tgid,
            logon_id,
            is_admin,
            socket_cookie,
            process_start_key,
            thread_create_time
        );
        // Settings that replace a value derived from the context.
        macro_rules! set_some {
            ($($field:ident),*) => {
                $(if let Some(v) = self.$field { env.$field = Some(v); })*
            };
        }
        set_some!(
            flow_id,
            interface_type,
            tunnel_type,
            next_hop_interface_luid,
            sub_interface_index
        );
    }
}
