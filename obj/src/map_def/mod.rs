//! Map definitions and map references read from an ELF object: legacy records in
//! `maps` / `maps/<any>` (`docs/general-helpers-abi.md` §4.2) and BTF-defined maps in `.maps` (`docs/general-helpers-abi.md` §4.1), in
//! that order; and the `lddw` instructions that load a map's address (`docs/general-helpers-abi.md` §4.3).

use object::{
    Object, ObjectSection, ObjectSymbol, RelocationFlags, RelocationTarget, SectionKind, SymbolKind,
};

mod btf;

use btf::Btf;
use ebpf_nethooks_maps::read_in_file;
pub use ebpf_nethooks_maps::{MapDefinition, MapError, MapType};

use crate::isa::{LD_DW_IMM as LDDW, R_BPF_64_64};

/// Whether `name` is a legacy map section: exactly `maps`, or `maps/<anything>`.
pub fn is_legacy_section(name: &str) -> bool {
    name == "maps" || name.starts_with("maps/")
}

/// Every map the object declares: legacy sections in file order, each by record
/// index; then the BTF maps, by offset in `.maps`.
pub fn definitions(file: &object::File<'_>) -> Result<Vec<MapDefinition>, MapError> {
    let mut maps = Vec::new();
    for section in file.sections() {
        if let Ok(name) = section.name()
            && is_legacy_section(name)
        {
            maps.extend(legacy(file, &section, name)?);
        }
    }
    maps.extend(btf_maps(file)?);
    Ok(maps)
}

fn legacy(
    file: &object::File<'_>,
    section: &object::Section<'_, '_>,
    name: &str,
) -> Result<Vec<MapDefinition>, MapError> {
    let unreadable = |why: String| MapError::Unreadable {
        section: name.to_owned(),
        why,
    };
    let data = section.data().map_err(|e| unreadable(e.to_string()))?;
    let mut symbols: Vec<(String, u64, u64)> = file
        .symbols()
        .filter(|s| s.section_index() == Some(section.index()) && s.kind() != SymbolKind::Section)
        .filter_map(|s| Some((s.name().ok()?.to_owned(), s.address(), s.size())))
        .filter(|(n, _, _)| !n.is_empty())
        .collect();
    symbols.sort_by_key(|&(_, address, _)| address);
    if symbols.is_empty() {
        return match data.len() {
            0 => Ok(Vec::new()),
            n => Err(unreadable(format!(
                "{n} bytes but no named symbol, so no map name"
            ))),
        };
    }
    let count = symbols.len() as u64;
    let size = data.len() as u64;
    if size == 0 || !size.is_multiple_of(count) {
        return Err(unreadable(format!(
            "{size} bytes do not divide into {count} records, one per named symbol"
        )));
    }
    let record = size / count;
    symbols
        .into_iter()
        .map(|(map, address, symbol_size)| {
            if symbol_size != record || !address.is_multiple_of(record) {
                return Err(unreadable(format!(
                    "map `{map}` is {symbol_size} bytes at offset {address}, not a record of {record} bytes"
                )));
            }
            let bytes = usize::try_from(address)
                .ok()
                .and_then(|start| data.get(start..start.checked_add(record as usize)?))
                .ok_or_else(|| {
                    unreadable(format!(
                        "map `{map}` is at offset {address}, past the section's {size} bytes"
                    ))
                })?;
            // Copied into the 32-byte in-file struct: zero-filled or truncated.
            let in_file = read_in_file(bytes);
            let mut d = MapDefinition::from_in_file(&map, &in_file);
            d.section = name.to_owned();
            d.offset = address;
            d.size = record;
            Ok(d)
        })
        .collect()
}

/// The fields of a BTF map definition the runner reads (`docs/general-helpers-abi.md` §4.1, and `map_flags`).
const BTF_FIELDS: &[&str] = &[
    "type",
    "key",
    "key_size",
    "value",
    "value_size",
    "max_entries",
    "map_flags",
    "pinning",
    "values",
];

fn btf_maps(file: &object::File<'_>) -> Result<Vec<MapDefinition>, MapError> {
    let Some(maps) = file.section_by_name(".maps") else {
        return Ok(Vec::new());
    };
    let unreadable = |section: &str, why: String| MapError::Unreadable {
        section: section.to_owned(),
        why,
    };
    let Some(btf_section) = file.section_by_name(".BTF") else {
        return Err(unreadable(".maps", "the object has no `.BTF` section, where BTF-defined maps are declared; compile with `-g`".to_owned()));
    };
    let bytes = btf_section
        .data()
        .map_err(|e| unreadable(".BTF", e.to_string()))?;
    let btf = Btf::parse(bytes).map_err(|why| unreadable(".BTF", why))?;
    let datasec = btf
        .datasec(".maps")
        .ok_or_else(|| unreadable(".BTF", "it has no DATASEC `.maps`".to_owned()))?;
    let datasec = btf.get(datasec).map_err(|why| unreadable(".BTF", why))?;
    let mut defs = Vec::new();
    for (n, (var, offset, size)) in btf.datasec_vars(&datasec).into_iter().enumerate() {
        let (mut d, values_at) =
            btf_definition(&btf, var, n).map_err(|why| unreadable(".maps", why))?;
        let symbol = file.symbols().find(|s| {
            s.section_index() == Some(maps.index()) && s.name().is_ok_and(|name| name == d.name)
        });
        (d.offset, d.size) = match symbol {
            Some(s) => (s.address(), s.size()),
            None => (u64::from(offset), u64::from(size)),
        };
        d.section = ".maps".to_owned();
        defs.push((d, values_at));
    }
    defs.sort_by_key(|(d, _)| d.offset);
    // `.rel.maps`: a static initialiser of `values` (slot = (offset - map start -
    // offset of `values`) / 8).
    for (offset, relocation) in maps.relocations() {
        let RelocationTarget::Symbol(index) = relocation.target() else {
            continue;
        };
        let target = file
            .symbol_by_index(index)
            .ok()
            .and_then(|s| s.name().ok().map(str::to_owned))
            .unwrap_or_default();
        let owner = defs
            .iter_mut()
            .find(|(d, _)| d.offset <= offset && offset < d.offset.saturating_add(d.size.max(1)));
        let Some((d, Some(values_at))) = owner else {
            return Err(unreadable(
                ".maps",
                format!("a relocation at offset {offset} to `{target}` lies in no map's `values`"),
            ));
        };
        let slot = (offset - d.offset).checked_sub(*values_at).map(|b| b / 8);
        let slot = slot.and_then(|s| u32::try_from(s).ok()).ok_or_else(|| {
            unreadable(
                ".maps",
                format!("a relocation at offset {offset} before `values`"),
            )
        })?;
        d.initial_values.push((slot, target));
    }
    Ok(defs.into_iter().map(|(d, _)| d).collect())
}

/// The definition of the map VAR `var` (the `n`-th of `.maps`) and the byte offset of
/// its `values` member, if any.
fn btf_definition(
    btf: &Btf<'_>,
    var: u32,
    n: usize,
) -> Result<(MapDefinition, Option<u64>), String> {
    let v = btf.get(var)?;
    if v.kind != btf::KIND_VAR {
        return Err(format!(
            "entry {n} of DATASEC `.maps` is type #{var} of kind {}, not a VAR",
            v.kind
        ));
    }
    let name = match btf.name(v.name_off)? {
        "" => format!("__anonymous_{n}"),
        name => name.to_owned(),
    };
    let struct_id = btf.skip_modifiers(v.size_or_type)?;
    let s = btf.get(struct_id)?;
    if s.kind != btf::KIND_STRUCT {
        return Err(format!(
            "map `{name}` is not a struct (BTF kind {})",
            s.kind
        ));
    }
    let mut d = MapDefinition::new(&name, MapType(0), 0, 0, 0);
    d.id = struct_id;
    let mut values_at = None;
    for m in btf.members(&s) {
        let field = btf.name(m.name_off)?;
        let why = |what: &str| format!("map `{name}`: field `{field}` is not {what}");
        let pointee = || -> Result<u32, String> {
            let p = btf.get(btf.skip_modifiers(m.type_id)?)?;
            if p.kind != btf::KIND_PTR {
                return Err(why("a pointer (`__uint` or `__type`)"));
            }
            btf.skip_modifiers(p.size_or_type)
        };
        let number = || -> Result<u32, String> {
            let a = btf.get(pointee()?)?;
            if a.kind != btf::KIND_ARRAY {
                return Err(why("a number (`__uint`)"));
            }
            Ok(btf.array(&a)?.1)
        };
        match field {
            "type" => d.map_type = MapType(number()?),
            "key_size" => d.key_size = number()?,
            "value_size" => d.value_size = number()?,
            "max_entries" => d.max_entries = number()?,
            "map_flags" => d.map_flags = number()?,
            "pinning" => d.pinning = number()?,
            "key" | "value" => {
                let size = u32::try_from(btf.size_of(pointee()?)?)
                    .map_err(|_| why("a type of at most 4 GiB"))?;
                if field == "key" {
                    d.key_size = size;
                } else {
                    d.value_size = size;
                }
            }
            "values" => {
                let a = btf.get(btf.skip_modifiers(m.type_id)?)?;
                if a.kind != btf::KIND_ARRAY {
                    return Err(why("an array (`__array`)"));
                }
                let element = btf.get(btf.skip_modifiers(btf.array(&a)?.0)?)?;
                if element.kind != btf::KIND_PTR {
                    return Err(why("an array of pointers (`__array`)"));
                }
                let template = btf.skip_modifiers(element.size_or_type)?;
                if btf.get(template)?.kind == btf::KIND_STRUCT {
                    d.inner_id = template;
                }
                values_at = Some(m.byte_offset);
            }
            other => {
                return Err(format!(
                    "map `{name}` has a field `{other}` the runner does not read; it reads {}",
                    BTF_FIELDS.join(", ")
                ));
            }
        }
    }
    Ok((d, values_at))
}

/// An `lddw` that loads a map's address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MapReference {
    /// The code section, and the instruction's index there.
    pub section: String,
    pub insn: usize,
    /// Index of the map in [`definitions`]' list.
    pub map: usize,
}

/// Every `lddw` of a map address in the object's code sections (an `R_BPF_64_64`
/// relocation against a symbol of a map section), in file order.
pub fn references(
    file: &object::File<'_>,
    maps: &[MapDefinition],
) -> Result<Vec<MapReference>, MapError> {
    let mut refs = Vec::new();
    for section in file.sections().filter(|s| s.kind() == SectionKind::Text) {
        let code_name = section.name().unwrap_or("?").to_owned();
        let Ok(code) = section.data() else { continue };
        let mut relocations: Vec<_> = section.relocations().collect();
        relocations.sort_by_key(|(offset, _)| *offset);
        for (offset, relocation) in relocations {
            let (
                RelocationFlags::Elf {
                    r_type: R_BPF_64_64,
                },
                RelocationTarget::Symbol(index),
            ) = (relocation.flags(), relocation.target())
            else {
                continue;
            };
            let Ok(symbol) = file.symbol_by_index(index) else {
                continue;
            };
            let Some(map_section) = symbol
                .section_index()
                .and_then(|i| file.section_by_index(i).ok())
                .and_then(|s| s.name().ok().map(str::to_owned))
            else {
                continue;
            };
            if !is_legacy_section(&map_section) && map_section != ".maps" {
                continue;
            }
            let bad = |why: String| MapError::Unreadable {
                section: code_name.clone(),
                why: format!("the instruction at byte {offset}: {why}"),
            };
            let insn = usize::try_from(offset).map_err(|_| bad("out of range".to_owned()))?;
            let bytes = insn.checked_add(8).and_then(|end| code.get(insn..end));
            let Some(bytes) = bytes.filter(|b| b[0] == LDDW) else {
                return Err(bad(format!(
                    "a map relocation against `{map_section}` on an instruction that is not lddw"
                )));
            };
            let imm = i32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
            let target = symbol.address().wrapping_add(imm as i64 as u64);
            // A map's own symbol names it: an object may have several sections of
            // one name (`maps`, each map in its own), where offsets repeat.
            let own_name = (symbol.kind() != SymbolKind::Section)
                .then(|| symbol.name().ok())
                .flatten();
            let map = maps
                .iter()
                .position(|d| {
                    d.section == map_section
                        && own_name.is_none_or(|name| d.name == name)
                        && d.offset <= target
                        && target < d.offset.saturating_add(d.size.max(1))
                })
                .ok_or_else(|| {
                    bad(format!(
                        "the address of byte {target} of `{map_section}`, where no map is"
                    ))
                })?;
            refs.push(MapReference {
                section: code_name.clone(),
                insn: insn / 8,
                map,
            });
        }
    }
    Ok(refs)
}
