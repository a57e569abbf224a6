//! Mapping a refusal back to the program's source: the Rust function an entry point
//! comes from, the instruction of an unknown helper's first call, the map a null
//! check is missing on, and what the common refusals mean in Rust's (or C's) terms.

use std::path::Path;

use object::{Object, ObjectSection, ObjectSymbol, RelocationTarget, SymbolKind};

use super::driver::TABLES;
use super::report::Refusal;
use crate::inspect::demangle;

/// What the object tells of a program: whether it is Rust, and the map whose
/// lookup last precedes instruction `pc` (for a null-check refusal).
struct ProgramFacts {
    rust: bool,
    /// The function holding the entry point, demangled.
    function: String,
    /// The map statics used by the last lookup before `pc`, as the source names it.
    looked_up_map: Option<String>,
    /// Each helper call of the program: (instruction index, helper ID).
    helper_calls: Vec<(u64, i64)>,
}

/// The helper IDs whose result may be NULL: map lookups.
const LOOKUP_HELPERS: [i32; 2] = [1, 4];

fn program_facts(
    object: &Path,
    section: &str,
    program: &str,
    pc: Option<u64>,
) -> Option<ProgramFacts> {
    let data = std::fs::read(object).ok()?;
    let file = object::File::parse(&*data).ok()?;
    // rustc names its object file after the crate's codegen unit (`crate.HASH-cgu.0`);
    // the bpf-linker route keeps mangled names.
    let rust = file.symbols().any(|s| {
        s.name().is_ok_and(|n| {
            (s.kind() == SymbolKind::File && n.contains("-cgu."))
                || n.starts_with("_ZN")
                || n.starts_with("_R")
        })
    });
    let code = file.section_by_name(section)?;
    let entry = file.symbols().find(|s| {
        s.section_index() == Some(code.index())
            && s.kind() == SymbolKind::Text
            && s.name() == Ok(program)
    })?;
    let bytes = code.data().ok()?;
    let start = entry.address();
    let end = pc.map_or(start + entry.size(), |pc| start + pc * 8);
    let mut maps_at: Vec<(u64, String)> = Vec::new();
    for (offset, relocation) in code.relocations() {
        if let RelocationTarget::Symbol(index) = relocation.target()
            && let Ok(symbol) = file.symbol_by_index(index)
            && symbol.kind() == SymbolKind::Data
            && let Ok(name) = symbol.name()
        {
            maps_at.push((offset, source_name(&demangle(name))));
        }
    }
    let mut looked_up_map = None;
    let helper_calls = (start..(start + entry.size()).min(bytes.len() as u64))
        .step_by(8)
        .filter_map(|at| {
            let insn = &bytes[at as usize..at as usize + 8];
            let imm = i32::from_le_bytes([insn[4], insn[5], insn[6], insn[7]]);
            (insn[0] == 0x85 && insn[1] >> 4 == 0).then_some(((at - start) / 8, i64::from(imm)))
        })
        .collect();
    let mut offset = start;
    while offset + 8 <= end.min(bytes.len() as u64) {
        let insn = &bytes[offset as usize..offset as usize + 8];
        let imm = i32::from_le_bytes([insn[4], insn[5], insn[6], insn[7]]);
        if insn[0] == 0x85 && insn[1] >> 4 == 0 && LOOKUP_HELPERS.contains(&imm) {
            looked_up_map = maps_at
                .iter()
                .filter(|(at, _)| *at >= start && *at < offset)
                .max_by_key(|(at, _)| *at)
                .map(|(_, name)| name.clone());
        }
        offset += 8;
    }
    Some(ProgramFacts {
        rust,
        function: demangle(program),
        looked_up_map,
        helper_calls,
    })
}

/// The Rust function an entry point comes from: a hook attribute with several attach
/// types makes `audit_connect4` of `fn audit`; with one, the names are the same.
fn rust_function(entry: &str, section: &str) -> String {
    let hooks = ebpf_nethooks_bindings::abi::HOOKS.iter();
    hooks
        .filter(|hook| hook.attach_types.len() > 1)
        .flat_map(|hook| hook.attach_types.iter())
        .filter(|attach| attach.section == section)
        .find_map(|attach| entry.strip_suffix(&format!("_{}", attach.name)))
        .unwrap_or(entry)
        .to_owned()
}

/// `map_policy::POLICY` -> `POLICY`.
fn source_name(path: &str) -> String {
    path.rsplit("::").next().unwrap_or(path).to_owned()
}

/// Adds the Rust function and an explanation of the common refusals.
pub fn explain(object: &Path, section: &str, program: &str, refusal: &mut Refusal) {
    let facts = program_facts(object, section, program, refusal.instruction);
    let rust = facts.as_ref().is_some_and(|f| f.rust);
    if rust {
        refusal.rust_function = facts.as_ref().map(|f| rust_function(&f.function, section));
    }
    // eBPF for Windows stops at an unknown helper before analysis, with no
    // instruction: the program's first call to it is the one.
    if refusal.instruction.is_none()
        && let Some(id) = refusal.message.strip_prefix("helper prototype not found: ")
        && let Ok(id) = id.parse::<i64>()
    {
        refusal.instruction = facts
            .as_ref()
            .and_then(|f| f.helper_calls.iter().find(|(_, called)| *called == id))
            .map(|(pc, _)| *pc);
    }
    let message = refusal.message.as_str();
    let explanation = if message.contains("Possible null access") {
        let map = facts.as_ref().and_then(|f| f.looked_up_map.clone());
        Some(match (rust, map) {
            (true, Some(map)) => format!(
                "the value from `{map}.get_ptr` (or `get_ptr_mut`) is used without checking it for null: \
                 match its `Option` (`if let Some(ptr) = {map}.get_ptr(..)`) rather than unwrapping it \
                 unchecked, or use `{map}.get(..)`"
            ),
            (true, None) => {
                "a map value is used without checking it for null: match the `Option` of \
                 `get_ptr`/`get_ptr_mut` rather than unwrapping it unchecked, or use `get`"
                    .to_owned()
            }
            (false, Some(map)) => format!(
                "the value from `bpf_map_lookup_elem(&{map}, ..)` is used without checking it for NULL"
            ),
            (false, None) => {
                "a pointer that may be NULL (a map lookup's result) is used without a NULL check"
                    .to_owned()
            }
        })
    } else if message.contains("Loop counter is too large") || message.contains("termination") {
        Some(if rust {
            "this loop has no bound the verifier can see: bound it by a constant \
             (`for i in 0..N` with a `const N`, or `.take(N)`), not by a count read from the context or a map"
                .to_owned()
        } else {
            "this loop has no bound the verifier can see: loop at most a constant number of times"
                .to_owned()
        })
    } else if message.contains("must be at most packet_size") {
        Some(
            "the application ID (packet data) is read without first checking the read against its end: \
             compare `app_id_start + n <= app_id_end` before reading n bytes"
                .to_owned(),
        )
    } else if let Some(limit) = message
        .split("Upper bound must be at most ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .filter(|n| n.parse::<u64>().is_ok())
    {
        Some(format!(
            "this reads or writes past the end of the context ({limit} bytes) or of a buffer of that size"
        ))
    } else if let Some(id) = message.strip_prefix("helper prototype not found: ") {
        Some(format!(
            "helper {id} is not available to programs of this section's type{}",
            known_helper(id)
                .map(|(name, program_type)| format!(
                    ": `{name}` is a helper of `{program_type}` programs"
                ))
                .unwrap_or_else(|| ": no helper has this ID".to_owned())
        ))
    } else if message.contains("Invalid type (r") && message.contains("== number") {
        Some("a number is passed or used where a pointer is needed (such as a helper's memory or map argument)".to_owned())
    } else if message.contains("type == map_fd") || message.contains("map_fd") {
        Some("this argument must be a map (its `lddw` map reference), and of a type the helper takes".to_owned())
    } else if message.contains("Stack content is not numeric")
        || message.contains("not initialized")
        || message.contains("Uninitialized")
    {
        Some("stack memory is read before it was written: initialise the whole variable (and struct padding) first".to_owned())
    } else if message.contains("Illegal map update with a non-numerical value") {
        Some(
            "the key or value handed to the map holds a pointer, or stack bytes never written: \
              maps hold plain, initialised data only"
                .to_owned(),
        )
    } else if message.contains("call target") {
        Some("a call goes to no function of this program: a BPF-to-BPF call must target a function of the same object".to_owned())
    } else if message.contains("Unspecified program type") {
        Some("the section names no program type: use a hook's section (`bind`, `cgroup/connect4`, `sockops`...)".to_owned())
    } else if message.contains("fallthrough in last instruction") || message.contains("exit") {
        Some("the program must end with an exit (return) on every path".to_owned())
    } else {
        None
    };
    refusal.explanation = explanation;
}

/// The helper with `id` and the program type whose helper it is, from the tables.
fn known_helper(id: &str) -> Option<(String, String)> {
    TABLES.iter().flat_map(|t| t.lines()).find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some("helper")).then_some(())?;
        let program_type = words.next()?;
        (words.next() == Some(id)).then(|| {
            (
                words.next().unwrap_or("?").to_owned(),
                program_type.to_owned(),
            )
        })
    })
}
