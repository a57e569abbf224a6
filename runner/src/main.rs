//! `nethooks-run`: run a network-hook eBPF program against a context given by hand.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, ValueEnum};
use nethooks_run::error::{ExecError, ScenarioError};
use nethooks_run::input::{MAX_OBJECT_BYTES, MAX_TEXT_BYTES, read_capped, read_text_capped};
use nethooks_run::output::{Engines, outcome_json, outcome_text, program_list};
use nethooks_run::scenario::{Prepared, Scenario, Settings};
use nethooks_run::{Engine, RunError, RunOptions};

/// Run an eBPF program of the network hooks in a checking interpreter (and rbpf's
/// JIT) and print its verdict, the helper calls it made, the context members, global
/// data and map entries it wrote, and what it printed; or run a scenario of runs
/// against expected verdicts, maps, ring-buffer records and printk lines.
#[derive(Parser)]
#[command(name = "nethooks-run", version)]
struct Cli {
    /// The eBPF ELF object (`clang -O2 -target bpf -c prog.c`).
    object: PathBuf,
    /// ELF section of the program (see the list below); needed when the object
    /// holds more than one program, unless --program names it.
    #[arg(long, short)]
    section: Option<String>,
    /// The program's entry function (symbol); needed when its section holds several.
    #[arg(long, short)]
    program: Option<String>,
    /// Instructions the interpreter runs before it stops a program that has not exited.
    #[arg(long, value_name = "N", default_value_t = nethooks_run::DEFAULT_MAX_INSNS)]
    max_insns: u64,
    /// Context members, `member=value,...` (repeatable; applied after --ctx-file).
    /// Values: 42, 0x2a, net:80 (network byte order), 10.0.0.1, ::1, hex:0200..., or
    /// an enumerator name.
    #[arg(long = "ctx", value_name = "ASSIGNMENTS")]
    ctx: Vec<String>,
    /// A setting of the helpers' host environment, `name=value` (repeatable): seed,
    /// clock_ns, clock_step_ns, suspended_ns, pid_tgid, logon_id, is_admin,
    /// socket_cookie, process_start_key, thread_create_time, flow_id, interface_type,
    /// tunnel_type, next_hop_interface_luid, sub_interface_index.
    #[arg(
        long = "setting",
        value_name = "NAME=VALUE",
        conflicts_with = "scenario"
    )]
    settings: Vec<String>,
    /// A TOML or JSON (by extension) file of member values.
    #[arg(long, value_name = "FILE")]
    ctx_file: Option<PathBuf>,
    /// Which engine runs the program; `both` also checks that they agree.
    #[arg(long, value_enum, default_value_t = EngineChoice::Both)]
    engine: EngineChoice,
    /// List the object's programs (section, entry function, hook, instruction set), and exit.
    #[arg(long)]
    list: bool,
    /// Run the scenario in this TOML file (initial maps, settings, runs, expected
    /// results) instead of one run; --ctx, --ctx-file, --section and --program do
    /// not apply.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["ctx", "ctx_file", "section", "program", "list"])]
    scenario: Option<PathBuf>,
    /// Print the outcome as JSON.
    #[arg(long)]
    json: bool,
    /// After the run, run the same context N more times in each engine, timed, and
    /// print `engine <name>: N runs, <ns> ns/run` (JSON: `repeat`). The JIT is timed
    /// on context-only programs (no helper calls, maps or writable global data).
    #[arg(long, value_name = "N", conflicts_with_all = ["scenario", "list"])]
    repeat: Option<u64>,
}

#[derive(Clone, Copy, ValueEnum)]
enum EngineChoice {
    Interpreter,
    Jit,
    Both,
}

/// Exit status of a run that exceeded --max-insns.
const EXIT_BUDGET: u8 = 3;
/// Exit status of a scenario that ran but did not go as it expects.
const EXIT_DIFFERS: u8 = 4;

/// The hooks' sections, from the generated hook table, and the exit codes, for --help.
fn after_help() -> String {
    let mut help = String::from("Sections and their hooks:\n");
    for hook in ebpf_nethooks_bindings::abi::HOOKS {
        for attach in hook.attach_types {
            help.push_str(&format!(
                "  {:<32} {} (context {})\n",
                attach.section, hook.name, hook.context
            ));
        }
    }
    help.push_str(&format!(
        "\nExit status:\n  0  the program ran (whatever its verdict)\n  1  an error: bad object, program, context, \
         a fault in the program or a helper, engines that disagree\n  2  a bad command line\n  \
         {EXIT_BUDGET}  the program ran more than --max-insns instructions\n  \
         {EXIT_DIFFERS}  the scenario ran, and something differs from what it expects\n"
    ));
    help
}

fn main() -> ExitCode {
    let matches = Cli::command().after_help(after_help()).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let result = match &cli.scenario {
        Some(file) => scenario(&cli, file),
        None => run(&cli).map(|text| (text, true)),
    };
    match result {
        Ok((text, as_expected)) => {
            print!("{text}");
            if as_expected {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_DIFFERS)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                RunError::Exec(ExecError::Budget { .. }) => ExitCode::from(EXIT_BUDGET),
                RunError::Scenario(ScenarioError::Run { error, .. })
                    if matches!(*error, RunError::Exec(ExecError::Budget { .. })) =>
                {
                    ExitCode::from(EXIT_BUDGET)
                }
                _ => ExitCode::FAILURE,
            }
        }
    }
}

/// Runs the scenario in `file`; returns its report and whether all went as expected.
fn scenario(cli: &Cli, file: &Path) -> Result<(String, bool), RunError> {
    let elf = read_capped(&cli.object, MAX_OBJECT_BYTES)?;
    let object = nethooks_run::BpfObject::parse(&elf)?;
    let name = file.display().to_string();
    let text = read_text_capped(file, MAX_TEXT_BYTES)?;
    let scenario = Scenario::parse(&name, &text)?;
    let prepared = Prepared::new(&scenario, &object)?;
    let engine = match cli.engine {
        EngineChoice::Both => None,
        EngineChoice::Interpreter => Some(Engine::Interpreter),
        EngineChoice::Jit => Some(Engine::Jit),
    };
    let options = RunOptions {
        max_insns: cli.max_insns,
    };
    let report = prepared.run(engine, &options)?;
    if cli.json {
        // Streamed: the JSON of 100,000 runs is never held whole.
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        report
            .write_json(&mut out)
            .and_then(|()| std::io::Write::flush(&mut out))
            .map_err(|e| ScenarioError::Invalid {
                file: name.clone(),
                why: format!("cannot write the report: {e}"),
            })?;
        return Ok((String::new(), report.as_expected()));
    }
    Ok((report.text(), report.as_expected()))
}

fn run(cli: &Cli) -> Result<String, RunError> {
    let elf = read_capped(&cli.object, MAX_OBJECT_BYTES)?;
    let object = nethooks_run::BpfObject::parse(&elf)?;
    if cli.list {
        return Ok(program_list(&object));
    }
    let program = match (&cli.section, &cli.program) {
        (None, None) => object.program(None)?,
        (section, name) => object.select(section.as_deref(), name.as_deref())?,
    };
    let options = RunOptions {
        max_insns: cli.max_insns,
    };
    if !cli.settings.is_empty() {
        let mut env = nethooks_run::Environment::default();
        Settings::from_assignments(&cli.settings)?.apply(&mut env);
        program.set_environment(env);
    }
    let mut context = nethooks_run::context_for(&program)?;
    if let Some(file) = &cli.ctx_file {
        let text = read_text_capped(file, MAX_TEXT_BYTES)?;
        context.apply_file(&file.display().to_string(), &text)?;
    }
    context.apply_all_assignments(&cli.ctx)?;
    let mut jit_skipped = None;
    let (outcome, engines) = match cli.engine {
        EngineChoice::Both => {
            let checked = nethooks_run::run_checked_with(&program, &context, &options)?;
            if checked.1 == [Engine::Interpreter] && nethooks_run::JIT_AVAILABLE {
                jit_skipped = nethooks_run::jit_blocker(&program, &context)?;
            }
            checked
        }
        EngineChoice::Interpreter => (
            nethooks_run::run_with(&program, &context, Engine::Interpreter, &options)?,
            vec![Engine::Interpreter],
        ),
        EngineChoice::Jit => {
            if !nethooks_run::JIT_AVAILABLE {
                return Err(ExecError::Vm {
                    engine: "JIT",
                    why: "rbpf has no JIT on this platform; use --engine interpreter".to_owned(),
                }
                .into());
            }
            (
                nethooks_run::run_with(&program, &context, Engine::Jit, &options)?,
                vec![Engine::Jit],
            )
        }
    };
    let engines = Engines {
        used: engines,
        jit_skipped,
    };
    let repeated = match cli.repeat {
        Some(runs) => Some(nethooks_run::repeat::repeat(
            &program, &context, runs, &options,
        )?),
        None => None,
    };
    Ok(if cli.json {
        let mut value = outcome_json(&program, &context, &outcome, &engines);
        if let Some(r) = &repeated {
            value["repeat"] = serde_json::json!({
                "interpreter": r.interpreter,
                "jit": match &r.jit {
                    Ok(timing) => serde_json::json!(timing),
                    Err(why) => serde_json::json!({ "skipped": why }),
                },
            });
        }
        format!("{value:#}\n")
    } else {
        let mut out = outcome_text(&program, &outcome, &engines);
        if let Some(r) = &repeated {
            let line = |engine: &str, t: &nethooks_run::repeat::Timing| {
                format!(
                    "engine {engine}: {} runs, {:.1} ns/run\n",
                    t.runs, t.ns_per_run
                )
            };
            out.push_str(&line("interpreter", &r.interpreter));
            match &r.jit {
                Ok(t) => out.push_str(&line("JIT", t)),
                Err(why) => out.push_str(&format!("engine JIT: not timed: {why}\n")),
            }
        }
        out
    })
}
