//! Reading eBPF programs out of an ELF object, and matching each section to its hook
//! through the generated hook table (`abi::HOOKS`). A program is a global function in
//! a hook's section; a section may hold several, and static functions besides.

use ebpf_nethooks_bindings::abi::{self, AttachInfo, HookInfo};
use ebpf_nethooks_maps::Map;
use object::{Architecture, Endianness, Object as _, ObjectSection, SectionKind};

use crate::error::ObjectError;
use crate::link::{self, Function, Linked};
use crate::map_def::{self, MapDefinition, MapReference};
use crate::program::LinkedProgram;

/// The hook and attach type whose programs live in ELF section `section`.
pub fn hook_for_section(
    section: &str,
) -> Result<(&'static HookInfo, &'static AttachInfo), ObjectError> {
    abi::HOOKS
        .iter()
        .flat_map(|h| h.attach_types.iter().map(move |a| (h, a)))
        .find(|(_, a)| a.section == section)
        .ok_or_else(|| ObjectError::NotAHookSection {
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

/// A program's place in the object: its hook section and its entry function.
#[derive(Debug, Clone)]
pub struct Entry {
    pub section: String,
    pub function: Function,
}

/// A parsed eBPF ELF object.
pub struct Object<'data> {
    file: object::File<'data>,
}

impl<'data> Object<'data> {
    /// Parses `data`; rejects anything that is not a little-endian eBPF ELF object.
    pub fn parse(data: &'data [u8]) -> Result<Object<'data>, ObjectError> {
        let file = object::File::parse(data).map_err(ObjectError::NotElf)?;
        if file.format() != object::BinaryFormat::Elf {
            return Err(ObjectError::NotElfFormat {
                format: format!("{:?}", file.format()),
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
            return Err(ObjectError::NotBpf { machine });
        }
        if file.endianness() != Endianness::Little {
            return Err(ObjectError::BigEndian);
        }
        Ok(Object { file })
    }

    /// The maps the object declares: legacy `maps` records, then BTF `.maps`
    /// (see [`map_def::definitions`]).
    pub fn maps(&self) -> Result<Vec<MapDefinition>, ObjectError> {
        Ok(map_def::definitions(&self.file)?)
    }

    /// Every `lddw` of a map's address in the object's code sections.
    pub fn map_references(&self) -> Result<Vec<MapReference>, ObjectError> {
        let definitions = self.maps()?;
        Ok(map_def::references(&self.file, &definitions)?)
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
    pub fn entries(&self) -> Vec<Entry> {
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
            entries.extend(chosen.into_iter().map(|function| Entry {
                section: name.to_owned(),
                function,
            }));
        }
        entries
    }

    /// The program chosen by `selector`, a section or an entry function's name; with
    /// `None`, the object's only program.
    pub fn choose(&self, selector: Option<&str>) -> Result<Entry, ObjectError> {
        match selector {
            Some(s) if self.file.section_by_name(s).is_some() => self.select(Some(s), None),
            Some(s) if self.entries().iter().any(|e| e.function.name == s) => {
                self.select(None, Some(s))
            }
            // Neither: say which programs there are, with their sections.
            Some(s) => self.select(None, Some(s)),
            None => self.select(None, None),
        }
    }

    /// The program in section `section` (if given) whose entry is `name` (if given).
    pub fn select(&self, section: Option<&str>, name: Option<&str>) -> Result<Entry, ObjectError> {
        if let Some(section) = section {
            let Some(sec) = self.file.section_by_name(section) else {
                return Err(ObjectError::MissingSection {
                    section: section.to_owned(),
                    available: self.program_sections(),
                });
            };
            hook_for_section(section)?;
            if sec.kind() != SectionKind::Text {
                return Err(ObjectError::BadProgram {
                    section: section.to_owned(),
                    why: format!("it holds {:?}, not code", sec.kind()),
                });
            }
        }
        let entries = self.entries();
        let matching: Vec<&Entry> = entries
            .iter()
            .filter(|e| {
                section.is_none_or(|want| want == e.section)
                    && name.is_none_or(|want| want == e.function.name)
            })
            .collect();
        let describe = |e: &Entry| format!("{} ({})", e.function.name, e.section);
        match (matching.as_slice(), section, name) {
            ([e], _, _) => Ok((*e).clone()),
            ([], None, None) => Err(ObjectError::NoProgram),
            ([], _, Some(name)) => Err(ObjectError::MissingProgram {
                name: name.to_owned(),
                available: entries.iter().map(describe).collect(),
            }),
            ([], Some(section), None) => Err(ObjectError::BadProgram {
                section: section.to_owned(),
                why: "it holds no code".to_owned(),
            }),
            (several, _, _) => Err(ObjectError::AmbiguousProgram {
                programs: several.iter().map(|e| describe(e)).collect(),
            }),
        }
    }

    /// Links the program at `entry` with what it calls, for its hook. Its map loads
    /// still hold what the object has (see [`patch_map_loads`]).
    pub fn link(&self, entry: &Entry) -> Result<LinkedProgram, ObjectError> {
        let (hook, attach) = hook_for_section(&entry.section)?;
        let linked = link::link(&self.file, &entry.function)?;
        Ok(LinkedProgram {
            section: entry.section.clone(),
            name: entry.function.name.clone(),
            hook,
            attach,
            linked,
        })
    }

    /// Every program of the object, in file order, loaded as a loader does without
    /// running it: linked, its maps' definitions created once to check them, each
    /// map load holding its map's index (in [`Object::maps`]' order), and its code
    /// checked ([`crate::check`]); or the error that stops it from loading.
    pub fn listed_programs(&self) -> Vec<ListedProgram> {
        self.entries()
            .into_iter()
            .map(|entry| ListedProgram {
                program: self.load(&entry),
                name: entry.function.name,
                section: entry.section,
            })
            .collect()
    }

    fn load(&self, entry: &Entry) -> Result<LinkedProgram, ObjectError> {
        let mut program = self.link(entry)?;
        if program.linked.uses_maps {
            let references = self.map_references()?;
            let definitions = self.maps()?;
            let count = definitions.len();
            for definition in definitions {
                Map::new(definition)?;
            }
            patch_map_loads(&mut program.linked, &references, |map| {
                (map < count).then_some(map as u64)
            })?;
        }
        program.check()?;
        Ok(program)
    }
}

/// Puts into each `lddw` of `linked` that loads a map's address the value `handle`
/// gives for the map's index (`None`: no such map), as `references` locate them.
pub fn patch_map_loads(
    linked: &mut Linked,
    references: &[MapReference],
    handle: impl Fn(usize) -> Option<u64>,
) -> Result<(), ObjectError> {
    for load in &linked.map_loads {
        let handle = references
            .iter()
            .find(|r| r.section == load.section && r.insn == load.at)
            .and_then(|r| handle(r.map))
            .ok_or_else(|| ObjectError::Link {
                section: load.section.clone(),
                function: load.function.clone(),
                insn: load.at,
                why: "a 64-bit load (lddw) of a map that the object's map definitions do not hold"
                    .to_owned(),
            })?;
        let o = load.insn * 8;
        let Some(lddw) = linked.code.get_mut(o..o + 16) else {
            return Err(ObjectError::Link {
                section: load.section.clone(),
                function: load.function.clone(),
                insn: load.at,
                why: "a 64-bit load (lddw) of a map cut off by the end of its function".to_owned(),
            });
        };
        lddw[4..8].copy_from_slice(&(handle as u32).to_le_bytes());
        lddw[12..16].copy_from_slice(&((handle >> 32) as u32).to_le_bytes());
    }
    Ok(())
}

/// One program of an object, as [`Object::listed_programs`] lists it.
#[derive(Debug)]
pub struct ListedProgram {
    pub section: String,
    /// The entry function's symbol.
    pub name: String,
    pub program: Result<LinkedProgram, ObjectError>,
}
