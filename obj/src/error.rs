//! Why an object or one of its programs cannot be loaded, each with a message that
//! says what to fix.

use std::borrow::Cow;

use ebpf_nethooks_maps::MapError;

/// Why [`crate::Object`] cannot read an object, find a program in it, or link one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObjectError {
    #[error("not an ELF object file: {0}")]
    NotElf(#[source] object::read::Error),
    /// A file the `object` crate reads, in another format than ELF.
    #[error("not an ELF object file: it is a {format} file")]
    NotElfFormat { format: String },
    #[error(
        "not an eBPF object: its ELF machine is {machine}; compile with `clang -O2 -target bpf -c`"
    )]
    NotBpf { machine: String },
    #[error("a big-endian eBPF object; compile for little-endian eBPF (`-target bpf` or `bpfel`)")]
    BigEndian,
    #[error("no section `{}` in the object; its program sections are: {}", cut(.section), list(.available))]
    MissingSection {
        section: String,
        available: Vec<String>,
    },
    #[error("the object has no section of a known hook")]
    NoProgram,
    #[error(
        "the object has several programs; choose one with --program (or --section when its section holds only one): {}",
        list(.programs)
    )]
    AmbiguousProgram {
        /// `name (section)` of each candidate.
        programs: Vec<String>,
    },
    #[error("no program `{}` in the object; its programs are: {}", cut(.name), list(.available))]
    MissingProgram {
        name: String,
        available: Vec<String>,
    },
    #[error("section `{}` belongs to no hook; the hooks' sections are: {}", cut(.section), list(.known))]
    NotAHookSection {
        section: String,
        known: Vec<&'static str>,
    },
    #[error("section `{}` is not a runnable program: {why}", cut(.section))]
    BadProgram { section: String, why: String },
    /// A relocation or call the loader cannot resolve, at instruction `insn` of
    /// `section` (counted from the section's start).
    #[error(
        "cannot link `{}`: instruction {insn} of section `{}` has {why}",
        cut(.function),
        cut(.section)
    )]
    Link {
        section: String,
        function: String,
        insn: usize,
        why: String,
    },
    #[error(
        "cannot link `{}`: instruction {insn} of section `{}` refers to `{}`, \
         an undefined symbol: nothing in the object defines it, and the runner links no other \
         object or library (define it, or make it `static __always_inline`)",
        cut(.function),
        cut(.section),
        cut(.symbol)
    )]
    UndefinedSymbol {
        section: String,
        function: String,
        insn: usize,
        symbol: String,
    },
    /// A map definition that cannot be read or created (see [`crate::map_def`]).
    #[error(transparent)]
    Map(#[from] MapError),
}

/// `items` as a message lists them: each quoted and cut, or `(none)`.
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
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
pub fn cut(name: &str) -> Cow<'_, str> {
    match name.char_indices().nth(NAME_LIMIT) {
        None => Cow::Borrowed(name),
        Some((end, _)) => Cow::Owned(format!("{}... ({} bytes)", &name[..end], name.len())),
    }
}
