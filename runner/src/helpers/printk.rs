//! `bpf_trace_printk2`..`5`, which `bpf_printk` calls (`docs/general-helpers-abi.md` §5.5), by the rules of
//! `_ebpf_core_trace_printk`: a format of 2..=511 bytes (`fmt_size` counts the NUL);
//! one trailing newline dropped; conversions `%d %i %u %x`, optionally with `l` or
//! `ll`, and `%%`, nothing else (no `%s`, `%c`, `%p`, flags or widths); as many
//! conversions as numeric arguments; the text at most 553 bytes. Anything else
//! returns -1. Without `ll` a conversion takes the argument's low 32 bits (Windows'
//! `long` is 32 bits). The trace provider always listens: each line is captured
//! (`Outcome::printk`) and the helper returns its length.

use super::args::Args;
use super::session::Session;

/// Largest `fmt_size` accepted.
pub const MAX_FORMAT_SIZE: usize = 511;
/// The formatting buffer's size; the text must leave room for its NUL.
pub const OUTPUT_BUFFER_SIZE: usize = 554;

pub fn trace_printk(args: &Args, s: &mut Session) -> Result<i64, String> {
    let size = args.int(1) as u32 as usize;
    if !(2..=MAX_FORMAT_SIZE).contains(&size) {
        return Ok(-1);
    }
    let values: Vec<u64> = (2..args.helper.params.len()).map(|i| args.int(i)).collect();
    Ok(match format(args.bytes(0), &values) {
        Some(line) => {
            let len = line.len() as i64;
            s.printk(line);
            len
        }
        None => -1,
    })
}

/// The line the format buffer `fmt` (its `fmt_size` bytes) prints with `values`, or
/// `None` where the helper returns -1.
pub fn format(fmt: &[u8], values: &[u64]) -> Option<String> {
    let size = fmt.len();
    if !(2..=MAX_FORMAT_SIZE).contains(&size) {
        return None;
    }
    let mut buffer = fmt.to_vec();
    // One trailing newline becomes the terminator; else the last byte is forced NUL.
    if buffer[size - 2] == b'\n' {
        buffer[size - 2] = 0;
    } else {
        buffer[size - 1] = 0;
    }
    let end = buffer.iter().position(|&b| b == 0).unwrap_or(size);
    let text = &buffer[..end];
    let mut out: Vec<u8> = Vec::new();
    let mut next = values.iter();
    let mut conversions = 0;
    let mut i = 0;
    while i < text.len() {
        if text[i] != b'%' {
            out.push(text[i]);
            i += 1;
            continue;
        }
        i += 1;
        if text.get(i) == Some(&b'%') {
            out.push(b'%');
            i += 1;
            continue;
        }
        let mut longs = 0;
        while longs < 2 && text.get(i) == Some(&b'l') {
            longs += 1;
            i += 1;
        }
        let conversion = *text.get(i)?;
        i += 1;
        conversions += 1;
        let value = next.next().copied().unwrap_or(0);
        let wide = longs == 2;
        let rendered = match (conversion, wide) {
            (b'd' | b'i', true) => (value as i64).to_string(),
            (b'd' | b'i', false) => (value as u32 as i32).to_string(),
            (b'u', true) => value.to_string(),
            (b'u', false) => (value as u32).to_string(),
            (b'x', true) => format!("{value:x}"),
            (b'x', false) => format!("{:x}", value as u32),
            _ => return None,
        };
        out.extend_from_slice(rendered.as_bytes());
    }
    if conversions != values.len() || out.len() >= OUTPUT_BUFFER_SIZE {
        return None;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}
