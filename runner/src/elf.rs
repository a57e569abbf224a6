//! Reading eBPF programs out of an ELF object, and matching each section to its hook
//! through the generated hook table (`abi::HOOKS`). A program is a global function in
//! a hook's section; a section may hold several, and static functions besides.

use ebpf_nethooks_bindings::abi::{self, AttachInfo, HookInfo};
use object::{Architecture, Endianness, Object, ObjectSection, SectionKind};

use crate::error::RunError;
use crate::link::{self, Function, Linked};
use crate::maps::{self, MapDefinition, MapReference, Maps};
use crate::state::{self, ProgramState, SharedState};

pub use crate::program::Program;

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

    /// The maps the object declares: legacy `maps` records, then BTF `.maps`
    /// (see [`maps::object::definitions`]).
    pub fn maps(&self) -> Result<Vec<MapDefinition>, RunError> {
        maps::object::definitions(&self.file).map_err(RunError::Map)
    }

    /// Every `lddw` of a map's address in the object's code sections.
    pub fn map_references(&self) -> Result<Vec<MapReference>, RunError> {
        let definitions = self.maps()?;
        maps::object::references(&self.file, &definitions).map_err(RunError::Map)
    }

    /// The object's maps, created empty (arrays zeroed).
    pub fn create_maps(&self) -> Result<Maps, RunError> {
        Maps::new(self.maps()?).map_err(RunError::Map)
    }

    /// A fresh state for programs of this object to share
    /// ([`BpfObject::program_sharing`]): no global data yet, the object's maps
    /// created empty, the default environment.
    pub fn new_state(&self) -> Result<SharedState, RunError> {
        let mut state = ProgramState::default();
        if !self.maps()?.is_empty() {
            state.maps = self.create_maps()?;
            state.maps_created = true;
        }
        Ok(std::sync::Arc::new(std::sync::Mutex::new(state)))
    }

    /// Names of the sections that hold code, in file order.
    pub fn program_sections(&self) -> Vec<String> {
        self.file
            .sections()
            .filter(|s| s.kind() == SectionKind::Text && s.size() > 0)
            .filter_map(|s| s.name().ok().map(str::to_owned))
            .collect()
    }

    /// The entry functions of every hook section, in file order: global functions,
    /// or, in a section with none, its first function (or its start).
    fn entries(&self) -> Vec<(String, Function)> {
        let functions = link::functions(&self.file);
        let mut entries = Vec::new();
        for sec in self.file.sections() {
            let Ok(name) = sec.name() else { continue };
            if sec.kind() != SectionKind::Text || sec.size() == 0 || hook_for_section(name).is_err()
            {
                continue;
            }
            let list = functions.get(&sec.index()).cloned().unwrap_or_default();
            let globals: Vec<Function> = list.iter().filter(|f| f.global).cloned().collect();
            let chosen = if !globals.is_empty() {
                globals
            } else if let Some(first) = list.into_iter().next() {
                vec![first]
            } else {
                vec![Function {
                    section: sec.index(),
                    name: name.to_owned(),
                    start: 0,
                    len: (sec.size() / 8) as usize,
                    global: false,
                }]
            };
            entries.extend(chosen.into_iter().map(|f| (name.to_owned(), f)));
        }
        entries
    }

    /// Every program of the object, in file order: each loaded, or the error that
    /// stops it from loading (which names its section and entry function).
    pub fn programs(&self) -> Vec<Result<Program, RunError>> {
        self.listed_programs()
            .into_iter()
            .map(|l| l.program)
            .collect()
    }

    /// [`BpfObject::programs`] with each program's section and entry name, which a
    /// program that fails to load has too.
    pub fn listed_programs(&self) -> Vec<ListedProgram> {
        self.entries()
            .into_iter()
            .map(|(section, entry)| ListedProgram {
                program: self.load(&section, &entry, None),
                name: entry.name,
                section,
            })
            .collect()
    }

    /// The program chosen by `selector`, a section or an entry function's name; with
    /// `None`, the object's only program.
    pub fn program(&self, selector: Option<&str>) -> Result<Program, RunError> {
        self.program_in(selector, None)
    }

    /// [`BpfObject::program`], loaded onto `state`, which it shares with the other
    /// programs loaded onto it: global data (by section) and maps persist across the
    /// runs of all of them, as in one loaded object.
    pub fn program_sharing(
        &self,
        selector: Option<&str>,
        state: &SharedState,
    ) -> Result<Program, RunError> {
        self.program_in(selector, Some(state))
    }

    fn program_in(
        &self,
        selector: Option<&str>,
        state: Option<&SharedState>,
    ) -> Result<Program, RunError> {
        match selector {
            Some(s) if self.file.section_by_name(s).is_some() => {
                self.select_in(Some(s), None, state)
            }
            Some(s) if self.entries().iter().any(|(_, f)| f.name == s) => {
                self.select_in(None, Some(s), state)
            }
            // Neither: say which programs there are, with their sections.
            Some(s) => self.select_in(None, Some(s), state),
            None => self.select_in(None, None, state),
        }
    }

    /// The program in section `section` (if given) whose entry is `name` (if given).
    pub fn select(&self, section: Option<&str>, name: Option<&str>) -> Result<Program, RunError> {
        self.select_in(section, name, None)
    }

    fn select_in(
        &self,
        section: Option<&str>,
        name: Option<&str>,
        state: Option<&SharedState>,
    ) -> Result<Program, RunError> {
        if let Some(section) = section {
            let Some(sec) = self.file.section_by_name(section) else {
                return Err(RunError::MissingSection {
                    section: section.to_owned(),
                    available: self.program_sections(),
                });
            };
            hook_for_section(section)?;
            if sec.kind() != SectionKind::Text {
                return Err(RunError::BadProgram {
                    section: section.to_owned(),
                    why: format!("it holds {:?}, not code", sec.kind()),
                });
            }
        }
        let entries = self.entries();
        let matching: Vec<&(String, Function)> = entries
            .iter()
            .filter(|(s, f)| {
                section.is_none_or(|want| want == s) && name.is_none_or(|want| want == f.name)
            })
            .collect();
        match (matching.as_slice(), section, name) {
            ([(s, f)], _, _) => self.load(s, f, state),
            ([], None, None) => Err(RunError::NoProgram),
            ([], _, Some(name)) => Err(RunError::MissingProgram {
                name: name.to_owned(),
                available: entries
                    .iter()
                    .map(|(s, f)| format!("{} ({s})", f.name))
                    .collect(),
            }),
            ([], Some(section), None) => Err(RunError::BadProgram {
                section: section.to_owned(),
                why: "it holds no code".to_owned(),
            }),
            (several, _, _) => Err(RunError::AmbiguousProgram {
                programs: several
                    .iter()
                    .map(|(s, f)| format!("{} ({s})", f.name))
                    .collect(),
            }),
        }
    }

    fn load(
        &self,
        section: &str,
        entry: &Function,
        state: Option<&SharedState>,
    ) -> Result<Program, RunError> {
        let (hook, attach) = hook_for_section(section)?;
        let mut linked = link::link(&self.file, entry)?;
        let state = state.cloned().unwrap_or_default();
        if linked.uses_maps {
            self.patch_map_loads(&mut linked, &state)?;
        }
        crate::check::check(&linked.code).map_err(|(insn, why)| RunError::BadProgram {
            section: section.to_owned(),
            why: format!("instruction {insn} of `{}` (as linked): {why}", entry.name),
        })?;
        Ok(Program::new(
            section.to_owned(),
            entry.name.clone(),
            linked,
            hook,
            attach,
            state,
        ))
    }

    /// Creates the object's maps in `state` (once), and puts each map's handle into
    /// the `lddw`s of `linked` that load its address.
    fn patch_map_loads(&self, linked: &mut Linked, state: &SharedState) -> Result<(), RunError> {
        let references = self.map_references()?;
        let mut state = state::lock(state);
        if !state.maps_created {
            state.maps = self.create_maps()?;
            state.maps_created = true;
        }
        for load in &linked.map_loads {
            let handle = references
                .iter()
                .find(|r| r.section == load.section && r.insn == load.at)
                .and_then(|r| state.maps.handle(r.map))
                .ok_or_else(|| RunError::Link {
                    section: load.section.clone(),
                    function: load.function.clone(),
                    insn: load.at,
                    why: "a 64-bit load (lddw) of a map that the object's map definitions do not hold".to_owned(),
                })?;
            let o = load.insn * 8;
            let Some(lddw) = linked.code.get_mut(o..o + 16) else {
                return Err(RunError::Link {
                    section: load.section.clone(),
                    function: load.function.clone(),
                    insn: load.at,
                    why: "a 64-bit load (lddw) of a map cut off by the end of its function"
                        .to_owned(),
                });
            };
            lddw[4..8].copy_from_slice(&(handle as u32).to_le_bytes());
            lddw[12..16].copy_from_slice(&((handle >> 32) as u32).to_le_bytes());
        }
        Ok(())
    }
}

/// One program of an object, as [`BpfObject::listed_programs`] lists it.
#[derive(Debug)]
pub struct ListedProgram {
    pub section: String,
    /// The entry function's symbol.
    pub name: String,
    pub program: Result<Program, RunError>,
}
