//! The spec file as written, and how it is read.
//!
//! Nothing here is checked beyond TOML syntax and known keys; `resolve` turns a
//! [`RawSpec`] into the validated [`crate::model::Model`]. Names and type references
//! keep their source spans so that errors can point at them.
//!
//! `span.rs` holds the spanned string every other file uses; `verifier.rs` the
//! verifier tables, `raw.rs` the rest of the spec (whose [`RawSpec`] holds the
//! tables); `parse.rs` reads a file into a [`RawSpec`]. Imports run that way only.

mod parse;
mod raw;
mod span;
mod verifier;

pub use parse::{decode, parse};
pub use raw::{
    RawAttach, RawConstant, RawEarlier, RawEnum, RawEnumerator, RawHeader, RawHelper,
    RawHelperParam, RawHelperReturns, RawHook, RawHookParam, RawMacroBlock, RawMember,
    RawProjectInclude, RawRelease, RawRetval, RawSpec, RawStruct, RawTypedef,
};
pub use span::SpannedStr;
pub use verifier::{RawMapType, RawProgramType};
