//! Running a loaded program: [`vm`] is the run API and [`outcome`] what a run did;
//! `scan` checks the helpers a program calls before a run; [`interp`] is the
//! checking interpreter, [`inline`] flattens BPF-to-BPF calls for the JIT, and `jit`
//! drives rbpf's JIT, with `probe` (the stack probe in front of JIT code) and
//! `trampolines` (the JIT's helper entries); [`pointers`] finds host addresses a
//! run would leak into its output; [`repeat`] times repeated runs.

pub mod inline;
pub mod interp;
pub(crate) mod jit;
pub mod outcome;
pub mod pointers;
pub(crate) mod probe;
pub mod repeat;
pub(crate) mod scan;
pub(crate) mod trampolines;
pub mod vm;
