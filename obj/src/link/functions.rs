//! The functions of a code section: its `STT_FUNC` symbols, each running to its size
//! or, without one, to the next function or the section's end.

use std::collections::HashMap;

use object::{Object, ObjectSection, ObjectSymbol, SectionIndex, SymbolKind};

/// A function: a range of instructions of one code section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub section: SectionIndex,
    pub name: String,
    /// First instruction, in the section.
    pub start: usize,
    /// Number of instruction slots.
    pub len: usize,
    /// Global binding (a program entry when in a hook section).
    pub global: bool,
}

/// The functions of every code section, by section, sorted by start.
pub fn functions(file: &object::File<'_>) -> HashMap<SectionIndex, Vec<Function>> {
    let mut by_section: HashMap<SectionIndex, Vec<Function>> = HashMap::new();
    for sym in file.symbols() {
        let (Some(section), SymbolKind::Text) = (sym.section_index(), sym.kind()) else {
            continue;
        };
        let Ok(name) = sym.name() else { continue };
        if name.is_empty() || sym.address() % 8 != 0 {
            continue;
        }
        by_section.entry(section).or_default().push(Function {
            section,
            name: name.to_owned(),
            start: (sym.address() / 8) as usize,
            len: (sym.size() / 8) as usize,
            global: sym.is_global(),
        });
    }
    for (index, list) in &mut by_section {
        let slots = file
            .section_by_index(*index)
            .map_or(0, |s| (s.size() / 8) as usize);
        list.sort_by_key(|f| f.start);
        list.dedup_by_key(|f| f.start);
        // A symbol without a size runs to the next function or the section's end.
        for k in 0..list.len() {
            let end = list.get(k + 1).map_or(slots, |f| f.start);
            if list[k].len == 0 {
                list[k].len = end.saturating_sub(list[k].start);
            }
        }
    }
    by_section
}
