//! Map keys and values as a scenario writes them, to bytes of an exact size.

use crate::context::{int_bytes, parse_text};

/// The bytes `spec` stands for in exactly `size` bytes; `what` ("key", "value")
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
        let b = parse_text(text, usize::MAX).map_err(|e| format!("{what}: {e}"))?;
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
    if !text.starts_with("hex:") {
        return Err(format!("record `{text}` is not `hex:` bytes"));
    }
    parse_text(text, usize::MAX)
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
