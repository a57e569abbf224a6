//! A loaded program: its linked code, its hook, and the global data it owns, which
//! persists from one run of the same `Program` to the next.

use std::sync::{Mutex, MutexGuard, OnceLock};

use ebpf_nethooks_bindings::abi::{self, AttachInfo, HelperInfo, HookInfo};

use crate::isa::{self, IsaReport};
use crate::link::{DataRef, DataSection};
use crate::scan;

/// One program: a global function in a hook's section, linked with what it calls.
#[derive(Debug)]
pub struct Program {
    /// The ELF section, which names the hook.
    pub section: String,
    /// The entry function's symbol.
    pub name: String,
    /// The linked code: the entry function first, then the functions it calls.
    /// Loads of global data hold 0 here; each run patches in its data's address.
    pub code: Vec<u8>,
    pub hook: &'static HookInfo,
    pub attach: &'static AttachInfo,
    data: Vec<DataSection>,
    data_refs: Vec<DataRef>,
    /// The current bytes of each data section (8-byte aligned words).
    globals: Mutex<Vec<Vec<u64>>>,
    /// Why rbpf's JIT cannot run this program (computed once).
    pub(crate) jit_blocker: OnceLock<Option<String>>,
}

impl Clone for Program {
    /// A copy with its own global data, as it is now.
    fn clone(&self) -> Program {
        Program {
            section: self.section.clone(),
            name: self.name.clone(),
            code: self.code.clone(),
            hook: self.hook,
            attach: self.attach,
            data: self.data.clone(),
            data_refs: self.data_refs.clone(),
            globals: Mutex::new(self.lock_globals().clone()),
            jit_blocker: OnceLock::new(),
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

fn words(bytes: &[u8]) -> Vec<u64> {
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

impl Program {
    pub(crate) fn new(
        section: String,
        name: String,
        linked: crate::link::Linked,
        hook: &'static HookInfo,
        attach: &'static AttachInfo,
    ) -> Program {
        let globals = linked.data.iter().map(|d| words(&d.init)).collect();
        Program {
            section,
            name,
            code: linked.code,
            hook,
            attach,
            data: linked.data,
            data_refs: linked.data_refs,
            globals: Mutex::new(globals),
            jit_blocker: OnceLock::new(),
        }
    }

    /// Instruction slots of the linked code (a 64-bit load counts two, as in Linux).
    pub fn instruction_count(&self) -> usize {
        self.code.len() / 8
    }

    /// The helpers the program calls, by ID, each once, in order of first call.
    /// IDs that no helper of the spec has are left out (running such a program fails).
    pub fn helpers_called(&self) -> Vec<&'static HelperInfo> {
        let mut called: Vec<&'static HelperInfo> = Vec::new();
        for (_, id) in scan::helper_calls(&self.code) {
            let helper = scan::helper_index(id).map(|i| &abi::HELPERS[i]);
            if let Some(h) = helper.filter(|h| !called.iter().any(|c| c.id == h.id)) {
                called.push(h);
            }
        }
        called
    }

    /// The instruction-set features the program uses and the oldest cpu that has them.
    pub fn features(&self) -> IsaReport {
        isa::report(&self.code, !self.data_refs.is_empty())
    }

    /// The data sections the program refers to.
    pub fn data_sections(&self) -> &[DataSection] {
        &self.data
    }

    /// The current bytes of data section `name`, if the program refers to it.
    pub fn global_data(&self, name: &str) -> Option<Vec<u8>> {
        let i = self.data.iter().position(|d| d.name == name)?;
        Some(bytes_of(&self.lock_globals()[i], self.data[i].init.len()))
    }

    /// Puts every data section back to its initial bytes.
    pub fn reset_globals(&self) {
        *self.lock_globals() = self.data.iter().map(|d| words(&d.init)).collect();
    }

    /// The global data; a poisoned lock only means a run panicked, the bytes are plain data.
    pub(crate) fn lock_globals(&self) -> MutexGuard<'_, Vec<Vec<u64>>> {
        self.globals.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Data sections' names, lengths and writability, in `globals` order.
    pub(crate) fn data_layout(&self) -> impl Iterator<Item = (&str, usize, bool)> {
        self.data
            .iter()
            .map(|d| (d.name.as_str(), d.init.len(), d.writable))
    }

    /// The code with each global-data load holding the address of its bytes in `globals`.
    pub(crate) fn patched_code(&self, globals: &[Vec<u64>]) -> Vec<u8> {
        let mut code = self.code.clone();
        for r in &self.data_refs {
            let base = globals[r.section].as_ptr() as u64;
            let address = base.wrapping_add(r.offset as u64);
            let o = r.insn * 8;
            code[o + 4..o + 8].copy_from_slice(&(address as u32).to_le_bytes());
            code[o + 12..o + 16].copy_from_slice(&((address >> 32) as u32).to_le_bytes());
        }
        code
    }

    /// The writes between two states of the global data, named by symbol where one
    /// covers the changed bytes.
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
