//! What runs of a loaded program change and keep: its global data, its object's maps
//! and the host environment (clock, random generator, settings). Programs loaded
//! from one object together ([`crate::BpfObject::program_sharing`]) share one state,
//! as a loader gives the programs of an object one `.data` and one set of maps.

use std::sync::{Arc, Mutex, MutexGuard};

use super::host_state::{Environment, HostState};
use crate::map_store::Maps;

/// One global-data section: its bytes now (8-byte aligned words) and at load.
#[derive(Debug, Clone)]
pub(crate) struct GlobalSection {
    pub name: String,
    pub init: Vec<u8>,
    pub words: Vec<u64>,
}

pub(crate) fn words(bytes: &[u8]) -> Vec<u64> {
    let mut words = vec![0u64; bytes.len().div_ceil(8).max(1)];
    for (i, b) in bytes.iter().enumerate() {
        words[i / 8] |= u64::from(*b) << (8 * (i % 8));
    }
    words
}

/// The first `len` bytes of `words`, as the little-endian machine lays them out.
pub(crate) fn bytes_of(words: &[u64], len: usize) -> Vec<u8> {
    words
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .take(len)
        .collect()
}

/// The state of one loaded object.
#[derive(Debug, Default)]
pub struct ProgramState {
    pub(crate) globals: Vec<GlobalSection>,
    /// Whether `maps` holds the object's maps (created once, at the first program
    /// that refers to one).
    pub(crate) maps_created: bool,
    pub maps: Maps,
    pub host: HostState,
}

/// A state shared by the programs of one object.
pub type SharedState = Arc<Mutex<ProgramState>>;

/// Locks `state`; a poisoned lock only means a run panicked, the state is plain data.
pub(crate) fn lock(state: &SharedState) -> MutexGuard<'_, ProgramState> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl ProgramState {
    /// A copy with maps of their own (same definitions and contents).
    pub fn snapshot(&self) -> ProgramState {
        ProgramState {
            globals: self.globals.clone(),
            maps_created: self.maps_created,
            maps: self.maps.duplicate(),
            host: self.host,
        }
    }

    /// The index of global section `name`, added with `init` if new.
    pub(crate) fn global_slot(&mut self, name: &str, init: &[u8]) -> usize {
        if let Some(i) = self.globals.iter().position(|g| g.name == name) {
            return i;
        }
        self.globals.push(GlobalSection {
            name: name.to_owned(),
            init: init.to_vec(),
            words: words(init),
        });
        self.globals.len() - 1
    }

    /// Puts the host environment to `env`, its clock and generator at their start.
    pub fn set_environment(&mut self, env: Environment) {
        self.host = HostState::new(env);
    }

    /// The current bytes of global section `name`.
    pub fn global_data(&self, name: &str) -> Option<Vec<u8>> {
        let g = self.globals.iter().find(|g| g.name == name)?;
        Some(bytes_of(&g.words, g.init.len()))
    }

    /// Every global section's bytes, by name.
    pub fn all_global_data(&self) -> Vec<(String, Vec<u8>)> {
        self.globals
            .iter()
            .map(|g| (g.name.clone(), bytes_of(&g.words, g.init.len())))
            .collect()
    }

    /// Whether `self` and `other` hold the same global data and map contents.
    pub fn same_contents(&self, other: &ProgramState) -> bool {
        let maps = |s: &ProgramState| {
            s.maps
                .iter()
                .map(|m| {
                    let records: Vec<Vec<u8>> = m.records().iter().map(|r| r.to_vec()).collect();
                    (m.entries(), records, m.recency())
                })
                .collect::<Vec<_>>()
        };
        self.all_global_data() == other.all_global_data()
            && maps(self) == maps(other)
            && self.host == other.host
    }
}
