//! `[header]` settings beyond the file name: the SPDX line, the bindings module,
//! the C line width.

use crate::rust_naming;
use crate::spec::{RawHook, SpannedStr};

use super::Resolver;
use super::names::is_rust_keyword;

/// Modules the bindings crate's root already has, and the crates its paths start
/// from (`core::mem`): a spec's module cannot take one.
const RESERVED_MODULES: [&str; 7] = [
    rust_naming::ROOT_MODULES[0],
    rust_naming::SPEC_MODULES[0],
    rust_naming::SPEC_MODULES[1],
    rust_naming::ROOT_MODULES[1],
    rust_naming::CRATES[0],
    rust_naming::CRATES[1],
    rust_naming::CRATES[2],
];

/// Narrowest and widest C line width admitted.
const LINE_WIDTHS: std::ops::RangeInclusive<i64> = 40..=400;

impl Resolver {
    /// An SPDX license expression: letters, digits, `.`, `-`, `+`, spaces, parentheses.
    pub(super) fn spdx(&mut self, spdx: &SpannedStr) {
        let text = spdx.get_ref();
        let plain = !text.trim().is_empty()
            && text.len() <= 100
            && text.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | ' ' | '(' | ')')
            });
        if !plain {
            self.reports
                .error(
                    spdx.span(),
                    format!(
                        "`{}` is not an SPDX license expression",
                        text.escape_debug()
                    ),
                    "expected an identifier such as `MIT`",
                )
                .help("use ASCII letters, digits, `.`, `-`, `+`, spaces and parentheses only");
        }
    }

    /// A bindings module name: a lower-case identifier, no Rust keyword, not a
    /// module the crate root has already.
    pub(super) fn rust_module(&mut self, module: &SpannedStr) {
        let name = module.get_ref();
        let identifier = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        let problem = if !identifier {
            Some("is not a lower-case Rust identifier")
        } else if is_rust_keyword(name) {
            Some("is a Rust keyword")
        } else if RESERVED_MODULES.contains(&name.as_str()) {
            Some("is a module of the bindings crate already, or a crate its paths start from")
        } else {
            None
        };
        if let Some(problem) = problem {
            self.reports
                .error(
                    module.span(),
                    format!("`{}` {problem}", name.escape_debug()),
                    "expected the name of a new module of the bindings crate",
                )
                .help(format!(
                    "use lower-case letters, digits and `_`; not {}",
                    RESERVED_MODULES.map(|m| format!("`{m}`")).join(", ")
                ));
        }
    }

    /// Hooks are the bindings crate root's (their attributes and `hooks` module
    /// live there): a spec whose items go into a module has none.
    pub(super) fn module_without_hooks(&mut self, module: &SpannedStr, hooks: &[RawHook]) {
        for hook in hooks {
            self.reports
                .error(
                    hook.name.span(),
                    format!(
                        "hook `{}` is in a spec whose bindings are module `{}`",
                        hook.name.get_ref(),
                        module.get_ref()
                    ),
                    "hooks belong to the spec whose bindings are the crate root",
                )
                .note(module.span(), "the module is set here")
                .help("move the hook to the spec without `rust_module`, or remove `rust_module`");
        }
    }

    /// `c_line_width`, within [`LINE_WIDTHS`].
    pub(super) fn line_width(&mut self, width: Option<&toml::Spanned<i64>>) -> Option<usize> {
        let width = width?;
        let value = *width.get_ref();
        if !LINE_WIDTHS.contains(&value) {
            self.reports.error(
                width.span(),
                format!("a line width of {value} columns is out of range"),
                format!(
                    "expected {} to {} columns",
                    LINE_WIDTHS.start(),
                    LINE_WIDTHS.end()
                ),
            );
            return None;
        }
        usize::try_from(value).ok()
    }
}

impl Resolver {
    /// A drop-in is written beside the header: its name must be a plain file name,
    /// not the header's own.
    pub(super) fn drop_in_file(
        &mut self,
        include: &crate::spec::RawProjectInclude,
        header: &SpannedStr,
    ) {
        if !include.drop_in {
            return;
        }
        self.header_file(&include.file);
        if include.file.get_ref() == header.get_ref() {
            self.reports
                .error(
                    include.file.span(),
                    format!("the header includes itself: `{}`", header.get_ref()),
                    "a drop-in is another header than this one",
                )
                .note(header.span(), "this spec's header");
        }
    }
}
