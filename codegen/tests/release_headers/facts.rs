//! What `docs/efw-releases.md` says of each release, as C that the compilers check,
//! and a stand-in for upstream's own `ebpf_windows.h`.
//!
//! The facts themselves are in three tables, by topic: `facts_core` (the stable core, in
//! every release), `facts_releases` (what each release added, and what is absent before
//! it) and `facts_helpers` (every helper's ID and signature, per release). Each fact is C
//! written with the checks of [`PRELUDE`]; a release's translation unit holds the facts
//! whose range of releases contains it. (`facts_external` holds what the doc says of enums
//! that no generated header defines; those are checked against the models, not in C.)
//!
//! Not checked here, though the doc states it: what is not in the generated headers
//! (`enum bpf_prog_type`, `enum bpf_attach_type` and `__MAX_BPF_ATTACH_TYPE`; the section
//! names are the models', see `each_release_has_its_attach_types`); what no compiler here
//! sees (MSVC's `#pragma warning`, the LLP64 and 32-bit layouts of
//! `ebpf_extension_header_t`, `NO_CRT`); the spelling of the text (an enumerator's
//! position in its enum body, `BASE + n`, `#pragma once`, `#ifndef __doxygen`, doc comments;
//! the goldens hold those); and, in C, the values inside the
//! `BPF_SOCK_ADDR_TEST_CONTEXT_HEADER_VERSION` braces (checked in C++ only, as C has no
//! constant expression that reads an initialiser).

use super::facts_core::CORE;
use super::facts_helpers::{HELPER_FACTS, helper_id_checks};
use super::facts_releases::RELEASE_FACTS;
use super::releases::position;

/// (first release, last release, declarations and assertions, one a line), both ends
/// included.
pub type Fact = (&'static str, &'static str, &'static str);

pub const RC2: &str = "1.0.0-rc2";
pub const V1_1: &str = "1.1.0";
pub const V1_2: &str = "1.2.1";
pub const V1_3: &str = "1.3.0";
pub const V1_4: &str = "1.4.0";
/// 1.5.0, byte-identical to 1.4.0 in every header the facts read.
pub const NEWEST: &str = "1.5.0";

/// Every fact of the tables, in order.
pub fn facts() -> impl Iterator<Item = &'static Fact> {
    CORE.iter().chain(RELEASE_FACTS).chain(HELPER_FACTS)
}

/// The includes of a program, and the checks the facts are written with (the same
/// meaning in C11 under gcc and clang and in C++17 under g++):
///
/// - `CHECK(e)`: a static assertion;
/// - `LAYOUT(T, size, align)`: `sizeof` and alignment of a type;
/// - `MEMBER(T, m, type, offset, size)`: a member's offset, size and exact type (C takes
///   an enum for its underlying type; g++ tells them apart);
/// - `ENUM_TYPE(T, size)`: an enum's size, and that its underlying type is `unsigned int`;
/// - `ENUMERATOR_OF(e, T)`: in C++, that `e` is an enumerator of `T` (in C, an `int`
///   constant, as every enumerator is);
/// - `TYPE_OF_IS(e, type)`: the exact type of an expression (a macro's value);
/// - `SIGNATURE(helper, ret, params)`: the helper's `_t` typedef is exactly
///   `ret (*const)params` (a redeclaration with another type fails to compile; C++ also
///   tells an enum from its underlying type);
/// - `HOOK(hook, ret, params)`: the hook's function typedef is exactly `ret params`;
/// - `ABSENT_TYPE(name)`, `ABSENT_ENUMERATOR(name)`, `ABSENT_TAG(name)`: the name is not
///   declared as anything that clashes (the check declares it as something else); an
///   absent macro is `#ifdef NAME` / `#error`.
pub const PRELUDE: &str = r#"#include "bpf_helpers.h"
#include "ebpf_nethooks.h"
#include "bpf_helper_defs.h"
#ifdef __cplusplus
#include <type_traits>
#define CHECK(e) static_assert(e, #e)
#define SAME_TYPE(a, b) (std::is_same<a, b>::value)
#define TYPE_OF(e) decltype(e)
#define ALIGN_OF(t) alignof(t)
#define UNSIGNED_ENUM(t) CHECK(SAME_TYPE(std::underlying_type<t>::type, unsigned int))
#define ENUMERATOR_OF(e, T) CHECK(SAME_TYPE(TYPE_OF(e), T))
#else
#define CHECK(e) _Static_assert(e, #e)
#define SAME_TYPE(a, b) __builtin_types_compatible_p(a, b)
#define TYPE_OF(e) __typeof__(e)
#define ALIGN_OF(t) _Alignof(t)
#define UNSIGNED_ENUM(t) CHECK((t)-1 > 0)
#define ENUMERATOR_OF(e, T) CHECK(SAME_TYPE(TYPE_OF(e), int))
#endif
#define LAYOUT(T, size, align) \
    CHECK(sizeof(T) == (size));  \
    CHECK(ALIGN_OF(T) == (align))
#define MEMBER(T, m, type, offset, size)     \
    CHECK(offsetof(T, m) == (offset));       \
    CHECK(sizeof(((T*)0)->m) == (size));     \
    CHECK(SAME_TYPE(TYPE_OF(((T*)0)->m), type))
#define ENUM_TYPE(T, size)      \
    CHECK(sizeof(T) == (size)); \
    UNSIGNED_ENUM(T)
#define TYPE_OF_IS(e, type) CHECK(SAME_TYPE(TYPE_OF(e), type))
#define SIGNATURE(helper, ret, params)           \
    extern ret(*const helper##_check) params;   \
    extern helper##_t helper##_check
#define HOOK(hook, ret, params)  \
    extern ret hook##_check params; \
    extern hook hook##_check
struct absent_type;
#define ABSENT_TYPE(name) typedef struct absent_type name
#define ABSENT_ENUMERATOR(name) enum { name = 0x7ead }
#define ABSENT_TAG(name) struct name { char absent_; }
"#;

/// A translation unit that includes the release's headers as a program does and
/// asserts the release's facts: the tables' facts in order, then the helpers' IDs.
pub fn facts_source(release: &str) -> String {
    let at = position(release);
    let mut text = String::from(PRELUDE);
    for (first, last, fact) in facts() {
        if (position(first)..=position(last)).contains(&at) {
            text.push_str(fact);
            text.push('\n');
        }
    }
    text.push_str(&helper_id_checks(release));
    text
}

/// A stand-in for upstream's own `ebpf_windows.h`, written from `docs/efw-releases.md` (1.4.0):
/// what the drop-in defines, plus a `GUID` type the drop-in does not have.
pub const UPSTREAM_EBPF_WINDOWS_H: &str = "#pragma once
#include <stddef.h>
#include <stdint.h>
typedef uint8_t GUID[16];
typedef struct _ebpf_extension_header
{
    uint16_t version;
    size_t size;
    size_t total_size;
} ebpf_extension_header_t;
#define EBPF_OFFSET_OF(s, m) (((size_t) & ((s*)0)->m))
#define EBPF_FIELD_SIZE(s, m) (sizeof(((s*)0)->m))
#define EBPF_SIZE_INCLUDING_FIELD(s, m) (EBPF_OFFSET_OF(s, m) + EBPF_FIELD_SIZE(s, m))
";
