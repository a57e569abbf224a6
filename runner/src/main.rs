//! `nethooks-run`: run a network-hook eBPF program against a context given by hand.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};
use nethooks_run::{Context, Engine, Outcome, Program, RunError, context::hex};

/// Run an eBPF program of the network hooks in a userspace VM (rbpf) and print its
/// verdict, the helper calls it made and the context members it wrote.
#[derive(Parser)]
#[command(name = "nethooks-run", version)]
struct Cli {
    /// The eBPF ELF object (`clang -O2 -target bpf -c prog.c`).
    object: PathBuf,
    /// ELF section of the program (see the list below); needed when the object
    /// holds more than one.
    #[arg(long, short)]
    section: Option<String>,
    /// Context members, `member=value,...` (repeatable; applied after --ctx-file).
    /// Values: 42, 0x2a, net:80 (network byte order), 10.0.0.1, ::1, hex:0200..., or
    /// an enumerator name.
    #[arg(long = "ctx", value_name = "ASSIGNMENTS")]
    ctx: Vec<String>,
    /// A TOML or JSON (by extension) file of member values.
    #[arg(long, value_name = "FILE")]
    ctx_file: Option<PathBuf>,
    /// Which engine runs the program; `both` also checks that they agree.
    #[arg(long, value_enum, default_value_t = EngineChoice::Both)]
    engine: EngineChoice,
    /// List the object's program sections and their hooks, and exit.
    #[arg(long)]
    list: bool,
    /// Print the outcome as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum EngineChoice {
    Interpreter,
    Jit,
    Both,
}

/// The hooks' sections, from the generated hook table, for --help.
fn sections_help() -> String {
    let mut help = String::from("Sections and their hooks:\n");
    for hook in ebpf_nethooks_bindings::abi::HOOKS {
        for attach in hook.attach_types {
            help.push_str(&format!(
                "  {:<32} {} (context {})\n",
                attach.section, hook.name, hook.context
            ));
        }
    }
    help
}

fn main() -> ExitCode {
    let matches = Cli::command().after_help(sections_help()).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(&cli) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, RunError> {
    std::fs::read(path).map_err(|e| RunError::Io {
        path: path.to_owned(),
        why: e.to_string(),
    })
}

fn run(cli: &Cli) -> Result<String, RunError> {
    let elf = read(&cli.object)?;
    let object = nethooks_run::BpfObject::parse(&elf)?;
    if cli.list {
        return Ok(list(&object));
    }
    let program = object.program(cli.section.as_deref())?;
    let mut context = nethooks_run::context_for(&program)?;
    if let Some(file) = &cli.ctx_file {
        let text = String::from_utf8(read(file)?).map_err(|e| RunError::ContextFile {
            file: file.display().to_string(),
            why: e.to_string(),
        })?;
        context.apply_file(&file.display().to_string(), &text)?;
    }
    for assignments in &cli.ctx {
        context.apply_assignments(assignments)?;
    }
    let (outcome, engines) = match cli.engine {
        EngineChoice::Both => nethooks_run::run_checked(&program, &context)?,
        EngineChoice::Interpreter => (
            nethooks_run::run(&program, &context, Engine::Interpreter)?,
            vec![Engine::Interpreter],
        ),
        EngineChoice::Jit => {
            if !nethooks_run::JIT_AVAILABLE {
                return Err(RunError::Vm {
                    engine: "JIT",
                    why: "rbpf has no JIT on this platform; use --engine interpreter".to_owned(),
                });
            }
            (
                nethooks_run::run(&program, &context, Engine::Jit)?,
                vec![Engine::Jit],
            )
        }
    };
    Ok(if cli.json {
        json(&program, &context, &outcome, &engines)
    } else {
        text(&program, &outcome, &engines)
    })
}

fn list(object: &nethooks_run::BpfObject<'_>) -> String {
    let mut out = String::new();
    for section in object.program_sections() {
        match nethooks_run::hook_for_section(&section) {
            Ok((hook, attach)) => out.push_str(&format!(
                "{section}: {} ({}), context {}\n",
                hook.name, attach.attach_type, hook.context
            )),
            Err(_) => out.push_str(&format!("{section}: (no hook)\n")),
        }
    }
    out
}

fn text(program: &Program, outcome: &Outcome, engines: &[Engine]) -> String {
    let mut out = format!(
        "program: section {} -> {} ({}), context {}\n",
        program.section, program.hook.name, program.attach.attach_type, program.hook.context
    );
    out.push_str(&format!("verdict: {}\n", outcome.verdict));
    if outcome.calls.is_empty() {
        out.push_str("helper calls: none\n");
    }
    for call in &outcome.calls {
        let args: Vec<String> = call
            .args
            .iter()
            .map(|a| match a {
                nethooks_run::Arg::Context => "ctx".to_owned(),
                nethooks_run::Arg::ContextAt(off) => format!("ctx+{off}"),
                nethooks_run::Arg::Pointer => "ptr".to_owned(),
                nethooks_run::Arg::Bytes(b) => format!("hex:{}", hex(b)),
                nethooks_run::Arg::Out(n) => format!("out[{n}]"),
                nethooks_run::Arg::Int(v) => v.to_string(),
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
    let engines: Vec<&str> = engines.iter().map(|e| e.describe()).collect();
    out.push_str(&format!("engines: {}\n", engines.join(" = ")));
    out
}

fn json(program: &Program, context: &Context, outcome: &Outcome, engines: &[Engine]) -> String {
    let value = serde_json::json!({
        "section": program.section,
        "hook": program.hook.name,
        "attach_type": program.attach.attach_type,
        "context": context
            .layout()
            .members
            .iter()
            .map(|m| (m.name.to_owned(), serde_json::Value::from(hex(&context.bytes()[m.offset..m.offset + m.size]))))
            .collect::<serde_json::Map<_, _>>(),
        "verdict": outcome.verdict.name(),
        "verdict_value": match outcome.verdict {
            nethooks_run::Verdict::Named { value, .. }
            | nethooks_run::Verdict::Unlisted(value)
            | nethooks_run::Verdict::Int(value) => value,
        },
        "helper_calls": outcome.calls,
        "redirect_context": outcome.redirect_context.as_deref().map(hex),
        "context_writes": outcome.writes,
        "engines": engines,
    });
    format!("{value:#}\n")
}
