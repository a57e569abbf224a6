//! A scenario resolved against its object before anything runs: every map, member,
//! program, key and value size checked, so that a mistake is reported by name and
//! place and no run starts from a half-built state.

use crate::context::Context;
use crate::error::{RunError, ScenarioError};
use crate::helpers::Environment;
use crate::loader::BpfObject;
use crate::map_store::{BPF_ANY, MapType, Maps};
use crate::program::Program;
use crate::state::{self, SharedState};

use super::chain::CHAINED_PROGRAM_TYPE;
use super::verdict::{ExpectedVerdict, expected_verdict};
use super::{Entry, Scenario, Settings};
use crate::cli::values;

/// One run, resolved.
#[derive(Debug)]
pub(crate) struct PreparedRun {
    /// Index in `Prepared::programs`.
    pub program: usize,
    pub context: Context,
    pub verdict: Option<ExpectedVerdict>,
    pub settings: Settings,
    /// Entries written before the run, by map index.
    pub updates: Vec<(usize, Entries)>,
    /// Keys deleted before the run (after the updates), by map index.
    pub deletes: Vec<(usize, Vec<Vec<u8>>)>,
    /// Contents maps must have after the run.
    pub expect_maps: Vec<ExpectedMap>,
    /// Members (name, bytes) the context must hold after the run.
    pub expect_ctx: Vec<(String, Vec<u8>)>,
    /// A chain: programs (index in `Prepared::programs`) and their compartment
    /// (`None`: every compartment), in attach order; empty for one program.
    pub chain: Vec<(usize, Option<u32>)>,
    /// The network context given with the input, for this run only.
    pub network_context: Option<super::NetworkContext>,
}

/// What is wrong with a map's entries, and which entry (from 0) when one is.
pub(crate) struct EntryError {
    pub entry: Option<usize>,
    pub why: String,
}

impl EntryError {
    fn whole(why: String) -> EntryError {
        EntryError { entry: None, why }
    }
}

/// `line N: ` for the entry an error is about (or the map's first entry).
fn entry_line(lines: Option<&Vec<usize>>, e: &EntryError) -> String {
    lines
        .and_then(|l| l.get(e.entry.unwrap_or(0)))
        .map_or(String::new(), |n| format!("line {n}: "))
}

/// Map entries as bytes: (key, value); keys are `None` for queues and stacks.
pub(crate) type Entries = Vec<(Option<Vec<u8>>, Vec<u8>)>;

/// A map's expected final contents: its index and entries.
pub(crate) type ExpectedMap = (usize, Entries);

/// A scenario ready to run on its object's programs.
#[derive(Debug)]
pub struct Prepared {
    pub file: String,
    pub(crate) state: SharedState,
    pub(crate) programs: Vec<Program>,
    pub(crate) runs: Vec<PreparedRun>,
    pub(crate) expect_maps: Vec<ExpectedMap>,
    pub(crate) expect_rings: Vec<(usize, Vec<Vec<u8>>)>,
    pub(crate) expect_printk: Option<Vec<String>>,
}

impl Prepared {
    /// Resolves `scenario` against `object`: creates the object's maps and fills
    /// them, loads the programs the runs name onto one shared state, builds each
    /// run's context.
    pub fn new(scenario: &Scenario, object: &BpfObject<'_>) -> Result<Prepared, RunError> {
        let file = scenario.file.clone();
        let bad = |why: String| ScenarioError::Invalid {
            file: file.clone(),
            why,
        };
        let state = object.new_state()?;
        let mut env = Environment::default();
        scenario.settings.apply(&mut env);
        state::lock(&state).set_environment(env);
        {
            let mut s = state::lock(&state);
            for (name, entries) in &scenario.maps {
                let lines = scenario.lines.maps.get(name);
                let at = entry_line(lines, &EntryError::whole(String::new()));
                let index = map_index(&s.maps, name).map_err(|e| bad(format!("{at}{e}")))?;
                fill(&mut s.maps, index, entries)
                    .map_err(|e| bad(format!("{}{}", entry_line(lines, &e), e.why)))?;
            }
            s.maps.end_run();
        }
        let mut selectors: Vec<Option<String>> = Vec::new();
        let mut programs = Vec::new();
        let mut runs = Vec::new();
        // A run that names no program runs the previous run's (the first, the object's
        // only program), so a scenario names its program once.
        let mut previous: Option<String> = None;
        for (n, run) in scenario.runs.iter().enumerate() {
            let line = scenario
                .lines
                .runs
                .get(n)
                .map_or(String::new(), |l| format!("line {l}: "));
            let in_run = |e: String| bad(format!("{line}run {}: {e}", n + 1));
            let mut load = |selector: Option<String>| -> Result<usize, RunError> {
                match selectors.iter().position(|s| *s == selector) {
                    Some(i) => Ok(i),
                    None => {
                        let program = object
                            .program_sharing(selector.as_deref(), &state)
                            .map_err(|e| in_run(e.to_string()))?;
                        selectors.push(selector);
                        programs.push(program);
                        Ok(programs.len() - 1)
                    }
                }
            };
            let mut chain = Vec::new();
            for link in run.chain.iter().flatten() {
                let (name, compartment) = match link {
                    super::ChainLink::Wildcard(name) => (name, None),
                    super::ChainLink::Specific {
                        program,
                        compartment,
                    } => (program, Some(*compartment)),
                };
                chain.push((load(Some(name.clone()))?, compartment));
            }
            let program = match chain.first() {
                Some(&(first, _)) => {
                    if run.program.is_some() {
                        return Err(in_run("give `program` or `chain`, not both".to_owned()).into());
                    }
                    first
                }
                None => {
                    let selector = run.program.clone().or_else(|| previous.clone());
                    previous.clone_from(&selector);
                    load(selector)?
                }
            };
            for &(link, _) in &chain {
                let p = &programs[link];
                if p.hook.name != programs[program].hook.name
                    || p.hook.program_type != CHAINED_PROGRAM_TYPE
                {
                    return Err(in_run(format!(
                        "a chain's programs are sock_addr programs of one hook; `{}` is a program of `{}`",
                        p.name, p.hook.name
                    )).into());
                }
            }
            let mut context =
                crate::context_for(&programs[program]).map_err(|e| in_run(e.to_string()))?;
            apply_context(&mut context, run.ctx.as_ref()).map_err(&in_run)?;
            let verdict = run
                .verdict
                .as_ref()
                .map(|v| expected_verdict(&programs[program], v))
                .transpose()
                .map_err(&in_run)?;
            let maps = &state::lock(&state).maps;
            let mut updates = Vec::new();
            for (name, entries) in &run.update {
                let index = map_index(maps, name).map_err(&in_run)?;
                let decoded = decode_entries(maps, index, entries)
                    .map_err(|e| in_run(format!("update: {}", e.why)))?;
                updates.push((index, decoded));
            }
            let mut deletes = Vec::new();
            for (name, keys) in &run.delete {
                let index = map_index(maps, name).map_err(&in_run)?;
                let key_size = maps.get(index).map_or(0, |m| m.definition().key_size);
                let decoded = keys
                    .iter()
                    .enumerate()
                    .map(|(k, key)| {
                        values::bytes(key, key_size as usize, "key").map_err(|e| {
                            in_run(format!("delete: map `{name}`, key {}: {e}", k + 1))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                deletes.push((index, decoded));
            }
            let mut run_expect_maps = Vec::new();
            for (name, entries) in &run.expect_maps {
                let index = map_index(maps, name).map_err(&in_run)?;
                let decoded = decode_entries(maps, index, entries)
                    .map_err(|e| in_run(format!("expect_maps: {}", e.why)))?;
                run_expect_maps.push((index, decoded));
            }
            let mut expect_ctx = Vec::new();
            if let Some(spec) = &run.expect_ctx {
                let mut expected = context.clone();
                apply_context(&mut expected, Some(spec))
                    .map_err(|e| in_run(format!("expect_ctx: {e}")))?;
                let names: Vec<String> = match spec {
                    toml::Value::Table(t) => t.keys().cloned().collect(),
                    toml::Value::String(text) => text
                        .split(',')
                        .filter_map(|a| a.split_once('=').map(|(n, _)| n.trim().to_owned()))
                        .collect(),
                    _ => Vec::new(),
                };
                for name in names {
                    let bytes = expected
                        .get(&name)
                        .map_err(|e| in_run(e.to_string()))?
                        .to_vec();
                    expect_ctx.push((name, bytes));
                }
            }
            runs.push(PreparedRun {
                program,
                context,
                verdict,
                settings: run.settings,
                updates,
                deletes,
                expect_maps: run_expect_maps,
                expect_ctx,
                chain,
                network_context: run.network_context,
            });
        }
        let s = state::lock(&state);
        let mut expect_maps = Vec::new();
        for (name, entries) in &scenario.expect.maps {
            let lines = scenario.lines.expect_maps.get(name);
            let at = entry_line(lines, &EntryError::whole(String::new()));
            let index = map_index(&s.maps, name).map_err(|e| bad(format!("{at}expect: {e}")))?;
            let decoded = decode_entries(&s.maps, index, entries)
                .map_err(|e| bad(format!("{}expect: {}", entry_line(lines, &e), e.why)))?;
            expect_maps.push((index, decoded));
        }
        let mut expect_rings = Vec::new();
        for (name, records) in &scenario.expect.ringbuf {
            let at = scenario
                .lines
                .expect_ringbuf
                .get(name)
                .map_or(String::new(), |l| format!("line {l}: "));
            let bad = |why: String| bad(format!("{at}{why}"));
            let index = map_index(&s.maps, name).map_err(|e| bad(format!("expect: {e}")))?;
            let map_type = s.maps.get(index).map(|m| m.definition().map_type);
            if map_type != Some(MapType::RINGBUF) {
                return Err(bad(format!(
                    "expect: map `{name}` is not a ring buffer (its type is {})",
                    map_type.unwrap_or(MapType::UNSPEC)
                ))
                .into());
            }
            let decoded = records
                .iter()
                .map(|r| values::record(r))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| bad(format!("expect: ring buffer `{name}`: {e}")))?;
            expect_rings.push((index, decoded));
        }
        drop(s);
        Ok(Prepared {
            file,
            state,
            programs,
            runs,
            expect_maps,
            expect_rings,
            expect_printk: scenario.expect.printk.clone(),
        })
    }
}

fn map_index(maps: &Maps, name: &str) -> Result<usize, String> {
    maps.index_of(name).ok_or_else(|| {
        let names: Vec<String> = maps.iter().map(|m| format!("`{}`", m.name())).collect();
        if names.is_empty() {
            format!("no map `{name}` in the object, which has no maps")
        } else {
            format!(
                "no map `{name}` in the object; its maps are: {}",
                names.join(", ")
            )
        }
    })
}

/// The entries of map `index`, sized to its key and value.
fn decode_entries(maps: &Maps, index: usize, entries: &[Entry]) -> Result<Entries, EntryError> {
    let Some(map) = maps.get(index) else {
        return Err(EntryError::whole(format!("no map #{index}")));
    };
    let d = map.definition();
    if d.map_type == MapType::RINGBUF {
        return Err(EntryError::whole(format!(
            "map `{}` is a ring buffer, which has records, not entries",
            d.name
        )));
    }
    let keyed = d.key_size > 0;
    let mut out: Entries = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = |e: String| EntryError {
            entry: Some(i),
            why: format!("map `{}`, entry {}: {e}", d.name, i + 1),
        };
        let key = match (&entry.key, keyed) {
            (Some(k), true) => Some(values::bytes(k, d.key_size as usize, "key").map_err(at)?),
            (None, true) => return Err(at("it needs a `key`".to_owned())),
            (Some(_), false) => {
                return Err(at(format!(
                    "a {} has no keys; give only `value`",
                    d.map_type
                )));
            }
            (None, false) => None,
        };
        let value = values::bytes(&entry.value, d.value_size as usize, "value").map_err(at)?;
        if let Some(key) = &key
            && let Some(first) = out.iter().position(|(k, _)| k.as_ref() == Some(key))
        {
            return Err(at(format!(
                "its key hex:{} is the key of entry {} too; a map holds one value per key",
                crate::context::hex(key),
                first + 1
            )));
        }
        out.push((key, value));
    }
    if out.len() as u64 > u64::from(d.max_entries) {
        return Err(EntryError {
            entry: Some(d.max_entries as usize),
            why: format!(
                "map `{}` holds at most {} entries (`max_entries`), and the scenario gives {}",
                d.name,
                d.max_entries,
                out.len()
            ),
        });
    }
    Ok(out)
}

/// Puts `entries` into map `index` as user mode would (update with `BPF_ANY`, or
/// push in order).
fn fill(maps: &mut Maps, index: usize, entries: &[Entry]) -> Result<(), EntryError> {
    let decoded = decode_entries(maps, index, entries)?;
    let Some(map) = maps.get_mut(index) else {
        return Err(EntryError::whole(format!("no map #{index}")));
    };
    for (i, (key, value)) in decoded.iter().enumerate() {
        let result = match key {
            Some(key) => map.update(key, value, BPF_ANY),
            None => map.push(value, BPF_ANY),
        };
        match result {
            Ok(0) => {}
            Ok(code) => {
                return Err(EntryError {
                    entry: Some(i),
                    why: format!(
                        "map `{}`, entry {}: the map refuses it ({code})",
                        map.name(),
                        i + 1
                    ),
                });
            }
            Err(e) => {
                return Err(EntryError {
                    entry: Some(i),
                    why: format!("map `{}`, entry {}: {e}", map.name(), i + 1),
                });
            }
        }
    }
    Ok(())
}

fn apply_context(context: &mut Context, ctx: Option<&toml::Value>) -> Result<(), String> {
    match ctx {
        None => Ok(()),
        Some(toml::Value::String(text)) => {
            context.apply_assignments(text).map_err(|e| e.to_string())
        }
        Some(table @ toml::Value::Table(_)) => {
            let Ok(serde_json::Value::Object(members)) = serde_json::to_value(table) else {
                return Err("`ctx` is not a table of member = value".to_owned());
            };
            context.apply_members(&members).map_err(|e| e.to_string())
        }
        Some(other) => Err(format!(
            "`ctx` is {other}, not a table of member = value or `member=value,...`"
        )),
    }
}
