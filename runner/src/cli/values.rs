//! The one decoder of values written as text or in files, to bytes of a size: a
//! context's members (`--ctx`, context files, scenario contexts) and a scenario's
//! map keys, values and records.
//!
//! A value is written as text (`--ctx` and string values in files):
//! - an integer, `42`, `-1`, `0xFFFF`: stored little-endian in the member's size;
//! - `net:N`: the integer in network byte order (ports and addresses);
//! - an IPv4 or IPv6 address, `10.0.0.1`, `::ffff:10.0.0.1`: its bytes in network order;
//! - `hex:0200901f`: raw bytes, zero-padded to the member's size;
//! - an enumerator name, `BIND_OPERATION_UNBIND`: its value.
//!
//! In a TOML or JSON file a value may also be an integer, or an array of integers
//! that splits the member into equal elements (`user_ip6 = [0, 0, 0xFFFF0000, 1]`).
//!
//! Map keys and values in a scenario ([`bytes`]) take the same syntax, with two
//! rules of their own: `hex:` must give exactly the map's size (a short key would
//! silently match nothing), and an array's elements may be any value but an array;
//! `true`/`false` are refused there, while a context file takes them as 1 and 0.

use std::net::IpAddr;

use ebpf_nethooks_bindings::abi;

use crate::context::int_bytes;

fn parse_int(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let magnitude = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => i128::from_str_radix(&hex.replace('_', ""), 16).ok()?,
        None => digits.replace('_', "").parse::<i128>().ok()?,
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// The enumerators that name the values of `member` of struct `struct_name`
/// (empty when its type is no enum).
pub(crate) fn enumerators_of(struct_name: &str, member: &str) -> &'static [&'static str] {
    abi::ENUM_MEMBERS
        .iter()
        .chain(ebpf_nethooks_bindings::general::abi::ENUM_MEMBERS)
        .find(|(s, m, _)| *s == struct_name && *m == member)
        .map_or(&[], |(_, _, names)| names)
}

/// The bytes `text` stands for in a member of `size` bytes (`hex:` may be shorter).
pub(crate) fn parse_text(text: &str, size: usize) -> Result<Vec<u8>, String> {
    if let Some(v) = parse_int(text) {
        return int_bytes(v, size);
    }
    if let Some(rest) = text.strip_prefix("net:") {
        let v = parse_int(rest).ok_or_else(|| format!("`{rest}` is not an integer"))?;
        let mut bytes = int_bytes(v, size)?;
        bytes.reverse();
        return Ok(bytes);
    }
    if let Some(rest) = text.strip_prefix("hex:") {
        let bytes = hex_bytes(rest)?;
        if bytes.len() > size {
            return Err(format!("{} bytes do not fit in {size} bytes", bytes.len()));
        }
        return Ok(bytes);
    }
    if let Ok(ip) = text.parse::<IpAddr>() {
        let bytes = match ip {
            IpAddr::V4(v4) => v4.octets().to_vec(),
            IpAddr::V6(v6) => v6.octets().to_vec(),
        };
        if bytes.len() != size {
            return Err(format!(
                "an address of {} bytes in a member of {size} bytes",
                bytes.len()
            ));
        }
        return Ok(bytes);
    }
    if let Some(v) = abi::ENUMERATORS
        .iter()
        .chain(abi::CONSTANTS)
        .find(|v| v.name == text)
    {
        return int_bytes(i128::from(v.value), size);
    }
    Err(format!(
        "`{text}` is not an integer, net:N, hex:BYTES, an IP address or an enumerator name"
    ))
}

/// The bytes of the digits after `hex:`, of any length (spaces and `_` ignored).
fn hex_bytes(rest: &str) -> Result<Vec<u8>, String> {
    let digits: String = rest
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect();
    if let Some(bad) = digits.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(format!("`{rest}` holds `{bad}`, which is not a hex digit"));
    }
    if !digits.len().is_multiple_of(2) {
        return Err(format!(
            "`{rest}` has an odd number of hex digits ({}); write whole bytes",
            digits.len()
        ));
    }
    Ok((0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).unwrap_or(0))
        .collect())
}

/// Map keys and values as a scenario writes them: the bytes `spec` stands for in exactly `size` bytes; `what` ("key", "value")
/// names it in errors.
pub fn bytes(spec: &toml::Value, size: usize, what: &str) -> Result<Vec<u8>, String> {
    match spec {
        toml::Value::Integer(v) => {
            int_bytes(i128::from(*v), size).map_err(|e| format!("{what}: {e}"))
        }
        toml::Value::String(text) => text_bytes(text, size, what),
        toml::Value::Array(items) => {
            if items.is_empty() || !size.is_multiple_of(items.len()) {
                return Err(format!(
                    "{what}: {} elements do not split {size} bytes evenly",
                    items.len()
                ));
            }
            let element = size / items.len();
            let mut out = Vec::with_capacity(size);
            for item in items {
                match item {
                    toml::Value::Array(_) => {
                        return Err(format!("{what}: an array inside an array"));
                    }
                    other => out.extend(bytes(other, element, what)?),
                }
            }
            Ok(out)
        }
        other => Err(format!(
            "{what}: {other} is not an integer, a string or an array"
        )),
    }
}

fn text_bytes(text: &str, size: usize, what: &str) -> Result<Vec<u8>, String> {
    if let Some(digits) = text.strip_prefix("hex:") {
        // Exactly `size` bytes: a short key would silently match nothing.
        let b = hex_bytes(digits).map_err(|e| format!("{what}: {e}"))?;
        if b.len() != size {
            return Err(format!(
                "a {what} of {} bytes (`hex:{digits}`), but the map's {what}s have {size} bytes",
                b.len()
            ));
        }
        return Ok(b);
    }
    parse_text(text, size).map_err(|e| format!("{what}: {e}"))
}

/// A ring-buffer record: `hex:` bytes of any length.
pub fn record(text: &str) -> Result<Vec<u8>, String> {
    let Some(digits) = text.strip_prefix("hex:") else {
        return Err(format!("record `{text}` is not `hex:` bytes"));
    };
    hex_bytes(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> toml::Value {
        let table: toml::Table = toml::from_str(&format!("v = {text}")).unwrap();
        table["v"].clone()
    }

    #[test]
    fn keys_and_values_are_sized_exactly() {
        let rows: &[(&str, usize, Result<&str, &str>)] = &[
            ("42", 4, Ok("2a000000")),
            ("-1", 2, Ok("ffff")),
            ("70000", 2, Err("key: 70000 does not fit in 2 bytes")),
            ("\"net:443\"", 2, Ok("01bb")),
            ("\"10.0.0.1\"", 4, Ok("0a000001")),
            ("\"hex:0a000001\"", 4, Ok("0a000001")),
            (
                "\"hex:0a0000\"",
                4,
                Err("a key of 3 bytes (`hex:0a0000`), but the map's keys have 4 bytes"),
            ),
            ("[\"10.0.0.1\", 443]", 8, Ok("0a000001bb010000")),
            (
                "[1, 2, 3]",
                8,
                Err("key: 3 elements do not split 8 bytes evenly"),
            ),
            (
                "true",
                4,
                Err("key: true is not an integer, a string or an array"),
            ),
        ];
        for (spec, size, expected) in rows {
            let got = bytes(&parse(spec), *size, "key").map(|b| crate::context::hex(&b));
            assert_eq!(got.as_deref().map_err(String::as_str), *expected, "{spec}");
        }
    }
}
