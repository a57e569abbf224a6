//! A program as the object gives it: linked with what it calls, with the hook its
//! section names. What runs it (its state, the engines) is the runner's.

use ebpf_nethooks_bindings::abi::{AttachInfo, HookInfo};

use crate::error::ObjectError;
use crate::isa::{self, IsaReport};
use crate::link::Linked;

/// One program: a global function in a hook's section, linked.
#[derive(Debug, Clone)]
pub struct LinkedProgram {
    /// The ELF section, which names the hook.
    pub section: String,
    /// The entry function's symbol.
    pub name: String,
    pub hook: &'static HookInfo,
    pub attach: &'static AttachInfo,
    pub linked: Linked,
}

impl LinkedProgram {
    /// Instruction slots of the linked code (a 64-bit load counts two, as in Linux).
    pub fn instruction_count(&self) -> usize {
        self.linked.code.len() / 8
    }

    /// The helper IDs the code calls, each once, in order of first call.
    pub fn helper_ids(&self) -> Vec<u32> {
        let mut ids = Vec::new();
        for (_, id) in isa::helper_calls(&self.linked.code) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// The instruction-set features the program uses and the oldest cpu that has them.
    pub fn features(&self) -> IsaReport {
        isa::report(
            &self.linked.code,
            !self.linked.data_refs.is_empty(),
            self.linked.uses_maps,
        )
    }

    /// Checks the linked code instruction by instruction ([`crate::check::check`]),
    /// as a loader would before running it.
    pub fn check(&self) -> Result<(), ObjectError> {
        crate::check::check(&self.linked.code).map_err(|(insn, why)| ObjectError::BadProgram {
            section: self.section.clone(),
            why: format!("instruction {insn} of `{}` (as linked): {why}", self.name),
        })
    }
}
