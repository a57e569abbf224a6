//! Linking one program as a loader (libbpf) does: the entry function's instructions,
//! then every function reachable through BPF-to-BPF calls (in the same section
//! without a relocation, or in another code section through `R_BPF_64_32`), each
//! call's offset rewritten; `lddw` of global data (`R_BPF_64_64` against `.data*`,
//! `.rodata*`, `.bss*`) recorded so a run can patch in the address of its copy;
//! `lddw` of a map (`R_BPF_64_64` against a symbol in `maps`, `maps/*` or `.maps`)
//! recorded so the loader can patch in the map's handle.

use std::collections::HashMap;

use object::{
    Object, ObjectSection, ObjectSymbol, RelocationFlags, RelocationTarget, SectionIndex,
    SymbolIndex, SymbolKind,
};

use crate::error::ObjectError;
use crate::isa::{CALL, Insn, LD_DW_IMM, R_BPF_64_32, R_BPF_64_64, R_BPF_NONE, is_local_call};

mod functions;

pub use functions::{Function, functions};

/// A global-data section as loaded: its initial bytes and the symbols in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSection {
    pub name: String,
    pub init: Vec<u8>,
    pub writable: bool,
    /// Variables: name, offset and size.
    pub symbols: Vec<(String, usize, usize)>,
    elf_index: SectionIndex,
}

/// An `lddw` of the address `offset` bytes into data section `section`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataRef {
    /// Index of the lddw in the linked code.
    pub insn: usize,
    pub section: usize,
    pub offset: i64,
}

/// An `lddw` of a map's address: where it is in the linked code, and where it came
/// from (to match with [`crate::Object::map_references`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapLoad {
    /// Index of the lddw in the linked code.
    pub insn: usize,
    /// The code section it came from, and its index there.
    pub section: String,
    pub at: usize,
    /// The function it is in (for errors).
    pub function: String,
}

/// A linked program.
#[derive(Debug, Clone)]
pub struct Linked {
    pub code: Vec<u8>,
    pub data: Vec<DataSection>,
    pub data_refs: Vec<DataRef>,
    pub map_loads: Vec<MapLoad>,
    /// Whether the code loads a map's address (set once its loads are patched).
    pub uses_maps: bool,
}

#[derive(Clone, Copy)]
struct Reloc {
    r_type: u32,
    symbol: Option<SymbolIndex>,
}

struct Linker<'d, 'f> {
    file: &'f object::File<'d>,
    functions: HashMap<SectionIndex, Vec<Function>>,
    code: HashMap<SectionIndex, &'d [u8]>,
    /// Relocations by offset: type and symbol.
    relocations: HashMap<SectionIndex, HashMap<u64, Reloc>>,
    placed: Vec<(Function, usize)>,
    out: Vec<u8>,
    data: Vec<DataSection>,
    data_refs: Vec<DataRef>,
    map_loads: Vec<MapLoad>,
}

/// Links the program whose entry is `entry`.
pub fn link(file: &object::File<'_>, entry: &Function) -> Result<Linked, ObjectError> {
    let mut linker = Linker {
        file,
        functions: functions(file),
        code: HashMap::new(),
        relocations: HashMap::new(),
        placed: Vec::new(),
        out: Vec::new(),
        data: Vec::new(),
        data_refs: Vec::new(),
        map_loads: Vec::new(),
    };
    linker.place(entry.clone())?;
    let mut next = 0;
    while next < linker.placed.len() {
        let (function, out_start) = linker.placed[next].clone();
        linker.copy(&function, out_start)?;
        next += 1;
    }
    Ok(Linked {
        uses_maps: !linker.map_loads.is_empty(),
        code: linker.out,
        data: linker.data,
        data_refs: linker.data_refs,
        map_loads: linker.map_loads,
    })
}

fn section_name(file: &object::File<'_>, index: SectionIndex) -> String {
    file.section_by_index(index)
        .ok()
        .and_then(|s| s.name().ok().map(str::to_owned))
        .unwrap_or_else(|| format!("section #{}", index.0))
}

impl<'d> Linker<'d, '_> {
    fn bad(&self, function: &Function, insn: usize, why: String) -> ObjectError {
        ObjectError::Link {
            section: section_name(self.file, function.section),
            function: function.name.clone(),
            insn,
            why,
        }
    }

    /// Where `function` is (or now goes) in the output.
    fn place(&mut self, function: Function) -> Result<usize, ObjectError> {
        if let Some((_, at)) = self
            .placed
            .iter()
            .find(|(f, _)| f.section == function.section && f.start == function.start)
        {
            return Ok(*at);
        }
        if !self.code.contains_key(&function.section) {
            let section = self
                .file
                .section_by_index(function.section)
                .map_err(|e| self.bad(&function, 0, e.to_string()))?;
            let data = section
                .data()
                .map_err(|e| self.bad(&function, 0, e.to_string()))?;
            let relocations = section
                .relocations()
                .map(|(offset, r)| {
                    let r_type = match r.flags() {
                        RelocationFlags::Elf { r_type } => r_type,
                        _ => u32::MAX,
                    };
                    let symbol = match r.target() {
                        RelocationTarget::Symbol(index) => Some(index),
                        _ => None,
                    };
                    (offset, Reloc { r_type, symbol })
                })
                .collect();
            self.code.insert(function.section, data);
            self.relocations.insert(function.section, relocations);
        }
        let slots = self.code[&function.section].len() / 8;
        if function.len == 0 || function.start + function.len > slots {
            return Err(self.bad(
                &function,
                0,
                format!("a function of {} instructions at #{}, past the end of its section ({slots} instructions)", function.len, function.start),
            ));
        }
        let at = self.placed.last().map_or(0, |(f, at)| at + f.len);
        self.placed.push((function, at));
        Ok(at)
    }

    /// Copies `function` to `out_start` (its place), resolving its calls and data loads.
    fn copy(&mut self, function: &Function, out_start: usize) -> Result<(), ObjectError> {
        let code = self.code[&function.section];
        let bytes = &code[function.start * 8..(function.start + function.len) * 8];
        self.out.extend_from_slice(bytes);
        let mut k = 0;
        while k < function.len {
            let at = function.start + k;
            let Some(insn) = Insn::at(code, at) else {
                break;
            };
            let relocation = self.relocations[&function.section]
                .get(&(at as u64 * 8))
                .copied();
            let r_type = relocation.map(|r| r.r_type);
            let symbol = relocation.and_then(|r| r.symbol);
            match (insn.op, r_type) {
                (_, Some(R_BPF_NONE)) => {}
                (CALL, None) if is_local_call(insn) => {
                    let target = at as i64 + 1 + i64::from(insn.imm);
                    self.call(function, out_start, k, function.section, target)?;
                }
                (CALL, Some(R_BPF_64_32)) if is_local_call(insn) || insn.src == 0 => {
                    let (section, value) = self.symbol(function, at, symbol)?;
                    self.require_code(function, at, section)?;
                    let target = value as i64 / 8 + 1 + i64::from(insn.imm);
                    self.call(function, out_start, k, section, target)?;
                }
                (LD_DW_IMM, Some(R_BPF_64_64)) if self.is_map_symbol(function, at, symbol)? => {
                    self.map_loads.push(MapLoad {
                        insn: out_start + k,
                        section: section_name(self.file, function.section),
                        at,
                        function: function.name.clone(),
                    });
                }
                (LD_DW_IMM, Some(R_BPF_64_64)) => {
                    let (section, value) = self.symbol(function, at, symbol)?;
                    let data = self.data_section(function, at, section, symbol)?;
                    self.data_refs.push(DataRef {
                        insn: out_start + k,
                        section: data,
                        offset: value as i64 + i64::from(insn.imm),
                    });
                    let o = (out_start + k) * 8;
                    self.out[o + 4..o + 8].fill(0);
                }
                (_, Some(r_type)) => {
                    return Err(self.bad(function, at, format!(
                        "a relocation of type {r_type} against {} on opcode {:#04x}, which the runner does not support (it links calls, R_BPF_64_32, and lddw of global data, R_BPF_64_64)",
                        self.target_name(symbol), insn.op
                    )));
                }
                _ => {}
            }
            k += if insn.op == LD_DW_IMM { 2 } else { 1 };
        }
        Ok(())
    }

    /// Rewrites the call at `k` of `function` (placed at `out_start`) to `target` in `section`.
    fn call(
        &mut self,
        function: &Function,
        out_start: usize,
        k: usize,
        section: SectionIndex,
        target: i64,
    ) -> Result<(), ObjectError> {
        let at = function.start + k;
        let slots = self
            .file
            .section_by_index(section)
            .map_or(0, |s| s.size() / 8) as i64;
        if target < 0 || target >= slots {
            return Err(self.bad(
                function,
                at,
                format!(
                    "a call to instruction {target} of `{}`, which has {slots} instructions",
                    section_name(self.file, section)
                ),
            ));
        }
        let target = target as usize;
        let callee = self.function_at(section, target);
        let callee_start = callee.start;
        let callee_out = self.place(callee)?;
        let new_target = callee_out + (target - callee_start);
        let imm = new_target as i64 - (out_start + k) as i64 - 1;
        let imm =
            i32::try_from(imm).map_err(|_| self.bad(function, at, "a call too far".to_owned()))?;
        let o = (out_start + k) * 8;
        self.out[o + 1] = (self.out[o + 1] & 0x0f) | 0x10;
        self.out[o + 4..o + 8].copy_from_slice(&imm.to_le_bytes());
        Ok(())
    }

    /// The function holding instruction `target` of `section` (a gap between symbols
    /// counts as a function, so unnamed code still links).
    fn function_at(&self, section: SectionIndex, target: usize) -> Function {
        let list = self
            .functions
            .get(&section)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if let Some(f) = list
            .iter()
            .find(|f| f.start <= target && target < f.start + f.len)
        {
            return f.clone();
        }
        let slots = self
            .file
            .section_by_index(section)
            .map_or(0, |s| (s.size() / 8) as usize);
        let start = list
            .iter()
            .map(|f| f.start + f.len)
            .filter(|&e| e <= target)
            .max()
            .unwrap_or(0);
        let end = list
            .iter()
            .map(|f| f.start)
            .filter(|&s| s > target)
            .min()
            .unwrap_or(slots);
        Function {
            section,
            name: format!("{}+{}", section_name(self.file, section), start * 8),
            start,
            len: end - start,
            global: false,
        }
    }

    fn target_name(&self, symbol: Option<SymbolIndex>) -> String {
        let Some(index) = symbol else {
            return "no symbol".to_owned();
        };
        match self.file.symbol_by_index(index) {
            Ok(sym) if sym.kind() == SymbolKind::Section => match sym.section_index() {
                Some(s) => format!("section `{}`", section_name(self.file, s)),
                None => format!("symbol #{}", index.0),
            },
            Ok(sym) => format!("`{}`", sym.name().unwrap_or("?")),
            Err(_) => format!("symbol #{}", index.0),
        }
    }

    /// The section and value of a relocation's symbol; an undefined one is an error.
    fn symbol(
        &self,
        function: &Function,
        at: usize,
        symbol: Option<SymbolIndex>,
    ) -> Result<(SectionIndex, u64), ObjectError> {
        let Some(index) = symbol else {
            return Err(self.bad(function, at, "a relocation without a symbol".to_owned()));
        };
        let sym = self.file.symbol_by_index(index).map_err(|e| {
            self.bad(
                function,
                at,
                format!("a relocation against a bad symbol: {e}"),
            )
        })?;
        let name = sym.name().unwrap_or("").to_owned();
        if sym.is_undefined() {
            return Err(ObjectError::UndefinedSymbol {
                section: section_name(self.file, function.section),
                function: function.name.clone(),
                insn: at,
                symbol: name,
            });
        }
        match sym.section_index() {
            Some(section) => Ok((section, sym.address())),
            None => Err(self.bad(function, at, format!(
                "a relocation against `{name}`, which is in no section (a common or absolute symbol); the runner does not support it"
            ))),
        }
    }

    /// Whether the relocation's symbol lies in a map section (`maps`, `maps/*`, `.maps`).
    fn is_map_symbol(
        &self,
        function: &Function,
        at: usize,
        symbol: Option<SymbolIndex>,
    ) -> Result<bool, ObjectError> {
        let (section, _) = self.symbol(function, at, symbol)?;
        let name = section_name(self.file, section);
        Ok(crate::map_def::is_legacy_section(&name) || name == ".maps")
    }

    fn require_code(
        &self,
        function: &Function,
        at: usize,
        section: SectionIndex,
    ) -> Result<(), ObjectError> {
        let kind = self.file.section_by_index(section).map(|s| s.kind());
        if kind.is_ok_and(|k| k == object::SectionKind::Text) {
            return Ok(());
        }
        Err(self.bad(
            function,
            at,
            format!(
                "a call into `{}`, which holds no code",
                section_name(self.file, section)
            ),
        ))
    }

    /// The index of `section` among the program's data sections, adding it if new.
    fn data_section(
        &mut self,
        function: &Function,
        at: usize,
        section: SectionIndex,
        symbol: Option<SymbolIndex>,
    ) -> Result<usize, ObjectError> {
        if let Some(i) = self.data.iter().position(|d| d.elf_index == section) {
            return Ok(i);
        }
        let name = section_name(self.file, section);
        let is_data = [".data", ".rodata", ".bss"]
            .iter()
            .any(|p| name.starts_with(p));
        if !is_data {
            let what = "neither global data (`.data*`, `.rodata*`, `.bss*`), a map section (`maps`, `maps/*`, `.maps`) nor anything else the runner supports";
            let target = self.target_name(symbol);
            let address = if target.starts_with("section ") {
                "an address".to_owned()
            } else {
                format!("the address of {target}")
            };
            return Err(self.bad(
                function,
                at,
                format!("a 64-bit load (lddw) of {address} in section `{name}`, which is {what}"),
            ));
        }
        let sec = self
            .file
            .section_by_index(section)
            .map_err(|e| self.bad(function, at, e.to_string()))?;
        let size = usize::try_from(sec.size())
            .ok()
            .filter(|&s| s <= 1 << 24)
            .ok_or_else(|| {
                self.bad(
                    function,
                    at,
                    format!("section `{name}` is too large ({} bytes)", sec.size()),
                )
            })?;
        let mut init = sec.data().map(<[u8]>::to_vec).unwrap_or_default();
        init.resize(size, 0);
        let symbols = self
            .file
            .symbols()
            .filter(|s| {
                s.section_index() == Some(section)
                    && s.kind() != SymbolKind::Section
                    && s.size() > 0
            })
            .filter_map(|s| {
                Some((
                    variable_name(s.name().ok()?),
                    s.address() as usize,
                    s.size() as usize,
                ))
            })
            .collect();
        self.data.push(DataSection {
            name: name.clone(),
            init,
            writable: !name.starts_with(".rodata"),
            symbols,
            elf_index: section,
        });
        Ok(self.data.len() - 1)
    }
}

/// A global variable's name as its source spells it: Rust's mangling, hash and the
/// `.0` that LLVM appends to a split static removed (`policies::ESTABLISHED`); a C
/// name as it is.
fn variable_name(symbol: &str) -> String {
    let base = symbol.strip_suffix(".0").unwrap_or(symbol);
    match rustc_demangle::try_demangle(base) {
        Ok(demangled) => format!("{demangled:#}"),
        Err(_) => symbol.to_owned(),
    }
}
