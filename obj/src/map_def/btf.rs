//! A small reader of the `.BTF` section, enough for BTF-defined maps (`docs/general-helpers-abi.md` §4.1):
//! the DATASEC `.maps` lists one VAR per map, whose struct's members encode the
//! definition (`__uint` as the element count of a pointed-to array, `__type` as the
//! size of the pointed-to type, `__array(values, ...)` as an array of pointers).
//!
//! Every read is bounds-checked and every type chain depth-limited, so a damaged
//! section gives an error, never a panic or a hang.

const BTF_MAGIC: u16 = 0xeb9f;
/// Deepest chain of modifiers/typedefs/arrays followed.
const MAX_DEPTH: usize = 32;

pub const KIND_INT: u32 = 1;
pub const KIND_PTR: u32 = 2;
pub const KIND_ARRAY: u32 = 3;
pub const KIND_STRUCT: u32 = 4;
pub const KIND_UNION: u32 = 5;
pub const KIND_ENUM: u32 = 6;
pub const KIND_FWD: u32 = 7;
pub const KIND_TYPEDEF: u32 = 8;
pub const KIND_VOLATILE: u32 = 9;
pub const KIND_CONST: u32 = 10;
pub const KIND_RESTRICT: u32 = 11;
pub const KIND_FUNC: u32 = 12;
pub const KIND_FUNC_PROTO: u32 = 13;
pub const KIND_VAR: u32 = 14;
pub const KIND_DATASEC: u32 = 15;
pub const KIND_FLOAT: u32 = 16;
pub const KIND_DECL_TAG: u32 = 17;
pub const KIND_TYPE_TAG: u32 = 18;
pub const KIND_ENUM64: u32 = 19;

/// One type: its common header and the bytes that follow it.
#[derive(Debug, Clone, Copy)]
pub struct Type<'a> {
    pub name_off: u32,
    pub kind: u32,
    pub vlen: usize,
    pub kind_flag: bool,
    /// `size` or `type`, by kind.
    pub size_or_type: u32,
    pub extra: &'a [u8],
}

/// A struct member: name, type and byte offset.
#[derive(Debug, Clone, Copy)]
pub struct Member {
    pub name_off: u32,
    pub type_id: u32,
    pub byte_offset: u64,
}

pub struct Btf<'a> {
    /// Type id `n` is `types[n - 1]` (id 0 is void).
    types: Vec<Type<'a>>,
    strings: &'a [u8],
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl<'a> Btf<'a> {
    pub fn parse(data: &'a [u8]) -> Result<Btf<'a>, String> {
        let short = || "the section is shorter than its header says".to_owned();
        if data.len() < 24 {
            return Err(format!("{} bytes, too short for a BTF header", data.len()));
        }
        let magic = u16::from_le_bytes([data[0], data[1]]);
        if magic != BTF_MAGIC {
            return Err(format!(
                "magic {magic:#06x}, not {BTF_MAGIC:#06x} (a big-endian or damaged BTF)"
            ));
        }
        let hdr_len = u32_at(data, 4).ok_or_else(short)? as usize;
        let field = |at: usize| u32_at(data, at).map(|v| v as usize).ok_or_else(short);
        let (type_off, type_len) = (field(8)?, field(12)?);
        let (str_off, str_len) = (field(16)?, field(20)?);
        let part = |off: usize, len: usize| {
            let start = hdr_len.checked_add(off).ok_or_else(short)?;
            data.get(start..start.checked_add(len).ok_or_else(short)?)
                .ok_or_else(short)
        };
        let type_bytes = part(type_off, type_len)?;
        let strings = part(str_off, str_len)?;
        let mut types = Vec::new();
        let mut at = 0;
        while at < type_bytes.len() {
            let (Some(name_off), Some(info), Some(size_or_type)) = (
                u32_at(type_bytes, at),
                u32_at(type_bytes, at + 4),
                u32_at(type_bytes, at + 8),
            ) else {
                return Err(format!("type #{} is cut short", types.len() + 1));
            };
            let kind = (info >> 24) & 0x1f;
            let vlen = (info & 0xffff) as usize;
            let extra_len = match kind {
                KIND_INT | KIND_VAR | KIND_DECL_TAG => 4,
                KIND_ARRAY => 12,
                KIND_STRUCT | KIND_UNION | KIND_DATASEC | KIND_ENUM64 => 12 * vlen,
                KIND_ENUM | KIND_FUNC_PROTO => 8 * vlen,
                KIND_PTR | KIND_FWD | KIND_TYPEDEF | KIND_VOLATILE | KIND_CONST | KIND_RESTRICT
                | KIND_FUNC | KIND_FLOAT | KIND_TYPE_TAG => 0,
                other => {
                    return Err(format!(
                        "type #{} has unknown kind {other}",
                        types.len() + 1
                    ));
                }
            };
            let start = at + 12;
            let extra = type_bytes
                .get(start..start + extra_len)
                .ok_or_else(|| format!("type #{} is cut short", types.len() + 1))?;
            types.push(Type {
                name_off,
                kind,
                vlen,
                kind_flag: info >> 31 == 1,
                size_or_type,
                extra,
            });
            at = start + extra_len;
        }
        Ok(Btf { types, strings })
    }

    pub fn name(&self, offset: u32) -> Result<&'a str, String> {
        let rest = self
            .strings
            .get(offset as usize..)
            .ok_or_else(|| format!("a name at {offset}, past the string section"))?;
        let end = rest
            .iter()
            .position(|&b| b == 0)
            .ok_or_else(|| format!("the name at {offset} has no terminating NUL"))?;
        std::str::from_utf8(&rest[..end]).map_err(|_| format!("the name at {offset} is not UTF-8"))
    }

    pub fn get(&self, id: u32) -> Result<Type<'a>, String> {
        id.checked_sub(1)
            .and_then(|i| self.types.get(i as usize))
            .copied()
            .ok_or_else(|| format!("no BTF type #{id}"))
    }

    /// `id` with typedefs and qualifiers removed.
    pub fn skip_modifiers(&self, mut id: u32) -> Result<u32, String> {
        for _ in 0..MAX_DEPTH {
            let t = self.get(id)?;
            match t.kind {
                KIND_TYPEDEF | KIND_VOLATILE | KIND_CONST | KIND_RESTRICT | KIND_TYPE_TAG => {
                    id = t.size_or_type
                }
                _ => return Ok(id),
            }
        }
        Err(format!("type #{id} nests deeper than {MAX_DEPTH}"))
    }

    /// The size in bytes of type `id`.
    pub fn size_of(&self, id: u32) -> Result<u64, String> {
        let mut id = id;
        let mut factor: u64 = 1;
        for _ in 0..MAX_DEPTH {
            id = self.skip_modifiers(id)?;
            let t = self.get(id)?;
            let size = match t.kind {
                KIND_INT | KIND_STRUCT | KIND_UNION | KIND_ENUM | KIND_ENUM64 | KIND_FLOAT
                | KIND_DATASEC => u64::from(t.size_or_type),
                KIND_PTR => 8,
                KIND_ARRAY => {
                    let (element, count) = self.array(&t)?;
                    factor = factor
                        .checked_mul(u64::from(count))
                        .ok_or("an array too large")?;
                    id = element;
                    continue;
                }
                other => return Err(format!("type #{id} (kind {other}) has no size")),
            };
            return factor
                .checked_mul(size)
                .ok_or_else(|| "a type too large".to_owned());
        }
        Err(format!("type #{id} nests deeper than {MAX_DEPTH}"))
    }

    /// An array's element type and element count.
    pub fn array(&self, t: &Type<'a>) -> Result<(u32, u32), String> {
        let element = u32_at(t.extra, 0).ok_or("an array cut short")?;
        let count = u32_at(t.extra, 8).ok_or("an array cut short")?;
        Ok((element, count))
    }

    /// A struct's or union's members.
    pub fn members(&self, t: &Type<'a>) -> Vec<Member> {
        (0..t.vlen)
            .filter_map(|i| {
                let offset = u32_at(t.extra, i * 12 + 8)?;
                // With kind_flag the low 24 bits are the bit offset.
                let bits = if t.kind_flag {
                    offset & 0xff_ffff
                } else {
                    offset
                };
                Some(Member {
                    name_off: u32_at(t.extra, i * 12)?,
                    type_id: u32_at(t.extra, i * 12 + 4)?,
                    byte_offset: u64::from(bits / 8),
                })
            })
            .collect()
    }

    /// A DATASEC's variables: type id, offset and size.
    pub fn datasec_vars(&self, t: &Type<'a>) -> Vec<(u32, u32, u32)> {
        (0..t.vlen)
            .filter_map(|i| {
                Some((
                    u32_at(t.extra, i * 12)?,
                    u32_at(t.extra, i * 12 + 4)?,
                    u32_at(t.extra, i * 12 + 8)?,
                ))
            })
            .collect()
    }

    /// The id of the DATASEC named `name`.
    pub fn datasec(&self, name: &str) -> Option<u32> {
        (1..=self.types.len() as u32).find(|&id| {
            self.get(id).is_ok_and(|t| {
                t.kind == KIND_DATASEC && self.name(t.name_off).is_ok_and(|n| n == name)
            })
        })
    }
}
