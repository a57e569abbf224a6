//! What `cargo nethooks build` is asked ([`Request`], its [`Route`] and [`Cpu`]) and
//! what it answers ([`Built`]).

use std::path::PathBuf;

/// How the object is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Route {
    /// llc when the crate's own code is complete, bpf-linker otherwise.
    Auto,
    /// Only the crate's bitcode, through llc.
    Llc,
    /// The crate with its dependencies and `core`, through bpf-linker.
    BpfLinker,
}

/// The BPF instruction set the code is generated for (LLVM's `-mcpu`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Cpu {
    V1,
    V2,
    V3,
    V4,
}

impl Cpu {
    pub fn name(self) -> &'static str {
        match self {
            Cpu::V1 => "v1",
            Cpu::V2 => "v2",
            Cpu::V3 => "v3",
            Cpu::V4 => "v4",
        }
    }
}

pub struct Request {
    pub manifest_path: PathBuf,
    pub out: Option<PathBuf>,
    pub cpu: Cpu,
    pub route: Route,
    /// Whether cargo's progress lines are shown.
    pub verbose: bool,
}

impl Request {
    /// The defaults of `cargo nethooks build`: cpu v4, route auto, object under the
    /// crate's target directory.
    pub fn new(manifest_path: impl Into<PathBuf>) -> Request {
        Request {
            manifest_path: manifest_path.into(),
            out: None,
            cpu: Cpu::V4,
            route: Route::Auto,
            verbose: false,
        }
    }
}

/// What a build produced.
pub struct Built {
    pub object: PathBuf,
    pub package: String,
    /// The route that made the object, and why when it was a fallback.
    pub route: String,
}
