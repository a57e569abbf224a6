//! Reading a built object back: the calls it makes that it does not hold (the llc
//! route's sign that bpf-linker is needed), the calls that can panic, and one summary
//! line per program, as the runner loads it (through the object crate, `nethooks_obj`).

use std::path::Path;

use ebpf_nethooks_bindings::abi::{self, HelperInfo};
use ebpf_nethooks_bindings::general;
use nethooks_obj::isa::CALL;
use object::{Object, ObjectSection, ObjectSymbol, RelocationTarget, SectionKind, SymbolKind};

use crate::error::{BuildError, PanicSite};

fn read(path: &Path) -> Result<Vec<u8>, BuildError> {
    std::fs::read(path).map_err(|e| BuildError::Object {
        path: path.to_owned(),
        why: e.to_string(),
    })
}

/// A symbol's name without Rust's mangling and hash.
pub fn demangle(name: &str) -> String {
    format!("{:#}", rustc_demangle::demangle(name))
}

/// Whether calling `name` (demangled) means the program can panic.
/// Only `core`'s functions count: a function of the crate's own whose name mentions
/// panics is an ordinary call.
fn is_panic_function(name: &str) -> bool {
    name == "rust_begin_unwind"
        || name.starts_with("core::")
            && (name.starts_with("core::panicking::")
                || name.starts_with("core::slice::index::")
                || name.ends_with("::unwrap_failed")
                || name.ends_with("::expect_failed")
                || name.contains("panic"))
}

/// One BPF-to-BPF call site: the function that calls and the function called.
struct Call {
    caller: String,
    callee: String,
    defined: bool,
}

/// Every call through a relocation in the code sections of `file`.
fn calls(file: &object::File<'_>) -> Vec<Call> {
    let function_at = |section: object::SectionIndex, offset: u64| -> Option<String> {
        file.symbols()
            .filter(|s| s.section_index() == Some(section) && s.kind() == SymbolKind::Text)
            .find(|s| s.address() <= offset && offset < s.address() + s.size().max(8))
            .and_then(|s| s.name().ok().map(demangle))
    };
    let mut calls = Vec::new();
    for section in file.sections().filter(|s| s.kind() == SectionKind::Text) {
        let Ok(code) = section.data() else { continue };
        for (offset, relocation) in section.relocations() {
            let Some(insn) = code.get(offset as usize..offset as usize + 8) else {
                continue;
            };
            if insn[0] != CALL || insn[1] >> 4 != 1 {
                continue;
            }
            let RelocationTarget::Symbol(index) = relocation.target() else {
                continue;
            };
            let Ok(symbol) = file.symbol_by_index(index) else {
                continue;
            };
            let caller = function_at(section.index(), offset)
                .unwrap_or_else(|| format!("{}+{offset}", section.name().unwrap_or("?")));
            let (callee, defined) = if symbol.is_undefined() {
                (demangle(symbol.name().unwrap_or("?")), false)
            } else if symbol.kind() == SymbolKind::Section {
                // A call to a section symbol names its target by instruction offset.
                let imm = i32::from_le_bytes([insn[4], insn[5], insn[6], insn[7]]);
                let target = (i64::from(imm) + 1) * 8 + symbol.address() as i64;
                let name = symbol
                    .section_index()
                    .and_then(|s| function_at(s, target.max(0) as u64));
                (
                    name.unwrap_or_else(|| format!("an unnamed function at {target}")),
                    true,
                )
            } else {
                (demangle(symbol.name().unwrap_or("?")), true)
            };
            calls.push(Call {
                caller,
                callee,
                defined,
            });
        }
    }
    calls
}

fn parse<'a>(path: &Path, bytes: &'a [u8]) -> Result<object::File<'a>, BuildError> {
    object::File::parse(bytes).map_err(|e| BuildError::Object {
        path: path.to_owned(),
        why: e.to_string(),
    })
}

/// Functions the object calls but does not hold, other than panics (demangled, each once).
pub fn undefined_calls(path: &Path) -> Result<Vec<String>, BuildError> {
    let bytes = read(path)?;
    let file = parse(path, &bytes)?;
    let mut missing: Vec<String> = calls(&file)
        .into_iter()
        .filter(|c| !c.defined && !is_panic_function(&c.callee))
        .map(|c| format!("`{}`", c.callee))
        .collect();
    missing.sort();
    missing.dedup();
    Ok(missing)
}

/// The calls that can reach a panic, each once, in file order.
pub fn panic_sites(path: &Path) -> Result<Vec<PanicSite>, BuildError> {
    let bytes = read(path)?;
    let file = parse(path, &bytes)?;
    let mut sites: Vec<PanicSite> = Vec::new();
    for call in calls(&file) {
        // A panic function calling another is the same panic; report the user's call.
        if is_panic_function(&call.callee) && !is_panic_function(&call.caller) {
            let site = PanicSite {
                caller: call.caller,
                callee: call.callee,
            };
            if !sites.contains(&site) {
                sites.push(site);
            }
        }
    }
    Ok(sites)
}

/// One line per program of the object, as the runner loads it; `NoHook` if none.
pub fn summary(path: &Path, package: &str) -> Result<Vec<String>, BuildError> {
    let bytes = read(path)?;
    let object = nethooks_obj::Object::parse(&bytes).map_err(|e| BuildError::Object {
        path: path.to_owned(),
        why: e.to_string(),
    })?;
    let programs: Vec<_> = object
        .listed_programs()
        .into_iter()
        .map(|l| l.program)
        .collect();
    if programs.is_empty() {
        return Err(BuildError::NoHook {
            package: package.to_owned(),
        });
    }
    let mut lines = Vec::new();
    for program in programs {
        let program = program.map_err(|e| BuildError::Object {
            path: path.to_owned(),
            why: e.to_string(),
        })?;
        let helpers: Vec<String> = program
            .helper_ids()
            .into_iter()
            .filter_map(helper)
            .map(|h| format!("{} ({:#x})", h.name, h.id))
            .collect();
        lines.push(format!(
            "program {}: section `{}`, hook {} at {}, {} instructions, helpers: {}, instruction set: {}",
            program.name,
            program.section,
            program.hook.name,
            program.attach.name,
            program.instruction_count(),
            if helpers.is_empty() {
                "none".to_owned()
            } else {
                helpers.join(", ")
            },
            program.features()
        ));
    }
    Ok(lines)
}

/// The helper a `call` with immediate `id` names: a hook's helper of the spec or a
/// general helper (their IDs do not overlap).
fn helper(id: u32) -> Option<&'static HelperInfo> {
    abi::HELPERS
        .iter()
        .chain(general::abi::HELPERS)
        .find(|h| h.id == i64::from(id))
}

#[cfg(test)]
mod tests {
    use super::is_panic_function;

    #[test]
    fn only_cores_panicking_functions_are_panics() {
        for name in [
            "rust_begin_unwind",
            "core::panicking::panic_bounds_check",
            "core::panicking::panic_const::panic_const_div_by_zero",
            "core::slice::index::slice_end_index_len_fail",
            "core::option::unwrap_failed",
            "core::result::unwrap_failed",
            "core::option::expect_failed",
        ] {
            assert!(is_panic_function(name), "{name}");
        }
        for name in [
            "policy::avoid_panic",
            "policy::unwrap_failed",
            "hook_programs::helper_function",
            "memset",
        ] {
            assert!(!is_panic_function(name), "{name}");
        }
    }
}
