//! Calling a general helper from the VM: its arguments decoded by the table's
//! [`ParamKind`]s, checked (a buffer must lie in the program's context, stack, global
//! data or a map value; an output buffer must be writable; a map argument must be a
//! map's handle), recorded, and handed to the implementation as [`Args`].
//!
//! A bad argument records a fault, which fails the run: upstream the verifier
//! rules such programs out, so the helpers have no result for them.

use super::params::ParamKind;
use super::params::kind;
use super::session::{Arg, HelperCall, Placement, Session};
use ebpf_nethooks_bindings::HelperId;
use ebpf_nethooks_maps::helpers::{HelperInfo, by_id, returns_int};

/// One decoded argument.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Decoded {
    Map(usize),
    Context,
    Bytes(Vec<u8>),
    Null,
    Out { addr: usize, len: usize },
    Int(u64),
}

/// The arguments of one call, decoded.
#[derive(Debug)]
pub struct Args {
    pub helper: &'static HelperInfo,
    /// r1..r5 as the program passed them.
    pub regs: [u64; 5],
    values: Vec<Decoded>,
}

/// An implementation: the helper's result (converted to r0 by its return type), or
/// why the call cannot be served (a fault).
pub type Implementation = fn(&Args, &mut Session) -> Result<i64, String>;

impl Args {
    /// The index (in the program's `Maps`) of map argument `i`; `None` if argument
    /// `i` is not a map (`decode` faults a call whose map argument is no map, so this
    /// is `None` only for a parameter the helper's table does not call a map).
    pub fn map(&self, i: usize) -> Option<usize> {
        match self.values.get(i) {
            Some(Decoded::Map(index)) => Some(*index),
            _ => None,
        }
    }

    /// The bytes of input argument `i` (empty for NULL).
    pub fn bytes(&self, i: usize) -> &[u8] {
        match self.values.get(i) {
            Some(Decoded::Bytes(b)) => b,
            _ => &[],
        }
    }

    pub fn is_null(&self, i: usize) -> bool {
        matches!(self.values.get(i), Some(Decoded::Null))
    }

    /// Integer argument `i`, as the register holds it.
    pub fn int(&self, i: usize) -> u64 {
        self.regs.get(i).copied().unwrap_or(0)
    }

    /// Integer argument `i` as a C `int` (its low 32 bits, signed).
    pub fn int32(&self, i: usize) -> i32 {
        self.int(i) as u32 as i32
    }

    /// The length of output argument `i`.
    pub fn out_len(&self, i: usize) -> usize {
        match self.values.get(i) {
            Some(Decoded::Out { len, .. }) => *len,
            _ => 0,
        }
    }

    /// The current bytes of output argument `i` (an in-out buffer).
    pub fn read_out(&self, i: usize) -> Vec<u8> {
        let Some(Decoded::Out { addr, len }) = self.values.get(i) else {
            return Vec::new();
        };
        let mut out = vec![0u8; *len];
        // SAFETY: `decode` checked that `len` bytes at `addr` are memory of the run.
        unsafe { std::ptr::copy(*addr as *const u8, out.as_mut_ptr(), *len) };
        out
    }

    /// Writes `bytes` at `offset` of output argument `i` (cut to its length).
    pub fn write(&self, i: usize, offset: usize, bytes: &[u8]) {
        let Some(Decoded::Out { addr, len }) = self.values.get(i) else {
            return;
        };
        let n = bytes.len().min(len.saturating_sub(offset));
        // SAFETY: `decode` checked that `len` bytes at `addr` are writable memory of
        // the run; no implementation frees program memory before writing.
        unsafe { std::ptr::copy(bytes.as_ptr(), (addr + offset) as *mut u8, n) }
    }
}

/// Calls general helper `id` with the program's r1..r5 through `implementation`,
/// and returns r0. Records the call; a bad argument or an implementation's error
/// records a fault.
pub fn invoke(
    s: &mut Session,
    id: HelperId,
    regs: [u64; 5],
    implementation: Implementation,
) -> u64 {
    let name = id.name();
    let Some(helper) = by_id(id.id()) else {
        s.fault(format!("`{name}` is not a general helper"));
        return u64::MAX;
    };
    let (args, recorded, problem) = decode(s, helper, regs);
    s.record(HelperCall {
        id: helper.id,
        name: helper.name,
        args: recorded,
    });
    if let Some(why) = problem {
        s.fault(why);
        return u64::MAX;
    }
    match implementation(&args, s) {
        // 2.4: an `int` result is sign-extended from its low 32 bits.
        Ok(r0) if returns_int(helper) => r0 as i32 as i64 as u64,
        Ok(r0) => r0 as u64,
        Err(why) => {
            s.fault(format!("`{name}`: {why}"));
            u64::MAX
        }
    }
}

/// Reads `len` bytes of program memory at `addr`, or says why not.
fn read(s: &Session, helper: &str, param: &str, addr: u64, len: u64) -> Result<Vec<u8>, String> {
    check(s, helper, param, addr, len, false)?;
    let mut out = vec![0u8; len as usize];
    // SAFETY: `check` found the bytes inside memory of the run.
    unsafe { std::ptr::copy(addr as usize as *const u8, out.as_mut_ptr(), out.len()) };
    Ok(out)
}

/// Whether the program's memory holds `len` bytes at `addr` (writable when `write`).
fn check(
    s: &Session,
    helper: &str,
    param: &str,
    addr: u64,
    len: u64,
    write: bool,
) -> Result<(), String> {
    let what = if write { "an output" } else { "a" };
    let start = usize::try_from(addr).ok();
    let end = start
        .zip(usize::try_from(len).ok())
        .and_then(|(s, l)| s.checked_add(l));
    let (Some(start), Some(end)) = (start, end) else {
        return Err(format!(
            "`{helper}` got {what} `{param}` buffer of {len} bytes at {} that wraps around",
            s.describe_address(addr)
        ));
    };
    match s.placement(start, end, write) {
        Some(Placement::Allowed) => Ok(()),
        None if addr != 0 => Ok(()),
        Some(Placement::ReadOnly(memory)) => Err(format!(
            "`{helper}` got {what} `{param}` buffer of {len} bytes at {}, in read-only {memory}",
            s.describe_address(addr)
        )),
        _ => Err(format!(
            "`{helper}` got {what} `{param}` buffer of {len} bytes at {}, outside the program's context, stack, global data, context data and map values",
            s.describe_address(addr)
        )),
    }
}

/// A string of at most `count` bytes at `addr`, up to its NUL (not included).
fn read_string(
    s: &Session,
    helper: &str,
    param: &str,
    addr: u64,
    count: u64,
) -> Result<Vec<u8>, String> {
    if count == 0 {
        return Ok(Vec::new());
    }
    let available = usize::try_from(addr).map_or(0, |a| s.readable_from(a)) as u64;
    let bytes = read(s, helper, param, addr, count.min(available))?;
    match bytes.iter().position(|&b| b == 0) {
        Some(nul) => Ok(bytes[..nul].to_vec()),
        None if count <= available => Ok(bytes),
        None => Err(format!(
            "`{helper}` got a `{param}` string at {} that runs out of the program's memory after {available} bytes without a NUL",
            s.describe_address(addr)
        )),
    }
}

/// A register as the parameter's C type reads it.
fn int_arg(c_type: &str, value: u64) -> u64 {
    match c_type {
        "uint32_t" | "int" => value & 0xFFFF_FFFF,
        _ => value,
    }
}

/// The size parameter `i` names, as an unsigned byte count.
fn size_of_param(helper: &HelperInfo, regs: &[u64; 5], i: usize) -> Result<u64, String> {
    let param = &helper.params[i];
    let value = int_arg(param.c_type, regs[i]);
    if param.c_type == "int" && (value as u32 as i32) < 0 {
        return Err(format!(
            "`{}` got a negative `{}` ({})",
            helper.name, param.name, value as u32 as i32
        ));
    }
    Ok(value)
}

/// The arguments decoded, as recorded, and the first problem found.
fn decode(
    s: &mut Session,
    helper: &'static HelperInfo,
    regs: [u64; 5],
) -> (Args, Vec<Arg>, Option<String>) {
    let mut values = Vec::new();
    let mut recorded = Vec::new();
    let mut problem = None;
    let map_sizes = |s: &mut Session, values: &[Decoded]| match values.first() {
        Some(Decoded::Map(i)) => s.maps().and_then(|m| {
            m.get(*i)
                .map(|m| (m.definition().key_size, m.definition().value_size))
        }),
        _ => None,
    };
    for (i, param) in helper.params.iter().enumerate() {
        let value = regs[i];
        let param_kind = kind(helper, i);
        let result: Result<(Decoded, Arg), String> = match param_kind {
            ParamKind::Int => {
                let v = int_arg(param.c_type, value);
                Ok((Decoded::Int(v), Arg::Int(v)))
            }
            ParamKind::Map => match s.maps().and_then(|m| {
                let index = m.index_of_handle(value)?;
                Some((index, m.get(index)?.name().to_owned()))
            }) {
                Some((index, name)) => Ok((Decoded::Map(index), Arg::Map(name))),
                None => Err(format!(
                    "`{}` got {} as `{}`, which is no map's address",
                    helper.name,
                    s.describe_address(value),
                    param.name
                )),
            },
            ParamKind::Context => match s.context() {
                Some(c) if c.start as u64 == value => Ok((Decoded::Context, Arg::Context)),
                _ => Err(format!(
                    "`{}` got {} as `{}`, which is not the program's context",
                    helper.name,
                    s.describe_address(value),
                    param.name
                )),
            },
            ParamKind::Key | ParamKind::Value | ParamKind::ValueOut => {
                let (key_size, value_size) = map_sizes(s, &values).unwrap_or((0, 0));
                let len = u64::from(if param_kind == ParamKind::Key {
                    key_size
                } else {
                    value_size
                });
                if param_kind == ParamKind::ValueOut {
                    check(s, helper.name, param.name, value, len, true).map(|()| {
                        let out = Decoded::Out {
                            addr: value as usize,
                            len: len as usize,
                        };
                        (out, Arg::Out(len as u32))
                    })
                } else {
                    read(s, helper.name, param.name, value, len)
                        .map(|b| (Decoded::Bytes(b.clone()), Arg::Bytes(b)))
                }
            }
            ParamKind::In { size } | ParamKind::InOrNull { size } => {
                let nullable = matches!(param_kind, ParamKind::InOrNull { .. });
                match size_of_param(helper, &regs, size) {
                    Ok(_) if nullable && value == 0 => Ok((Decoded::Null, Arg::Null)),
                    Ok(0) => Ok((Decoded::Bytes(Vec::new()), Arg::Bytes(Vec::new()))),
                    Ok(len) => read(s, helper.name, param.name, value, len)
                        .map(|b| (Decoded::Bytes(b.clone()), Arg::Bytes(b))),
                    Err(why) => Err(why),
                }
            }
            ParamKind::Out { size } => match size_of_param(helper, &regs, size) {
                Ok(0) => Ok((Decoded::Out { addr: 0, len: 0 }, Arg::Out(0))),
                Ok(len) => check(s, helper.name, param.name, value, len, true).map(|()| {
                    let out = Decoded::Out {
                        addr: value as usize,
                        len: len as usize,
                    };
                    (out, Arg::Out(u32::try_from(len).unwrap_or(u32::MAX)))
                }),
                Err(why) => Err(why),
            },
            ParamKind::Str { count } => {
                let count = int_arg(helper.params[count].c_type, regs[count]);
                read_string(s, helper.name, param.name, value, count)
                    .map(|b| (Decoded::Bytes(b.clone()), Arg::Bytes(b)))
            }
        };
        match result {
            Ok((decoded, arg)) => {
                values.push(decoded);
                recorded.push(arg);
            }
            Err(why) => {
                values.push(Decoded::Int(value));
                recorded.push(Arg::Pointer);
                problem.get_or_insert(why);
            }
        }
    }
    let args = Args {
        helper,
        regs,
        values,
    };
    (args, recorded, problem)
}
