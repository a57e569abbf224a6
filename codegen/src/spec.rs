//! The spec file as written: serde structs that mirror the TOML one to one.
//!
//! Nothing here is checked beyond TOML syntax and known keys; `resolve` turns a
//! [`RawSpec`] into the validated [`crate::model::Model`]. Names and type references
//! keep their source spans so that errors can point at them.

use serde::Deserialize;
use toml::Spanned;

/// A string with the byte range it came from in the spec file.
pub type SpannedStr = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpec {
    pub header: RawHeader,
    #[serde(default, rename = "constant")]
    pub constants: Vec<RawConstant>,
    #[serde(default, rename = "enum")]
    pub enums: Vec<RawEnum>,
    #[serde(default, rename = "struct")]
    pub structs: Vec<RawStruct>,
    #[serde(default, rename = "hook")]
    pub hooks: Vec<RawHook>,
    #[serde(default, rename = "helper")]
    pub helpers: Vec<RawHelper>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeader {
    pub file: SpannedStr,
    #[serde(default)]
    pub includes: Vec<SpannedStr>,
    pub doc: SpannedStr,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConstant {
    pub name: SpannedStr,
    pub value: SpannedStr,
    pub doc: SpannedStr,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnum {
    pub name: SpannedStr,
    pub tag: Option<SpannedStr>,
    pub doc: SpannedStr,
    #[serde(default, rename = "enumerator")]
    pub enumerators: Vec<RawEnumerator>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnumerator {
    pub name: SpannedStr,
    pub value: Option<SpannedStr>,
    pub alias_of: Option<SpannedStr>,
    pub deprecated: Option<SpannedStr>,
    pub doc: SpannedStr,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStruct {
    pub name: SpannedStr,
    pub tag: Option<SpannedStr>,
    pub doc: SpannedStr,
    #[serde(default, rename = "member")]
    pub members: Vec<RawMember>,
}

/// Either a named field (`name` + `type`) or an anonymous struct/union (`anonymous`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMember {
    pub name: Option<SpannedStr>,
    #[serde(rename = "type")]
    pub ty: Option<SpannedStr>,
    pub array: Option<Spanned<i64>>,
    pub anonymous: Option<SpannedStr>,
    pub rust_name: Option<SpannedStr>,
    pub doc: SpannedStr,
    #[serde(default, rename = "member")]
    pub members: Vec<RawMember>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHook {
    pub name: SpannedStr,
    pub program_type: SpannedStr,
    pub context: SpannedStr,
    pub returns: SpannedStr,
    pub doc: SpannedStr,
    pub param: RawHookParam,
    #[serde(default, rename = "retval")]
    pub retvals: Vec<RawRetval>,
    #[serde(default, rename = "attach")]
    pub attach_types: Vec<RawAttach>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHookParam {
    pub name: SpannedStr,
    pub doc: SpannedStr,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetval {
    pub value: SpannedStr,
    pub doc: SpannedStr,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttach {
    pub name: SpannedStr,
    pub attach_type: SpannedStr,
    pub section: SpannedStr,
    pub doc: SpannedStr,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHelper {
    pub name: SpannedStr,
    pub id: SpannedStr,
    pub hook: SpannedStr,
    pub only_at: Option<Spanned<Vec<SpannedStr>>>,
    pub not_at: Option<Spanned<Vec<SpannedStr>>>,
    pub doc: SpannedStr,
    pub returns: RawHelperReturns,
    #[serde(default, rename = "param")]
    pub params: Vec<RawHelperParam>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHelperReturns {
    #[serde(rename = "type")]
    pub ty: SpannedStr,
    pub doc: Option<SpannedStr>,
    #[serde(default, rename = "value")]
    pub values: Vec<RawRetval>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHelperParam {
    pub name: SpannedStr,
    #[serde(rename = "type")]
    pub ty: SpannedStr,
    pub direction: SpannedStr,
    pub doc: SpannedStr,
}
