//! Writing a context's members from text (`--ctx name=value,...`) and from files
//! (a TOML table or JSON object of member values), in the syntax of [`crate::values`].

use ebpf_nethooks_bindings::abi::{self, MemberLayout};

use super::values::{enumerators_of, parse_text};
use crate::context::{Context, MAX_DATA, bad_value, int_bytes};
use crate::error::{ContextError, RunError};

impl Context {
    /// Writes a value in the text syntax of [`crate::values`]. An enumerator
    /// name must be one of the member's own enum (`operation=BIND_OPERATION_UNBIND`,
    /// not `operation=BIND_DENY`); a member that is no enum takes none.
    pub fn set_text(&mut self, name: &str, text: &str) -> Result<(), RunError> {
        if self.member(name).is_err() && self.data_members(name).is_some() {
            let bytes = parse_text(text, MAX_DATA).map_err(|why| ContextError::BadValue {
                member: name.to_owned(),
                why,
            })?;
            self.data.retain(|(n, _)| n != name);
            self.data.push((name.to_owned(), bytes));
            return Ok(());
        }
        let m = self.member(name)?;
        self.check_enumerator(m, text)?;
        let bytes = parse_text(text, m.size).map_err(|why| bad_value(m, why))?;
        self.set_bytes(name, &bytes)
    }

    /// Refuses `text` when it names an enumerator that member `m` does not take.
    fn check_enumerator(&self, m: &MemberLayout, text: &str) -> Result<(), RunError> {
        if !abi::ENUMERATORS.iter().any(|v| v.name == text) {
            return Ok(());
        }
        let own = enumerators_of(self.layout.name, m.name);
        if own.contains(&text) {
            return Ok(());
        }
        Err(bad_value(
            m,
            if own.is_empty() {
                format!(
                    "`{text}` is an enumerator, and `{}` is not an enum member",
                    m.name
                )
            } else {
                format!(
                    "`{text}` is an enumerator of another enum; `{}` takes {}",
                    m.name,
                    own.iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        ))
    }

    /// Applies `name=value,name=value` assignments (`--ctx`).
    pub fn apply_assignments(&mut self, text: &str) -> Result<(), RunError> {
        self.apply_all_assignments(&[text])
    }

    /// Applies the assignments of every `--ctx`; a member may be given only once
    /// among them all.
    pub fn apply_all_assignments<S: AsRef<str>>(&mut self, texts: &[S]) -> Result<(), RunError> {
        let mut given: Vec<&str> = Vec::new();
        for text in texts {
            for item in text
                .as_ref()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                let (name, value) = item
                    .split_once('=')
                    .ok_or_else(|| ContextError::BadAssignment(item.to_owned()))?;
                let name = name.trim();
                if given.contains(&name) {
                    return Err(ContextError::BadValue {
                        member: name.to_owned(),
                        why: "the member is given more than once".to_owned(),
                    }
                    .into());
                }
                self.set_text(name, value.trim())?;
                given.push(name);
            }
        }
        Ok(())
    }

    /// Applies a context file: a TOML table or JSON object of member values.
    pub fn apply_file(&mut self, file_name: &str, text: &str) -> Result<(), RunError> {
        let bad = |why: String| -> RunError {
            ContextError::File {
                file: file_name.to_owned(),
                why,
            }
            .into()
        };
        let value: serde_json::Value = if file_name.ends_with(".json") {
            serde_json::from_str(text).map_err(|e| bad(e.to_string()))?
        } else {
            let table: toml::Table = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
            serde_json::to_value(table).map_err(|e| bad(e.to_string()))?
        };
        let serde_json::Value::Object(members) = value else {
            return Err(bad("expected a table of member = value".to_owned()));
        };
        self.apply_members(&members).map_err(|e| bad(e.to_string()))
    }

    /// Applies a table of member values (strings in the text syntax, integers,
    /// arrays of integers). Unknown members are reported all at once, as one
    /// [`ContextError::UnknownMember`], before anything is written.
    pub fn apply_members(
        &mut self,
        members: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<(), RunError> {
        let unknown: Vec<&str> = members
            .keys()
            .filter(|k| self.member(k).is_err() && self.data_members(k).is_none())
            .map(String::as_str)
            .collect();
        if let Some(first) = unknown.first() {
            let mut error = self.member(first).unwrap_err();
            if let RunError::Context(ContextError::UnknownMember { member, .. }) = &mut error {
                *member = unknown.join("`, `");
            }
            return Err(error);
        }
        for (name, value) in members {
            self.set_json(name, value)?;
        }
        Ok(())
    }

    fn set_json(&mut self, name: &str, value: &serde_json::Value) -> Result<(), RunError> {
        if let (Err(_), Some(_), serde_json::Value::String(text)) =
            (self.member(name), self.data_members(name), value)
        {
            return self.set_text(name, text);
        }
        let m = self.member(name)?;
        match value {
            serde_json::Value::String(text) => self.set_text(name, text),
            serde_json::Value::Number(n) => match n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
            {
                Some(v) => self.set_int(name, v),
                None => Err(bad_value(m, format!("{n} is not an integer"))),
            },
            serde_json::Value::Bool(b) => self.set_int(name, i128::from(*b)),
            serde_json::Value::Array(items) => {
                if items.is_empty() || !m.size.is_multiple_of(items.len()) {
                    return Err(bad_value(
                        m,
                        format!(
                            "{} elements do not split {} bytes evenly",
                            items.len(),
                            m.size
                        ),
                    ));
                }
                let element = m.size / items.len();
                let mut bytes = Vec::with_capacity(m.size);
                for item in items {
                    let v = item
                        .as_i64()
                        .map(i128::from)
                        .or_else(|| item.as_u64().map(i128::from))
                        .ok_or_else(|| bad_value(m, format!("element {item} is not an integer")))?;
                    bytes.extend(int_bytes(v, element).map_err(|why| bad_value(m, why))?);
                }
                self.set_bytes(name, &bytes)
            }
            other => Err(bad_value(m, format!("{other} is not a value"))),
        }
    }
}
