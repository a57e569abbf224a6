//! The one type every part of the spec as written shares: a string with its place
//! in the spec file, so that errors can point at it.

use toml::Spanned;

/// A string with the byte range it came from in the spec file.
pub type SpannedStr = Spanned<String>;
