//! Reading eBPF programs out of an ELF object, and matching each section to its hook
//! through the generated hook table (`abi::HOOKS`).

use ebpf_nethooks_bindings::abi::{self, AttachInfo, HookInfo};
use object::{Architecture, Endianness, Object, ObjectSection, ObjectSymbol, SectionKind};

use crate::error::RunError;

/// One program: the code of an ELF section and the hook it attaches to.
#[derive(Debug, Clone)]
pub struct Program {
    pub section: String,
    pub code: Vec<u8>,
    pub hook: &'static HookInfo,
    pub attach: &'static AttachInfo,
}

/// The hook and attach type whose programs live in ELF section `section`.
pub fn hook_for_section(
    section: &str,
) -> Result<(&'static HookInfo, &'static AttachInfo), RunError> {
    abi::HOOKS
        .iter()
        .flat_map(|h| h.attach_types.iter().map(move |a| (h, a)))
        .find(|(_, a)| a.section == section)
        .ok_or_else(|| RunError::NotAHookSection {
            section: section.to_owned(),
            known: all_sections(),
        })
}

fn all_sections() -> Vec<&'static str> {
    abi::HOOKS
        .iter()
        .flat_map(|h| h.attach_types.iter().map(|a| a.section))
        .collect()
}

/// A parsed eBPF ELF object.
pub struct BpfObject<'data> {
    file: object::File<'data>,
}

impl<'data> BpfObject<'data> {
    /// Parses `data`; rejects anything that is not a little-endian eBPF ELF object.
    pub fn parse(data: &'data [u8]) -> Result<BpfObject<'data>, RunError> {
        let file =
            object::File::parse(data).map_err(|e| RunError::NotElf { why: e.to_string() })?;
        if file.format() != object::BinaryFormat::Elf {
            return Err(RunError::NotElf {
                why: format!("it is a {:?} file", file.format()),
            });
        }
        if file.architecture() != Architecture::Bpf {
            let machine = match &file {
                object::File::Elf64(elf) => {
                    let e_machine = elf.elf_header().e_machine.get(elf.endian());
                    format!("{:?} (e_machine {e_machine})", file.architecture())
                }
                object::File::Elf32(elf) => {
                    let e_machine = elf.elf_header().e_machine.get(elf.endian());
                    format!("{:?} (e_machine {e_machine})", file.architecture())
                }
                _ => format!("{:?}", file.architecture()),
            };
            return Err(RunError::NotBpf { machine });
        }
        if file.endianness() != Endianness::Little {
            return Err(RunError::BigEndian);
        }
        Ok(BpfObject { file })
    }

    /// Names of the sections that hold code, in file order.
    pub fn program_sections(&self) -> Vec<String> {
        self.file
            .sections()
            .filter(|s| s.kind() == SectionKind::Text && s.size() > 0)
            .filter_map(|s| s.name().ok().map(str::to_owned))
            .collect()
    }

    /// The program in `section`, or, with `None`, the only program of a known hook.
    pub fn program(&self, section: Option<&str>) -> Result<Program, RunError> {
        let name = match section {
            Some(name) => name.to_owned(),
            None => {
                let hooked: Vec<String> = self
                    .program_sections()
                    .into_iter()
                    .filter(|s| hook_for_section(s).is_ok())
                    .collect();
                match hooked.as_slice() {
                    [] => return Err(RunError::NoProgram),
                    [only] => only.clone(),
                    _ => return Err(RunError::AmbiguousProgram { sections: hooked }),
                }
            }
        };
        let Some(sec) = self.file.section_by_name(&name) else {
            return Err(RunError::MissingSection {
                section: name,
                available: self.program_sections(),
            });
        };
        let (hook, attach) = hook_for_section(&name)?;
        let bad = |why: String| RunError::BadProgram {
            section: name.clone(),
            why,
        };
        if sec.kind() != SectionKind::Text {
            return Err(bad(format!("it holds {:?}, not code", sec.kind())));
        }
        let code = sec.data().map_err(|e| bad(e.to_string()))?;
        if code.is_empty() || !code.len().is_multiple_of(8) {
            return Err(bad(format!(
                "{} bytes is not a whole number of 8-byte instructions",
                code.len()
            )));
        }
        // rbpf runs a section from its first instruction: one function per section.
        let functions: Vec<String> = self
            .file
            .symbols()
            .filter(|sym| {
                sym.section_index() == Some(sec.index()) && sym.kind() == object::SymbolKind::Text
            })
            .filter_map(|sym| sym.name().ok().map(str::to_owned))
            .collect();
        if functions.len() > 1 {
            return Err(bad(format!(
                "it holds {} functions ({}); put each program in its own section",
                functions.len(),
                functions.join(", ")
            )));
        }
        let targets: Vec<String> = sec
            .relocations()
            .map(|(_, r)| match r.target() {
                object::RelocationTarget::Symbol(index) => self
                    .file
                    .symbol_by_index(index)
                    .ok()
                    .and_then(|s| s.name().ok().map(str::to_owned))
                    .unwrap_or_else(|| format!("symbol #{}", index.0)),
                other => format!("{other:?}"),
            })
            .collect();
        if !targets.is_empty() {
            return Err(RunError::Relocations {
                section: name,
                targets,
            });
        }
        Ok(Program {
            section: name,
            code: code.to_vec(),
            hook,
            attach,
        })
    }
}
