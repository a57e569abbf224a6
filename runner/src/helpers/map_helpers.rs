//! The map helpers (`docs/general-helpers-abi.md` §5.2), `bpf_ringbuf_output` (§5.4), and the two helpers
//! whose maps the runner does not emulate: `bpf_tail_call` (5.3; no program array
//! can exist, so every call fails with `-EBPF_INVALID_ARGUMENT` and the caller goes
//! on, as upstream for a map that is not a program array) and
//! `bpf_perf_event_output` (5.4; likewise `-EBPF_INVALID_ARGUMENT` for a map that is
//! not a perf event array, the only kind the runner has).
//!
//! Results are those of [`crate::map_store::Map`]; an operation the map's type lacks
//! (a lookup in a ring buffer) is a fault, which the verifier rules out upstream.

use super::args::Args;
use super::session::{RingRecord, Session};
use crate::map_store::{MapError, MapType, result::EBPF_INVALID_ARGUMENT};

/// Runs `f` on map argument 0; a map helper may change which values exist.
fn on_map<R>(
    args: &Args,
    s: &mut Session,
    f: impl FnOnce(&mut crate::map_store::Map) -> Result<R, MapError>,
) -> Result<R, String> {
    let result = match (s.maps(), args.map(0)) {
        (Some(maps), Some(index)) => match maps.get_mut(index) {
            Some(map) => f(map).map_err(|e| e.to_string()),
            None => Err(format!("no map #{index}")),
        },
        (Some(_), None) => Err(not_a_map(0)),
        (None, _) => Err("no run is in progress".to_owned()),
    };
    s.map_memory_changed();
    result
}

fn address(ptr: Option<std::ptr::NonNull<u8>>) -> i64 {
    ptr.map_or(0, |p| p.as_ptr() as usize as i64)
}

pub fn lookup_elem(args: &Args, s: &mut Session) -> Result<i64, String> {
    on_map(args, s, |m| m.lookup(args.bytes(1))).map(address)
}

pub fn update_elem(args: &Args, s: &mut Session) -> Result<i64, String> {
    on_map(args, s, |m| {
        m.update(args.bytes(1), args.bytes(2), args.int(3))
    })
}

pub fn delete_elem(args: &Args, s: &mut Session) -> Result<i64, String> {
    on_map(args, s, |m| m.delete(args.bytes(1)))
}

pub fn lookup_and_delete_elem(args: &Args, s: &mut Session) -> Result<i64, String> {
    on_map(args, s, |m| m.lookup_and_delete(args.bytes(1))).map(address)
}

pub fn push_elem(args: &Args, s: &mut Session) -> Result<i64, String> {
    on_map(args, s, |m| m.push(args.bytes(1), args.int(2)))
}

fn take(args: &Args, s: &mut Session, remove: bool) -> Result<i64, String> {
    let mut value = vec![0u8; args.out_len(1)];
    let result = on_map(args, s, |m| m.pop(&mut value, remove))?;
    if result == 0 {
        args.write(1, 0, &value);
    }
    Ok(result)
}

pub fn pop_elem(args: &Args, s: &mut Session) -> Result<i64, String> {
    take(args, s, true)
}

pub fn peek_elem(args: &Args, s: &mut Session) -> Result<i64, String> {
    take(args, s, false)
}

pub fn ringbuf_output(args: &Args, s: &mut Session) -> Result<i64, String> {
    let data = args.bytes(1);
    let (result, name) = on_map(args, s, |m| {
        let result = m.output(data, args.int(3))?;
        Ok((result, m.name().to_owned()))
    })?;
    if result == 0 {
        s.ring_record(RingRecord {
            map: name,
            data: data.to_vec(),
        });
    }
    Ok(result)
}

pub fn tail_call(args: &Args, s: &mut Session) -> Result<i64, String> {
    let _ = on_map_type(args, s, 1)?;
    Ok(-EBPF_INVALID_ARGUMENT)
}

pub fn perf_event_output(args: &Args, s: &mut Session) -> Result<i64, String> {
    match on_map_type(args, s, 1)? {
        MapType::PERF_EVENT_ARRAY => Err("perf event arrays are not emulated".to_owned()),
        _ => Ok(-EBPF_INVALID_ARGUMENT),
    }
}

/// The type of map argument `i`.
fn on_map_type(args: &Args, s: &mut Session, i: usize) -> Result<MapType, String> {
    let index = args.map(i).ok_or_else(|| not_a_map(i))?;
    s.maps()
        .and_then(|maps| maps.get(index).map(|m| m.definition().map_type))
        .ok_or_else(|| format!("no map #{index}"))
}

/// Why an implementation cannot use argument `i` as a map: the helper's table does
/// not declare it one (a call whose map argument is no map faults before this).
fn not_a_map(i: usize) -> String {
    format!("argument {i} is not a map")
}
