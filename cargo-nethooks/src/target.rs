//! What every build here is for, and what to install to make one: shared by the
//! toolchain search ([`crate::toolchain`]) and the errors ([`crate::error`]), which
//! so need not import each other.

/// The Rust target that eBPF for Windows programs are built for.
pub const TARGET: &str = "bpfel-unknown-none";

/// What to install when nothing here can build for BPF, one way per line.
pub const INSTALL_HELP: &str = "\
install one of:
  - stable Rust from Debian 12 (bookworm-security): apt-get install rustc-web libstd-rust-web-dev-bpf llvm-22
  - nightly Rust by rustup: rustup toolchain install nightly --component rust-src
and, to link objects that call into other crates, bpf-linker built for the same LLVM:
  LLVM_PREFIX=/usr/lib/llvm-22 LLVM_SYS_221_PREFIX=/usr/lib/llvm-22 \\
    cargo install bpf-linker --no-default-features --features llvm-22
(`.ci/install-deps` in the ebpf-nethooks repository does all of this)";
