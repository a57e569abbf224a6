//! A loaded program: its linked code and its hook, and the state it runs on (global
//! data, its object's maps, the host environment; see [`crate::state`]), which
//! persists from one run of the same `Program` to the next.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use ebpf_nethooks_bindings::abi::{AttachInfo, HookInfo};

use crate::exec::interp::Prepared;
use crate::exec::scan;
use crate::helper::Helper;
use crate::helpers::Environment;
use crate::map_store::Maps;
use crate::state::{self, ProgramState, SharedState, bytes_of};
use nethooks_obj::LinkedProgram;
use nethooks_obj::isa::{self, IsaReport};
use nethooks_obj::link::{DataRef, DataSection};

/// One program: a global function in a hook's section, linked with what it calls.
#[derive(Debug)]
pub struct Program {
    /// The ELF section, which names the hook.
    pub section: String,
    /// The entry function's symbol.
    pub name: String,
    /// The linked code: the entry function first, then the functions it calls.
    /// Loads of global data hold 0 here (each run patches in its data's address);
    /// loads of a map hold the map's handle (`Maps::handle`).
    pub code: Vec<u8>,
    pub hook: &'static HookInfo,
    pub attach: &'static AttachInfo,
    data: Vec<DataSection>,
    data_refs: Vec<DataRef>,
    /// For each of `data`, its index in the state's global sections.
    data_slots: Vec<usize>,
    /// Whether the code loads a map's address.
    uses_maps: bool,
    state: SharedState,
    /// Why rbpf's JIT cannot run this program (computed once).
    pub(crate) jit_blocker: OnceLock<Option<String>>,
    /// The interpreter's decoded code and stack, kept from run to run.
    prepared: Mutex<Prepared>,
}

impl Clone for Program {
    /// A copy with its own state (global data, maps, environment), as it is now.
    fn clone(&self) -> Program {
        let state = self.lock_state().snapshot();
        Program {
            section: self.section.clone(),
            name: self.name.clone(),
            code: self.code.clone(),
            hook: self.hook,
            attach: self.attach,
            data: self.data.clone(),
            data_refs: self.data_refs.clone(),
            data_slots: self.data_slots.clone(),
            uses_maps: self.uses_maps,
            state: Arc::new(Mutex::new(state)),
            jit_blocker: OnceLock::new(),
            prepared: Mutex::default(),
        }
    }
}

/// Bytes of global data that a run changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GlobalWrite {
    /// The variable's symbol, or `<section>+<offset>` for bytes no symbol covers.
    pub name: String,
    pub section: String,
    /// Offset in the section.
    pub offset: usize,
    pub before: Vec<u8>,
    pub after: Vec<u8>,
}

impl Program {
    pub(crate) fn new(program: LinkedProgram, state: SharedState) -> Program {
        let LinkedProgram {
            section,
            name,
            hook,
            attach,
            linked,
        } = program;
        let data_slots = {
            let mut s = state::lock(&state);
            linked
                .data
                .iter()
                .map(|d| s.global_slot(&d.name, &d.init))
                .collect()
        };
        Program {
            section,
            name,
            code: linked.code,
            hook,
            attach,
            data: linked.data,
            data_refs: linked.data_refs,
            data_slots,
            uses_maps: linked.uses_maps,
            state,
            jit_blocker: OnceLock::new(),
            prepared: Mutex::default(),
        }
    }

    /// Instruction slots of the linked code (a 64-bit load counts two, as in Linux).
    pub fn instruction_count(&self) -> usize {
        self.code.len() / 8
    }

    /// The helpers the program calls, by ID, each once, in order of first call.
    /// IDs that no helper has are left out (running such a program fails).
    pub fn helpers_called(&self) -> Vec<Helper> {
        let mut called: Vec<Helper> = Vec::new();
        for (_, id) in scan::helper_calls(&self.code) {
            if let Some(h) = Helper::by_id(id).filter(|h| !called.contains(h)) {
                called.push(h);
            }
        }
        called
    }

    /// The instruction-set features the program uses and the oldest cpu that has them.
    pub fn features(&self) -> IsaReport {
        isa::report(&self.code, !self.data_refs.is_empty(), self.uses_maps)
    }

    /// Whether the program loads a map's address.
    pub fn uses_maps(&self) -> bool {
        self.uses_maps
    }

    /// The data sections the program refers to.
    pub fn data_sections(&self) -> &[DataSection] {
        &self.data
    }

    /// The current bytes of data section `name`, if the program refers to it.
    pub fn global_data(&self, name: &str) -> Option<Vec<u8>> {
        self.data.iter().find(|d| d.name == name)?;
        self.lock_state().global_data(name)
    }

    /// Puts every data section of the program back to its initial bytes.
    pub fn reset_globals(&self) {
        let mut state = self.lock_state();
        for &slot in &self.data_slots {
            let g = &mut state.globals[slot];
            g.words = state::words(&g.init);
        }
    }

    /// The state this program runs on, for loading other programs of its object
    /// onto it ([`crate::loader::BpfObject::program_sharing`]).
    pub fn shared_state(&self) -> SharedState {
        Arc::clone(&self.state)
    }

    /// Runs `f` on the program's maps (those of its object).
    pub fn with_maps<R>(&self, f: impl FnOnce(&mut Maps) -> R) -> R {
        f(&mut self.lock_state().maps)
    }

    /// Sets the host environment (seed, clock, process...) and restarts its clock
    /// and random generator from it.
    pub fn set_environment(&self, env: Environment) {
        self.lock_state().set_environment(env);
    }

    pub fn environment(&self) -> Environment {
        self.lock_state().host.env
    }

    pub(crate) fn lock_state(&self) -> MutexGuard<'_, ProgramState> {
        state::lock(&self.state)
    }

    /// The interpreter's decoded code and stack. A run that panicked left nothing
    /// half-done there: the stack is reset at the start of each run.
    pub(crate) fn lock_prepared(&self) -> MutexGuard<'_, Prepared> {
        self.prepared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The program's global sections' words, in `data` order.
    pub(crate) fn globals_of(&self, state: &ProgramState) -> Vec<Vec<u64>> {
        self.data_slots
            .iter()
            .map(|&i| state.globals[i].words.clone())
            .collect()
    }

    /// Data sections' state slots, names, lengths and writability, in `data` order.
    pub(crate) fn data_layout(&self) -> impl Iterator<Item = (usize, &str, usize, bool)> {
        self.data_slots
            .iter()
            .zip(&self.data)
            .map(|(&slot, d)| (slot, d.name.as_str(), d.init.len(), d.writable))
    }

    /// The code with each global-data load holding the address of its bytes in `state`.
    pub(crate) fn patched_code(&self, state: &ProgramState) -> Vec<u8> {
        let mut code = self.code.clone();
        for r in &self.data_refs {
            let base = state.globals[self.data_slots[r.section]].words.as_ptr() as u64;
            let address = base.wrapping_add(r.offset as u64);
            let o = r.insn * 8;
            code[o + 4..o + 8].copy_from_slice(&(address as u32).to_le_bytes());
            code[o + 12..o + 16].copy_from_slice(&((address >> 32) as u32).to_le_bytes());
        }
        code
    }

    /// The writes between two states of the program's global data (as
    /// [`Program::globals_of`] gives them), named by symbol where one covers the
    /// changed bytes.
    pub(crate) fn global_writes(
        &self,
        before: &[Vec<u64>],
        after: &[Vec<u64>],
    ) -> Vec<GlobalWrite> {
        let mut writes = Vec::new();
        for (i, d) in self.data.iter().enumerate() {
            let (old, new) = (
                bytes_of(&before[i], d.init.len()),
                bytes_of(&after[i], d.init.len()),
            );
            let mut offset = 0;
            while offset < old.len() {
                if old[offset] == new[offset] {
                    offset += 1;
                    continue;
                }
                let symbol = d
                    .symbols
                    .iter()
                    .find(|(_, start, size)| *start <= offset && offset < start + size);
                let (name, start, end) = match symbol {
                    Some((name, start, size)) => {
                        (name.clone(), *start, (start + size).min(old.len()))
                    }
                    None => {
                        let end = (offset..old.len())
                            .find(|&j| old[j] == new[j])
                            .unwrap_or(old.len());
                        (format!("{}+{offset}", d.name), offset, end)
                    }
                };
                writes.push(GlobalWrite {
                    name,
                    section: d.name.clone(),
                    offset: start,
                    before: old[start..end].to_vec(),
                    after: new[start..end].to_vec(),
                });
                offset = end.max(offset + 1);
            }
        }
        writes
    }
}
