//! The memory and string helpers (`docs/general-helpers-abi.md` §5.6): `bpf_memcpy_s`, `bpf_memmove_s`,
//! `bpf_memcmp_s`, `bpf_memset`, `bpf_csum_diff`, `bpf_strncpy_s`, `bpf_strncat_s`,
//! `bpf_strnlen_s`. Buffers arrive checked and copied ([`Args`]), so overlapping
//! regions behave as memmove does for both copy helpers.
//!
//! `bpf_strncpy_s` / `bpf_strncat_s` return what `RtlStringCbCopyNExA` /
//! `RtlStringCbCatNExA` would, as an `int`: 0; `STATUS_BUFFER_OVERFLOW` when the
//! result does not fit (the destination then holds it truncated and terminated);
//! `STATUS_INVALID_PARAMETER` for a destination of 0 bytes, or (cat) one without a
//! NUL. On success the rest of the destination is zero-filled
//! (`STRSAFE_FILL_BEHIND_NULL`).

use super::args::Args;
use super::session::Session;

/// `-EINVAL`.
pub const EINVAL: i64 = 22;
/// `STATUS_BUFFER_OVERFLOW` (0x80000005) as the helpers' `int`.
pub const STATUS_BUFFER_OVERFLOW: i64 = 0x8000_0005u32 as i32 as i64;
/// `STATUS_INVALID_PARAMETER` (0xC000000D) as the helpers' `int`.
pub const STATUS_INVALID_PARAMETER: i64 = 0xC000_000Du32 as i32 as i64;

fn copy(args: &Args) -> Result<i64, String> {
    let source = args.bytes(2);
    if source.len() as u64 > args.int(1) {
        return Ok(-EINVAL);
    }
    args.write(0, 0, source);
    Ok(0)
}

pub fn memcpy_s(args: &Args, _: &mut Session) -> Result<i64, String> {
    copy(args)
}

pub fn memmove_s(args: &Args, _: &mut Session) -> Result<i64, String> {
    copy(args)
}

pub fn memcmp_s(args: &Args, _: &mut Session) -> Result<i64, String> {
    let (a, b) = (args.bytes(0), args.bytes(2));
    let n = a.len().min(b.len());
    Ok(match a[..n].cmp(&b[..n]).then(a.len().cmp(&b.len())) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    })
}

pub fn memset(args: &Args, _: &mut Session) -> Result<i64, String> {
    let fill = vec![args.int32(2) as u8; args.out_len(0)];
    args.write(0, 0, &fill);
    Ok(args.int(0) as i64)
}

pub fn csum_diff(args: &Args, _: &mut Session) -> Result<i64, String> {
    let (from_size, to_size) = (args.int32(1), args.int32(3));
    if from_size % 4 != 0 || to_size % 4 != 0 {
        return Ok(-EINVAL);
    }
    let words = |bytes: &[u8]| -> Vec<u16> {
        bytes
            .chunks_exact(2)
            .map(|w| u16::from_le_bytes([w[0], w[1]]))
            .collect()
    };
    let mut sum = i64::from(args.int32(4));
    sum += words(args.bytes(2)).into_iter().map(i64::from).sum::<i64>();
    sum += words(args.bytes(0))
        .into_iter()
        .map(|w| i64::from(!w))
        .sum::<i64>();
    let sum = sum as i32;
    Ok(if sum < 0 { -EINVAL } else { i64::from(sum) })
}

/// Writes `text` and a NUL at `at` of the destination, truncated to fit; zero-fills
/// the rest on success. Returns the status.
fn place(args: &Args, at: usize, text: &[u8]) -> i64 {
    let size = args.out_len(0);
    if at + text.len() < size {
        let mut tail = text.to_vec();
        tail.resize(size - at, 0);
        args.write(0, at, &tail);
        return 0;
    }
    let kept = size.saturating_sub(at + 1);
    let mut tail = text[..kept].to_vec();
    tail.push(0);
    args.write(0, at, &tail);
    STATUS_BUFFER_OVERFLOW
}

pub fn strncpy_s(args: &Args, _: &mut Session) -> Result<i64, String> {
    if args.out_len(0) == 0 {
        return Ok(STATUS_INVALID_PARAMETER);
    }
    Ok(place(args, 0, args.bytes(2)))
}

pub fn strncat_s(args: &Args, _: &mut Session) -> Result<i64, String> {
    let dest = args.read_out(0);
    let Some(len) = dest.iter().position(|&b| b == 0) else {
        return Ok(STATUS_INVALID_PARAMETER);
    };
    Ok(place(args, len, args.bytes(2)))
}

pub fn strnlen_s(args: &Args, _: &mut Session) -> Result<i64, String> {
    if args.is_null(0) {
        return Ok(0);
    }
    let s = args.bytes(0);
    Ok(s.iter().position(|&b| b == 0).unwrap_or(s.len()) as i64)
}
