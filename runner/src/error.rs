//! Every way a run can fail, each with a message that says what to fix.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    Io {
        path: PathBuf,
        why: String,
    },
    NotElf {
        why: String,
    },
    NotBpf {
        machine: String,
    },
    BigEndian,
    MissingSection {
        section: String,
        available: Vec<String>,
    },
    NoProgram,
    AmbiguousProgram {
        /// `name (section)` of each candidate.
        programs: Vec<String>,
    },
    MissingProgram {
        name: String,
        available: Vec<String>,
    },
    NotAHookSection {
        section: String,
        known: Vec<&'static str>,
    },
    BadProgram {
        section: String,
        why: String,
    },
    /// A relocation or call the loader cannot resolve, at instruction `insn` of
    /// `section` (counted from the section's start).
    Link {
        section: String,
        function: String,
        insn: usize,
        why: String,
    },
    UndefinedSymbol {
        section: String,
        function: String,
        insn: usize,
        symbol: String,
    },
    /// The program ran `max_insns` instructions without exiting; `before_jit` when
    /// that was the checking interpreter run that precedes a JIT run.
    Budget {
        max_insns: u64,
        before_jit: bool,
    },
    UnknownHelper {
        id: u32,
        insn: usize,
        known: Vec<String>,
    },
    HelperNotForHook {
        helper: &'static str,
        hook: &'static str,
        insn: usize,
    },
    NoSuchStruct(String),
    UnknownMember {
        member: String,
        context: &'static str,
        known: Vec<&'static str>,
    },
    BadValue {
        member: String,
        why: String,
    },
    BadAssignment(String),
    ContextFile {
        file: String,
        why: String,
    },
    Vm {
        engine: &'static str,
        why: String,
    },
    HelperFault {
        engine: &'static str,
        why: String,
    },
    EnginesDisagree {
        details: String,
    },
    /// A run left a pointer (a host address) where the output would show it;
    /// `what` completes "`program` ...": "stores a stack pointer into map `SEEN`".
    PointerLeak {
        program: String,
        what: String,
    },
    /// A map definition the runner cannot read or create (see `maps`).
    Map(crate::maps::MapError),
    /// A scenario file that cannot be read or does not fit the object.
    Scenario {
        file: String,
        why: String,
    },
    /// A run of a scenario (counted from 1) that failed.
    ScenarioRun {
        file: String,
        run: usize,
        error: Box<RunError>,
    },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Io { path, why } => {
                write!(f, "cannot read {}: {why}", cut(&path.display().to_string()))
            }
            RunError::NotElf { why } => write!(f, "not an ELF object file: {why}"),
            RunError::NotBpf { machine } => write!(
                f,
                "not an eBPF object: its ELF machine is {machine}; compile with `clang -O2 -target bpf -c`"
            ),
            RunError::BigEndian => write!(
                f,
                "a big-endian eBPF object; compile for little-endian eBPF (`-target bpf` or `bpfel`)"
            ),
            RunError::MissingSection { section, available } => write!(
                f,
                "no section `{section}` in the object; its program sections are: {}",
                list(available),
                section = cut(section)
            ),
            RunError::NoProgram => write!(f, "the object has no section of a known hook"),
            RunError::AmbiguousProgram { programs } => write!(
                f,
                "the object has several programs; choose one with --program (or --section when its section holds only one): {}",
                list(programs)
            ),
            RunError::MissingProgram { name, available } => write!(
                f,
                "no program `{name}` in the object; its programs are: {}",
                list(available),
                name = cut(name)
            ),
            RunError::NotAHookSection { section, known } => write!(
                f,
                "section `{section}` belongs to no hook; the hooks' sections are: {}",
                list(known),
                section = cut(section)
            ),
            RunError::BadProgram { section, why } => {
                write!(
                    f,
                    "section `{section}` is not a runnable program: {why}",
                    section = cut(section)
                )
            }
            RunError::Link {
                section,
                function,
                insn,
                why,
            } => write!(
                f,
                "cannot link `{function}`: instruction {insn} of section `{section}` has {why}",
                function = cut(function),
                section = cut(section)
            ),
            RunError::UndefinedSymbol {
                section,
                function,
                insn,
                symbol,
            } => write!(
                f,
                "cannot link `{function}`: instruction {insn} of section `{section}` refers to `{symbol}`, \
                 an undefined symbol: nothing in the object defines it, and the runner links no other \
                 object or library (define it, or make it `static __always_inline`)",
                function = cut(function),
                section = cut(section),
                symbol = cut(symbol)
            ),
            RunError::Budget {
                max_insns,
                before_jit: false,
            } => write!(
                f,
                "the program ran more than {max_insns} instructions without exiting in the interpreter; \
                 raise the budget with --max-insns if it is meant to run that long"
            ),
            RunError::Budget {
                max_insns,
                before_jit: true,
            } => write!(
                f,
                "the program ran more than {max_insns} instructions without exiting, found by the checking \
                 interpreter run that precedes every JIT run (a JIT run cannot be stopped, so it only runs \
                 an input the interpreter finished within the budget); raise the budget with --max-insns \
                 if it is meant to run that long"
            ),
            RunError::UnknownHelper { id, insn, known } => write!(
                f,
                "instruction {insn} calls helper ID {id:#x}, which no helper of the spec and no general helper has; known helpers: {}",
                list(known)
            ),
            RunError::HelperNotForHook { helper, hook, insn } => write!(
                f,
                "instruction {insn} calls `{helper}`, which programs of `{hook}` may not call"
            ),
            RunError::NoSuchStruct(name) => {
                write!(f, "no struct `{name}` in the ABI", name = cut(name))
            }
            RunError::UnknownMember {
                member,
                context,
                known,
            } => write!(
                f,
                "unknown member `{member}` of `{context}`; its members are: {}",
                list(known),
                member = cut(member)
            ),
            RunError::BadValue { member, why } => {
                write!(f, "bad value for `{member}`: {why}", member = cut(member))
            }
            RunError::BadAssignment(item) => {
                write!(
                    f,
                    "`{item}` is not `member=value` (as in --ctx process_id=42)",
                    item = cut(item)
                )
            }
            RunError::ContextFile { file, why } => {
                write!(f, "context file {file}: {why}", file = cut(file))
            }
            RunError::Vm { engine, why } => write!(f, "the program failed in the {engine}: {why}"),
            RunError::HelperFault { engine, why } => {
                write!(f, "a helper call failed in the {engine}: {why}")
            }
            RunError::EnginesDisagree { details } => {
                write!(f, "the interpreter and the JIT disagree: {details}")
            }
            RunError::PointerLeak { program, what } => write!(
                f,
                "`{program}` {what}: a pointer is an address in the runner, which changes from run \
                 to run and between the engines; store what it points to, or an offset",
                program = cut(program)
            ),
            RunError::Map(e) => write!(f, "{e}"),
            RunError::Scenario { file, why } => {
                write!(f, "scenario {file}: {why}", file = cut(file))
            }
            RunError::ScenarioRun { file, run, error } => {
                write!(f, "scenario {file}: run {run}: {error}", file = cut(file))
            }
        }
    }
}

impl std::error::Error for RunError {}

fn list<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        return "(none)".to_owned();
    }
    items
        .iter()
        .map(|s| format!("`{}`", cut(s.as_ref())))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Characters of a name that a message echoes in full; longer ones are cut.
pub const NAME_LIMIT: usize = 64;

/// `name` as a message shows it: whole up to [`NAME_LIMIT`] characters, else its
/// start and its length, so that a huge name given by a file or a command line
/// does not flood the output.
pub fn cut(name: &str) -> std::borrow::Cow<'_, str> {
    match name.char_indices().nth(NAME_LIMIT) {
        None => std::borrow::Cow::Borrowed(name),
        Some((end, _)) => {
            std::borrow::Cow::Owned(format!("{}... ({} bytes)", &name[..end], name.len()))
        }
    }
}
