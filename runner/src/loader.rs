//! Loading an object's programs into the runner: the object crate (`nethooks_obj`)
//! reads, selects and links them; here each gets the state it runs on, with the
//! object's maps created in it and their handles patched into the code.

use nethooks_obj::{Entry, MapReference, Object};

use crate::error::RunError;
use crate::map_store::{MapDefinition, Maps};
use crate::program::Program;
use crate::state::{self, ProgramState, SharedState};

/// A parsed eBPF ELF object, whose programs load into the runner.
pub struct BpfObject<'data> {
    object: Object<'data>,
}

impl<'data> BpfObject<'data> {
    /// Parses `data`; rejects anything that is not a little-endian eBPF ELF object.
    pub fn parse(data: &'data [u8]) -> Result<BpfObject<'data>, RunError> {
        Ok(BpfObject {
            object: Object::parse(data)?,
        })
    }

    /// The object as the object crate reads it.
    pub fn object(&self) -> &Object<'data> {
        &self.object
    }

    /// The maps the object declares: legacy `maps` records, then BTF `.maps`
    /// (see [`nethooks_obj::map_def::definitions`]).
    pub fn maps(&self) -> Result<Vec<MapDefinition>, RunError> {
        Ok(self.object.maps()?)
    }

    /// Every `lddw` of a map's address in the object's code sections.
    pub fn map_references(&self) -> Result<Vec<MapReference>, RunError> {
        Ok(self.object.map_references()?)
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
        self.object.program_sections()
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
        self.object
            .entries()
            .into_iter()
            .map(|entry| ListedProgram {
                program: self.load(&entry, None),
                name: entry.function.name,
                section: entry.section,
            })
            .collect()
    }

    /// The program chosen by `selector`, a section or an entry function's name; with
    /// `None`, the object's only program.
    pub fn program(&self, selector: Option<&str>) -> Result<Program, RunError> {
        self.load(&self.object.choose(selector)?, None)
    }

    /// [`BpfObject::program`], loaded onto `state`, which it shares with the other
    /// programs loaded onto it: global data (by section) and maps persist across the
    /// runs of all of them, as in one loaded object.
    pub fn program_sharing(
        &self,
        selector: Option<&str>,
        state: &SharedState,
    ) -> Result<Program, RunError> {
        self.load(&self.object.choose(selector)?, Some(state))
    }

    /// The program in section `section` (if given) whose entry is `name` (if given).
    pub fn select(&self, section: Option<&str>, name: Option<&str>) -> Result<Program, RunError> {
        self.load(&self.object.select(section, name)?, None)
    }

    fn load(&self, entry: &Entry, state: Option<&SharedState>) -> Result<Program, RunError> {
        let mut program = self.object.link(entry)?;
        let state = state.cloned().unwrap_or_default();
        if program.linked.uses_maps {
            // Creates the object's maps in `state` (once), and puts each map's
            // handle into the loads of its address.
            let references = self.map_references()?;
            let mut state = state::lock(&state);
            if !state.maps_created {
                state.maps = self.create_maps()?;
                state.maps_created = true;
            }
            nethooks_obj::patch_map_loads(&mut program.linked, &references, |map| {
                state.maps.handle(map)
            })?;
        }
        program.check()?;
        Ok(Program::new(program, state))
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
