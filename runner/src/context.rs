//! A program's context: the bytes of one generated `#[repr(C)]` struct, filled member by
//! member through the bindings' `abi::STRUCTS` table. Values written as text or in
//! files (`--ctx`, context files, scenarios) are decoded by `cli::values` and
//! applied by `cli::assign`.

use std::fmt;

use ebpf_nethooks_bindings::abi::{self, MemberLayout, StructLayout};

use crate::error::{ContextError, RunError};

/// One context struct's bytes, 8-byte aligned so host code may view it as the struct.
#[derive(Clone, PartialEq, Eq)]
pub struct Context {
    pub(crate) layout: &'static StructLayout,
    words: Vec<u64>,
    /// Bytes that a pair of pointer members (`app_id_start`, `app_id_end`) points
    /// at during a run, by the pair's name (`app_id`).
    pub(crate) data: Vec<(String, Vec<u8>)>,
}

/// The most bytes a context's pointed-to data may hold.
pub const MAX_DATA: usize = 1 << 16;

/// A member whose bytes a run changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ContextWrite {
    /// The member's C name (`<padding>` for bytes that belong to no member).
    pub member: String,
    pub offset: usize,
    pub before: Vec<u8>,
    pub after: Vec<u8>,
}

impl Context {
    /// A zeroed context of the struct named `struct_name` in `abi::STRUCTS`.
    pub fn zeroed(struct_name: &str) -> Result<Context, RunError> {
        let layout = abi::STRUCTS
            .iter()
            .find(|s| s.name == struct_name)
            .ok_or_else(|| ContextError::NoSuchStruct(struct_name.to_owned()))?;
        Ok(Context {
            layout,
            words: vec![0; layout.size.div_ceil(8)],
            data: Vec::new(),
        })
    }

    pub fn layout(&self) -> &'static StructLayout {
        self.layout
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: u64 words viewed as bytes; the length stays inside the allocation.
        unsafe { std::slice::from_raw_parts(self.words.as_ptr().cast(), self.layout.size) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `bytes`, uniquely borrowed.
        unsafe { std::slice::from_raw_parts_mut(self.words.as_mut_ptr().cast(), self.layout.size) }
    }

    /// The member named `name`, or an error listing the struct's members.
    pub fn member(&self, name: &str) -> Result<&'static MemberLayout, RunError> {
        self.layout
            .members
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| ContextError::UnknownMember {
                member: name.to_owned(),
                context: self.layout.name,
                known: self.layout.members.iter().map(|m| m.name).collect(),
            })
            .map_err(RunError::from)
    }

    /// The current bytes of member `name`.
    pub fn get(&self, name: &str) -> Result<&[u8], RunError> {
        let m = self.member(name)?;
        Ok(&self.bytes()[m.offset..m.offset + m.size])
    }

    /// Writes raw bytes (at most the member's size; the rest is zeroed).
    pub fn set_bytes(&mut self, name: &str, value: &[u8]) -> Result<(), RunError> {
        let m = self.member(name)?;
        if value.len() > m.size {
            return Err(bad_value(
                m,
                format!("{} bytes do not fit in {} bytes", value.len(), m.size),
            ));
        }
        let dest = &mut self.bytes_mut()[m.offset..m.offset + m.size];
        dest.fill(0);
        dest[..value.len()].copy_from_slice(value);
        Ok(())
    }

    /// Writes an integer, little-endian, checking that it fits the member.
    pub fn set_int(&mut self, name: &str, value: i128) -> Result<(), RunError> {
        let m = self.member(name)?;
        let bytes = int_bytes(value, m.size).map_err(|why| bad_value(m, why))?;
        self.set_bytes(name, &bytes)
    }

    /// The pointer members `NAME_start` and `NAME_end` that delimit data `name`.
    pub(crate) fn data_members(
        &self,
        name: &str,
    ) -> Option<(&'static MemberLayout, &'static MemberLayout)> {
        let find = |suffix: &str| {
            let full = format!("{name}_{suffix}");
            self.layout
                .members
                .iter()
                .find(|m| m.name == full && m.size == 8)
        };
        Some((find("start")?, find("end")?))
    }

    /// The bytes given for data `name` (`app_id=hex:...`), if any.
    pub fn data(&self, name: &str) -> Option<&[u8]> {
        self.data
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }

    /// For a run: points each pair of pointer members at its data (in this copy) and
    /// returns the data's names and address ranges.
    pub fn attach_data(&mut self) -> Vec<(String, std::ops::Range<usize>)> {
        let mut ranges = Vec::new();
        for i in 0..self.data.len() {
            let Some((start, end)) = self.data_members(&self.data[i].0) else {
                continue;
            };
            let bytes = &self.data[i].1;
            let range = bytes.as_ptr() as usize..bytes.as_ptr() as usize + bytes.len();
            let name = self.data[i].0.clone();
            let out = self.bytes_mut();
            out[start.offset..start.offset + 8]
                .copy_from_slice(&(range.start as u64).to_le_bytes());
            out[end.offset..end.offset + 8].copy_from_slice(&(range.end as u64).to_le_bytes());
            ranges.push((name, range));
        }
        ranges
    }

    /// After a run: the pointer members that still point where [`Context::attach_data`]
    /// pointed them get `input`'s bytes back, so no address of the run stays.
    pub fn detach_data(&mut self, input: &Context, ranges: &[(String, std::ops::Range<usize>)]) {
        for (name, range) in ranges {
            let Some((start, end)) = self.data_members(name) else {
                continue;
            };
            for (member, address) in [(start, range.start), (end, range.end)] {
                let at = member.offset..member.offset + 8;
                if self.bytes()[at.clone()] == (address as u64).to_le_bytes() {
                    let original = input.bytes()[at.clone()].to_vec();
                    self.bytes_mut()[at].copy_from_slice(&original);
                }
            }
        }
    }

    /// Every member (and padding byte run) whose bytes differ between `self` and `after`.
    pub fn writes(&self, after: &Context) -> Vec<ContextWrite> {
        let (old, new) = (self.bytes(), after.bytes());
        let mut owned = vec![false; old.len()];
        let mut writes = Vec::new();
        for m in self.layout.members {
            let range = m.offset..m.offset + m.size;
            owned[range.clone()].iter_mut().for_each(|o| *o = true);
            if old[range.clone()] != new[range.clone()] {
                writes.push(ContextWrite {
                    member: m.name.to_owned(),
                    offset: m.offset,
                    before: old[range.clone()].to_vec(),
                    after: new[range].to_vec(),
                });
            }
        }
        for (i, _) in owned
            .iter()
            .enumerate()
            .filter(|(i, o)| !**o && old[*i] != new[*i])
        {
            writes.push(ContextWrite {
                member: "<padding>".to_owned(),
                offset: i,
                before: vec![old[i]],
                after: vec![new[i]],
            });
        }
        // Union members overlap, so one store can show under each of their names.
        writes
    }
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct(self.layout.name);
        for m in self.layout.members {
            s.field(m.name, &hex(&self.bytes()[m.offset..m.offset + m.size]));
        }
        s.finish()
    }
}

/// Bytes as lowercase hex, two digits each.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn bad_value(m: &MemberLayout, why: String) -> RunError {
    ContextError::BadValue {
        member: m.name.to_owned(),
        why,
    }
    .into()
}

/// `value` little-endian in `size` bytes, if it fits (signed or unsigned).
pub(crate) fn int_bytes(value: i128, size: usize) -> Result<Vec<u8>, String> {
    let bits = 8 * size as u32;
    let fits = if bits >= 64 {
        value >= i128::from(i64::MIN) && value <= i128::from(u64::MAX)
    } else {
        value >= -(1i128 << (bits - 1)) && value < (1i128 << bits)
    };
    if !fits {
        return Err(format!("{value} does not fit in {size} bytes"));
    }
    Ok(value.to_le_bytes()[..size].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sock_addr() -> Context {
        let name = abi::HOOKS
            .iter()
            .find(|h| {
                h.attach_types
                    .iter()
                    .any(|a| a.section == "cgroup/connect4")
            })
            .unwrap()
            .context;
        Context::zeroed(name).unwrap()
    }

    #[test]
    fn values_are_written_as_documented() {
        let table: &[(&str, &str, &str)] = &[
            ("user_port", "80", "5000"),
            ("user_port", "net:80", "0050"),
            ("user_port", "0xFFFF", "ffff"),
            ("user_port", "net:65535", "ffff"),
            ("user_port", "-1", "ffff"),
            ("user_port", "1_000", "e803"),
            ("user_ip4", "10.0.0.1", "0a000001"),
            ("user_ip4", "net:0x0a000001", "0a000001"),
            (
                "user_ip6",
                "::ffff:10.0.0.1",
                "00000000000000000000ffff0a000001",
            ),
            (
                "user_ip6",
                "hex:20010db8",
                "20010db8000000000000000000000000",
            ),
            ("interface_luid", "0xFFFFFFFFFFFFFFFF", "ffffffffffffffff"),
            ("interface_luid", "-1", "ffffffffffffffff"),
            (
                "family",
                "BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION",
                "01000000",
            ),
        ];
        for (member, text, bytes) in table {
            let mut ctx = sock_addr();
            ctx.set_text(member, text)
                .unwrap_or_else(|e| panic!("{member}={text}: {e}"));
            assert_eq!(hex(ctx.get(member).unwrap()), *bytes, "{member}={text}");
        }
    }

    #[test]
    fn an_enum_member_takes_only_its_own_enumerators_and_each_member_once() {
        let mut bind = Context::zeroed("bind_md_t").unwrap();
        bind.apply_assignments("operation=BIND_OPERATION_UNBIND")
            .unwrap();
        assert_eq!(hex(bind.get("operation").unwrap()), "02000000");
        let error = bind
            .apply_assignments("operation=BIND_DENY")
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "bad value for `operation`: `BIND_DENY` is an enumerator of another enum; `operation` takes \
             `BIND_OPERATION_BIND`, `BIND_OPERATION_POST_BIND`, `BIND_OPERATION_UNBIND`"
        );
        let error = bind
            .apply_all_assignments(&["operation=0", "process_id=1,operation=1"])
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "bad value for `operation`: the member is given more than once"
        );
    }

    #[test]
    fn bad_values_are_errors_that_name_the_member() {
        let table: &[(&str, &str, &str)] = &[
            ("user_port", "65536", "65536 does not fit in 2 bytes"),
            ("user_port", "-32769", "does not fit in 2 bytes"),
            (
                "user_ip4",
                "::1",
                "an address of 16 bytes in a member of 4 bytes",
            ),
            (
                "user_ip4",
                "hex:0102030405",
                "5 bytes do not fit in 4 bytes",
            ),
            (
                "user_ip4",
                "hex:123",
                "`123` has an odd number of hex digits (3); write whole bytes",
            ),
            (
                "user_ip4",
                "hex:zz",
                "`zz` holds `z`, which is not a hex digit",
            ),
            (
                "user_ip4",
                "ten",
                "`ten` is not an integer, net:N, hex:BYTES",
            ),
            ("user_ip4", "net:x", "`x` is not an integer"),
            (
                "family",
                "BPF_SOCK_ADDR_VERDICT_PROCEED_HARD",
                "`BPF_SOCK_ADDR_VERDICT_PROCEED_HARD` is an enumerator, and `family` is not an enum member",
            ),
        ];
        for (member, text, message) in table {
            let error = sock_addr().set_text(member, text).unwrap_err().to_string();
            assert!(
                error.starts_with(&format!("bad value for `{member}`")),
                "{error}"
            );
            assert!(error.contains(message), "{member}={text}: {error}");
        }
    }

    #[test]
    fn file_arrays_split_a_member_into_equal_elements() {
        let mut ctx = sock_addr();
        ctx.apply_file(
            "c.toml",
            "user_ip6 = [1, 2, 3, 0xFFFFFFFF]\nuser_port = \"net:443\"\n",
        )
        .unwrap();
        assert_eq!(
            hex(ctx.get("user_ip6").unwrap()),
            "010000000200000003000000ffffffff"
        );
        assert_eq!(hex(ctx.get("user_port").unwrap()), "01bb");
        let error = ctx
            .apply_file("c.json", r#"{"user_ip6": [1, 2, 3]}"#)
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("3 elements do not split 16 bytes evenly"),
            "{error}"
        );
    }

    #[test]
    fn writes_name_each_changed_member() {
        let before = sock_addr();
        let mut after = before.clone();
        after.set_text("user_port", "net:80").unwrap();
        let writes = before.writes(&after);
        assert_eq!(writes.len(), 1);
        assert_eq!(writes[0].member, "user_port");
        assert_eq!(
            (writes[0].before.clone(), writes[0].after.clone()),
            (vec![0, 0], vec![0, 80])
        );
    }
}
