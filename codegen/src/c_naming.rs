//! How the C header names the macros it defines itself, and the names `<stdint.h>`
//! reserves: the C emitter (`emit::c_header`) writes these names and the resolver
//! (`resolve::names`) keeps the spec's names clear of them, so neither imports the
//! other.

/// The macro that declares a helper's prototype typedef (defined unless defined).
pub const HELPER_MACRO: &str = "EBPF_HELPER";

/// The header's file stem in upper case, other characters than letters and digits
/// as `_` (`ebpf_nethooks` -> `EBPF_NETHOOKS`): the prefix of its own macros.
pub fn macro_prefix(stem: &str) -> String {
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The macro of the header's layout checks (`EBPF_NETHOOKS_CHECK_LAYOUT`).
pub fn layout_check_macro(stem: &str) -> String {
    format!("{}_CHECK_LAYOUT", macro_prefix(stem))
}

/// Macros of `<stdint.h>` outside the `INT*`/`UINT*` families.
const STDINT_MACROS: &[&str] = &[
    "SIZE_MAX",
    "SIZE_WIDTH",
    "PTRDIFF_MIN",
    "PTRDIFF_MAX",
    "PTRDIFF_WIDTH",
    "SIG_ATOMIC_MIN",
    "SIG_ATOMIC_MAX",
    "SIG_ATOMIC_WIDTH",
    "WCHAR_MIN",
    "WCHAR_MAX",
    "WCHAR_WIDTH",
    "WINT_MIN",
    "WINT_MAX",
    "WINT_WIDTH",
    "NULL",
];

/// Whether `<stdint.h>` defines or reserves `name` as a macro: its limits and
/// constant macros (`UINT32_MAX`, `INT64_C`), and what C reserves for them (names
/// starting `INT` or `UINT` and ending `_MAX`, `_MIN`, `_WIDTH` or `_C`).
pub fn is_stdint_macro(name: &str) -> bool {
    let family = (name.starts_with("INT") || name.starts_with("UINT"))
        && ["_MAX", "_MIN", "_WIDTH", "_C"]
            .iter()
            .any(|end| name.ends_with(end));
    family || STDINT_MACROS.contains(&name)
}
