//! One way a scenario's result differs from what it expects: which run (if any),
//! what kind, and the sentence that says it.

use std::fmt;

/// A difference, shown as `run 3: verdict X, expected Y` or `map `m`: key ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The run it belongs to (counted from 1); `None` for the scenario's end state.
    pub run: Option<usize>,
    pub kind: DifferenceKind,
    /// What differs, without the run.
    pub detail: String,
}

/// What a [`Difference`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DifferenceKind {
    Verdict,
    ContextMember,
    Map,
    RingBuffer,
    Printk,
}

impl Difference {
    pub fn new(run: Option<usize>, kind: DifferenceKind, detail: String) -> Difference {
        Difference { run, kind, detail }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.run {
            Some(run) => write!(f, "run {run}: {}", self.detail),
            None => f.write_str(&self.detail),
        }
    }
}

/// A difference compares equal to its sentence.
impl PartialEq<str> for Difference {
    fn eq(&self, other: &str) -> bool {
        match self.run {
            Some(run) => other
                .strip_prefix(&format!("run {run}: "))
                .is_some_and(|detail| detail == self.detail),
            None => self.detail == other,
        }
    }
}

impl PartialEq<&str> for Difference {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl PartialEq<String> for Difference {
    fn eq(&self, other: &String) -> bool {
        self == other.as_str()
    }
}

impl serde::Serialize for Difference {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
