//! What the command line prints of a run: the object's programs (`--list`), and
//! what a run did, as text or as JSON.

use crate::context::{Context, hex};
use crate::exec::vm::{Engine, Outcome};
use crate::helpers::Arg;
use crate::loader::BpfObject;
use crate::program::Program;
use crate::scenario::{final_maps, maps_json};

/// The engines that ran, and why the JIT did not when it could have.
pub struct Engines {
    pub used: Vec<Engine>,
    pub jit_skipped: Option<String>,
}

impl std::fmt::Display for Engines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.used.iter().map(|e| e.describe()).collect();
        f.write_str(&names.join(" = "))?;
        match &self.jit_skipped {
            Some(why) => write!(f, " (JIT skipped: {why})"),
            None => Ok(()),
        }
    }
}

/// One line per program of `object` (`--list`), and one per code section of no hook.
pub fn program_list(object: &BpfObject<'_>) -> String {
    let mut out = String::new();
    for listed in object.listed_programs() {
        match &listed.program {
            Ok(p) => out.push_str(&format!(
                "{} {}: {} ({}), context {}, {} instructions, instruction set {}\n",
                listed.section,
                listed.name,
                p.hook.name,
                p.attach.attach_type,
                p.hook.context,
                p.instruction_count(),
                p.features()
            )),
            Err(e) => out.push_str(&format!("{} {}: error: {e}\n", listed.section, listed.name)),
        }
    }
    for section in object.program_sections() {
        if section != ".text" && nethooks_obj::hook_for_section(&section).is_err() {
            out.push_str(&format!("{section}: (no hook)\n"));
        }
    }
    out
}

/// What a run did, as text.
pub fn outcome_text(program: &Program, outcome: &Outcome, engines: &Engines) -> String {
    let mut out = format!(
        "program: section {} -> {} ({}), context {}\n",
        program.section, program.hook.name, program.attach.attach_type, program.hook.context
    );
    out.push_str(&format!(
        "entry: {} ({} instructions)\n",
        program.name,
        program.instruction_count()
    ));
    out.push_str(&format!("instruction set: {}\n", program.features()));
    for (name, bytes) in &outcome.context_after.data {
        out.push_str(&format!("context data: {name} hex:{}\n", hex(bytes)));
    }
    out.push_str(&format!("verdict: {}\n", outcome.verdict));
    if outcome.calls.is_empty() {
        out.push_str("helper calls: none\n");
    }
    for call in &outcome.calls {
        let args: Vec<String> = call
            .args
            .iter()
            .map(|a| match a {
                Arg::Context => "ctx".to_owned(),
                Arg::ContextAt(off) => format!("ctx+{off}"),
                Arg::Pointer => "ptr".to_owned(),
                Arg::Null => "NULL".to_owned(),
                Arg::Map(name) => format!("map `{name}`"),
                Arg::Bytes(b) => format!("hex:{}", hex(b)),
                Arg::Out(n) => format!("out[{n}]"),
                Arg::Int(v) => v.to_string(),
            })
            .collect();
        out.push_str(&format!(
            "helper call: {:#x} {}({})\n",
            call.id,
            call.name,
            args.join(", ")
        ));
    }
    if let Some(bytes) = &outcome.redirect_context {
        out.push_str(&format!("redirect context: hex:{}\n", hex(bytes)));
    }
    if outcome.writes.is_empty() {
        out.push_str("context writes: none\n");
    }
    for w in &outcome.writes {
        out.push_str(&format!(
            "context write: {} hex:{} -> hex:{}\n",
            w.member,
            hex(&w.before),
            hex(&w.after)
        ));
    }
    for line in outcome.effect_lines() {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&format!("engines: {engines}\n"));
    out
}

/// What a run did, as JSON: the outcome's own JSON with the program, its context
/// and maps, and the engines.
pub fn outcome_json(
    program: &Program,
    context: &Context,
    outcome: &Outcome,
    engines: &Engines,
) -> serde_json::Value {
    let mut json = outcome.json_object();
    let serde_json::Value::Object(run) = serde_json::json!({
        "section": program.section,
        "program": program.name,
        "instructions": program.instruction_count(),
        "instruction_set": {
            "cpu": program.features().cpu.to_string(),
            "features": program.features().features.iter().map(|f| f.name()).collect::<Vec<_>>(),
            "summary": program.features().to_string(),
        },
        "hook": program.hook.name,
        "attach_type": program.attach.attach_type,
        "context": context
            .layout()
            .members
            .iter()
            .map(|m| (m.name.to_owned(), serde_json::Value::from(hex(&context.bytes()[m.offset..m.offset + m.size]))))
            .collect::<serde_json::Map<_, _>>(),
        // What the pointer members pointed at (their addresses are never shown).
        "context_data": context
            .data
            .iter()
            .map(|(name, bytes)| (name.clone(), serde_json::Value::from(hex(bytes))))
            .collect::<serde_json::Map<_, _>>(),
        "redirect_context": outcome.redirect_context.as_deref().map(hex),
        "maps": program.with_maps(|maps| maps_json(&final_maps(maps))),
        "engines": engines.used,
        "jit_skipped": engines.jit_skipped,
    }) else {
        unreachable!("a JSON object")
    };
    json.extend(run);
    json.into()
}
