//! Host addresses never reach the output. A program's pointers are host addresses
//! (the context, the stack, global data and map values are runner memory), which
//! differ from run to run and between the engines. So a run that leaves a pointer
//! where the output shows it (the context, global data, a map, a ring-buffer
//! record, the redirect context, an integer argument of a helper, or r0) fails with
//! an error that says what it stored and where, the same in either engine; and a
//! fault names an address by its offset in the memory it is near.

use std::ops::Range;

use crate::context::ContextWrite;
use crate::exec::outcome::{MapChange, Outcome};
use crate::helpers::record::Arg;

/// Memory of one run that a program holds pointers to, by what a pointer into it is.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    targets: Vec<(Range<usize>, Kind)>,
}

/// What a pointer points into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Stack,
    Context,
    Global(String),
    MapValue(String),
    /// The data a pair of the context's pointer members points at (`app_id`).
    Data(String),
}

impl Kind {
    /// `a stack pointer`, `a pointer to global data `.bss``.
    fn describe(&self) -> String {
        match self {
            Kind::Stack => "a stack pointer".to_owned(),
            Kind::Context => "a context pointer".to_owned(),
            Kind::Global(name) => format!("a pointer to global data `{name}`"),
            Kind::MapValue(name) => format!("a pointer to a value of map `{name}`"),
            Kind::Data(name) => format!("a pointer to the context's `{name}` data"),
        }
    }
}

impl Targets {
    pub fn push(&mut self, range: Range<usize>, kind: Kind) {
        self.targets.push((range, kind));
    }

    /// What `value` points into, if anything: from a region's start to one past its
    /// end (a frame pointer is the end of its frame).
    pub fn target_of(&self, value: u64) -> Option<&Kind> {
        let value = usize::try_from(value).ok()?;
        self.targets
            .iter()
            .find(|(r, _)| r.start <= value && value <= r.end)
            .map(|(_, kind)| kind)
    }

    /// The first 8-byte window of `bytes` (at any offset) that holds a pointer:
    /// its offset and what it points into.
    fn in_bytes(&self, bytes: &[u8]) -> Option<(usize, &Kind)> {
        bytes.windows(8).enumerate().find_map(|(offset, w)| {
            let value = u64::from_le_bytes(w.try_into().ok()?);
            self.target_of(value).map(|kind| (offset, kind))
        })
    }

    /// Where a pointer reached that the output would show, as the rest of the
    /// sentence "`program` ...", or `None`.
    pub fn leak(&self, r0: u64, outcome: &Outcome) -> Option<String> {
        if let Some(kind) = self.target_of(r0) {
            return Some(format!("returns {} in r0", kind.describe()));
        }
        if let Some(what) = self.in_context(outcome.context_after.bytes(), &outcome.writes) {
            return Some(what);
        }
        for w in &outcome.global_writes {
            if let Some((_, kind)) = self.in_bytes(&w.after) {
                return Some(format!(
                    "stores {} into global data `{}`",
                    kind.describe(),
                    crate::error::cut(&w.name)
                ));
            }
        }
        for w in &outcome.map_writes {
            let stored: Vec<&[u8]> = match &w.change {
                MapChange::Entry { key, after, .. } => std::iter::once(key.as_slice())
                    .chain(after.as_deref())
                    .collect(),
                MapChange::Values { after, .. } => after.iter().map(Vec::as_slice).collect(),
            };
            if let Some((_, kind)) = stored.iter().find_map(|b| self.in_bytes(b)) {
                return Some(format!(
                    "stores {} into map `{}`",
                    kind.describe(),
                    crate::error::cut(&w.map)
                ));
            }
        }
        for r in &outcome.ring_records {
            if let Some((_, kind)) = self.in_bytes(&r.data) {
                return Some(format!(
                    "writes {} to ring buffer `{}`",
                    kind.describe(),
                    crate::error::cut(&r.map)
                ));
            }
        }
        if let Some((_, kind)) = outcome
            .redirect_context
            .as_deref()
            .and_then(|b| self.in_bytes(b))
        {
            return Some(format!(
                "stores {} as its redirect context",
                kind.describe()
            ));
        }
        for call in &outcome.calls {
            for arg in &call.args {
                let found = match arg {
                    Arg::Int(v) => self.target_of(*v),
                    Arg::Bytes(b) => self.in_bytes(b).map(|(_, kind)| kind),
                    _ => None,
                };
                if let Some(kind) = found {
                    return Some(format!(
                        "passes {} to `{}` where it takes an integer or bytes",
                        kind.describe(),
                        call.name
                    ));
                }
            }
        }
        None
    }

    fn in_context(&self, bytes: &[u8], writes: &[ContextWrite]) -> Option<String> {
        let (offset, kind) = self.in_bytes(bytes)?;
        let member = writes
            .iter()
            .find(|w| w.offset <= offset + 7 && offset < w.offset + w.after.len())
            .map(|w| format!(" (member `{}`)", w.member))
            .unwrap_or_default();
        Some(format!(
            "stores {} into the context{member}",
            kind.describe()
        ))
    }
}

/// The stack's name among the regions of [`describe_address`]: measured from its top.
pub const STACK: &str = "the stack";

/// Bytes around a region within which an address is named by its offset there.
const NEAR: usize = 1 << 16;

/// An address as a message shows it: by its offset in (or near) one of `regions`
/// (name, range), as a number when small (a NULL-based or scalar address), else as
/// far from all of them; never a host address.
pub fn describe_address(addr: u64, regions: &[(&str, Range<usize>)]) -> String {
    if let Ok(a) = usize::try_from(addr) {
        let near = regions
            .iter()
            .filter(|(_, r)| r.start.saturating_sub(NEAR) <= a && a <= r.end.saturating_add(NEAR))
            .min_by_key(|(_, r)| {
                if a < r.start {
                    r.start - a
                } else {
                    a.saturating_sub(r.end)
                }
            });
        if let Some((name, r)) = near {
            if *name == STACK {
                return format!(
                    "offset {} from the top of the stack",
                    a as i128 - r.end as i128
                );
            }
            let offset = a as i128 - r.start as i128;
            return format!("offset {offset} of {name} ({} bytes)", r.len());
        }
    }
    // Small numbers (NULL plus an offset) and the upper half, where no user-space
    // memory is and the runner's map handles lie, are no host addresses.
    if addr < NEAR as u64 || addr >= 1 << 63 {
        format!("{addr:#x}")
    } else {
        "an address far from all the program's memory".to_owned()
    }
}
