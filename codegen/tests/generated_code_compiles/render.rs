//! A plan rendered as spec TOML: what the loader reads, and what a failing case
//! prints (the plans' `Debug`).

use std::collections::HashSet;
use std::fmt;

use super::names::RUST_KEYWORDS;
use super::plan::{Field, FieldType, Member, ParamType, Plan, SiblingPlan, StructPlan};

impl fmt::Debug for SiblingPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{}", self.toml())
    }
}

impl fmt::Debug for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n# random.toml\n{}", self.toml())?;
        if let Some(sibling) = &self.sibling {
            write!(f, "\n# random_more.toml\n{}", sibling.toml())?;
        }
        Ok(())
    }
}

impl SiblingPlan {
    /// The sibling spec as TOML, with C's rules kept within it (across the two
    /// specs, a name declared twice is for the loader to refuse).
    pub fn toml(&self) -> String {
        let mut c_names: HashSet<String> = HashSet::new();
        let doc = "doc = \"A thing.\"\n";
        let mut out = format!(
            "[header]\nfile = \"random_more.h\"\nincludes = [\"stdint.h\"]\n\
             rust_module = \"{}\"\ndoc = \"A second random spec.\"\n",
            self.module
        );
        for (i, c) in self.constants.iter().enumerate() {
            let name = unique(&mut c_names, c);
            out.push_str(&format!(
                "\n[[constant]]\nname = \"{name}\"\nvalue = \"{i}\"\n{doc}"
            ));
        }
        let helpers: Vec<String> = (self.helpers.iter())
            .map(|(h, _)| {
                let name = unique(&mut c_names, h);
                c_names.insert(format!("{name}_t"));
                name
            })
            .collect();
        if !helpers.is_empty() {
            let ids = unique(&mut c_names, "more_ids_t");
            out.push_str(&format!("\n[[enum]]\nname = \"{ids}\"\n{doc}"));
        }
        let ids: Vec<String> = (helpers.iter())
            .map(|h| unique(&mut c_names, &format!("{}_ID", h.to_uppercase())))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            out.push_str(&format!(
                "\n[[enum.enumerator]]\nname = \"{id}\"\nvalue = \"{}\"\n{doc}",
                i + 100
            ));
        }
        let mut structs: Vec<String> = Vec::new();
        for s in &self.structs {
            let name = unique(&mut c_names, s.name);
            out.push_str(&struct_toml(&name, s, &structs, "uint32_t"));
            structs.push(name);
        }
        for (((_, params), name), id) in self.helpers.iter().zip(&helpers).zip(&ids) {
            out.push_str(&format!(
                "\n[[helper]]\nname = \"{name}\"\nid = \"{id}\"\n{doc}\n\
                 [helper.returns]\ntype = \"int64_t\"\n{doc}"
            ));
            let mut seen = HashSet::new();
            for (p, ty) in params {
                let p = unique(&mut seen, p);
                out.push_str(&format!(
                    "\n[[helper.param]]\nname = \"{p}\"\ntype = \"{ty}\"\ndirection = \"in\"\n{doc}"
                ));
            }
        }
        out
    }
}

/// Gives each name once: a name already used in `seen` gets the first free
/// `_N` suffix, so the plan's adversarial names stay exact where they can.
fn unique(seen: &mut HashSet<String>, name: &str) -> String {
    let mut candidate = name.to_owned();
    let mut n = 2;
    while !seen.insert(candidate.clone()) {
        candidate = format!("{name}_{n}");
        n += 1;
    }
    candidate
}

impl Plan {
    /// The spec as TOML. C's rules are kept here (one ordinary namespace, member
    /// names unique per struct) so that the loader's verdict is about Rust names.
    pub fn toml(&self) -> String {
        let mut c_names: HashSet<String> = HashSet::new();
        let mut out = String::new();
        let doc = "doc = \"A thing.\"\n";
        out.push_str(
            "[header]\nfile = \"random.h\"\nincludes = [\"stdint.h\"]\ndoc = \"A random spec.\"\n",
        );
        for (i, c) in self.constants.iter().enumerate() {
            let name = unique(&mut c_names, c);
            out.push_str(&format!(
                "\n[[constant]]\nname = \"{name}\"\nvalue = \"{i}\"\n{doc}"
            ));
        }
        let value_enum = unique(&mut c_names, self.value_enum.0);
        let verdict_enum = unique(&mut c_names, self.verdict_enum.0);
        let mut verdicts = Vec::new();
        for (name, enumerators, out_names) in [
            (&value_enum, &self.value_enum.1, None),
            (&verdict_enum, &self.verdict_enum.1, Some(&mut verdicts)),
        ] {
            out.push_str(&format!("\n[[enum]]\nname = \"{name}\"\n{doc}"));
            let mut names = Vec::new();
            for (v, alias) in enumerators {
                let v = unique(&mut c_names, v);
                out.push_str(&format!("\n[[enum.enumerator]]\nname = \"{v}\"\n"));
                match names.first() {
                    Some(first) if *alias => out.push_str(&format!(
                        "alias_of = \"{first}\"\ndeprecated = \"Use {first}.\"\n{doc}"
                    )),
                    _ => {
                        out.push_str(doc);
                        names.push(v);
                    }
                }
            }
            if let Some(out_names) = out_names {
                *out_names = names;
            }
        }
        let helper_names: Vec<String> = self
            .helpers
            .iter()
            .map(|h| {
                let name = unique(&mut c_names, h.name);
                // The prototype typedef is a C name too.
                c_names.insert(format!("{name}_t"));
                name
            })
            .collect();
        if !helper_names.is_empty() {
            let ids = unique(&mut c_names, "helper_ids_t");
            out.push_str(&format!("\n[[enum]]\nname = \"{ids}\"\n{doc}"));
        }
        let ids: Vec<String> = helper_names
            .iter()
            .map(|h| unique(&mut c_names, &format!("{}_ID", h.to_uppercase())))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            out.push_str(&format!(
                "\n[[enum.enumerator]]\nname = \"{id}\"\nvalue = \"{}\"\n{doc}",
                i + 1
            ));
        }
        let mut structs: Vec<String> = Vec::new();
        for s in &self.structs {
            let name = unique(&mut c_names, s.name);
            out.push_str(&struct_toml(&name, s, &structs, &value_enum));
            structs.push(name);
        }
        let context = &structs[0];
        let hook = unique(&mut c_names, self.hook);
        out.push_str(&format!(
            "\n[[hook]]\nname = \"{hook}\"\nprogram_type = \"EBPF_PROGRAM_TYPE_RANDOM\"\n\
             context = \"{context}\"\nreturns = \"{verdict_enum}\"\n{doc}\n\
             [hook.param]\nname = \"context\"\n{doc}"
        ));
        out.push_str(&format!(
            "\n[[hook.retval]]\nvalue = \"{}\"\n{doc}",
            verdicts[0]
        ));
        let mut attach_seen = HashSet::new();
        let mut attach_names = Vec::new();
        for (i, a) in self.attach.iter().enumerate() {
            let name = unique(&mut attach_seen, a);
            out.push_str(&format!(
                "\n[[hook.attach]]\nname = \"{name}\"\nattach_type = \"EBPF_ATTACH_TYPE_RANDOM_{i}\"\n\
                 section = \"random/{i}\"\n{doc}"
            ));
            attach_names.push(name);
        }
        for ((h, name), id) in self.helpers.iter().zip(&helper_names).zip(&ids) {
            out.push_str(&format!("\n[[helper]]\nname = \"{name}\"\nid = \"{id}\"\n"));
            if h.of_hook {
                out.push_str(&format!("hook = \"{hook}\"\n"));
                if h.only_first_attach {
                    out.push_str(&format!("only_at = [\"{}\"]\n", attach_names[0]));
                }
            }
            out.push_str(doc);
            out.push_str(&format!("\n[helper.returns]\ntype = \"{}\"\n", h.returns));
            if h.returns != "void" {
                out.push_str(doc);
            }
            let mut params = HashSet::new();
            let mut param = |name: &str, ty: &str| {
                let name = unique(&mut params, name);
                format!(
                    "\n[[helper.param]]\nname = \"{name}\"\ntype = \"{ty}\"\ndirection = \"in\"\n{doc}"
                )
            };
            if h.of_hook {
                out.push_str(&param("ctx", &format!("{context}*")));
            }
            for (p, ty) in &h.params {
                match ty {
                    ParamType::Int(ty) => out.push_str(&param(p, ty)),
                    ParamType::Enum => out.push_str(&param(p, &value_enum)),
                    ParamType::Buffer => {
                        out.push_str(&param(p, "void*"));
                        out.push_str(&param("size", "uint32_t"));
                    }
                    ParamType::ConstPointer => {
                        out.push_str(&param(p, &format!("const {}*", structs[structs.len() - 1])))
                    }
                }
            }
        }
        out
    }
}

/// The keys of an anonymous member at `table` (`struct.member`): a keyword as its
/// `rust_name` gets a `_`.
fn anonymous_toml(table: &str, union: bool, rust_name: &str) -> String {
    let kind = if union { "union" } else { "struct" };
    let rust = if RUST_KEYWORDS.contains(&rust_name) {
        format!("{rust_name}_")
    } else {
        rust_name.to_owned()
    };
    format!("\n[[{table}]]\nanonymous = \"{kind}\"\nrust_name = \"{rust}\"\ndoc = \"A thing.\"\n")
}

/// One struct as TOML; `earlier` are the structs before it, `value_enum` the type of
/// its enum members.
fn struct_toml(name: &str, s: &StructPlan, earlier: &[String], value_enum: &str) -> String {
    let doc = "doc = \"A thing.\"\n";
    let mut out = format!("\n[[struct]]\nname = \"{name}\"\n{doc}");
    let mut members = HashSet::new();
    for m in &s.members {
        match m {
            Member::Field(f) => {
                out.push_str("\n[[struct.member]]\n");
                out.push_str(&field_toml(f, &mut members, earlier, value_enum));
            }
            Member::Anonymous {
                union,
                rust_name,
                fields,
                nested,
            } => {
                out.push_str(&anonymous_toml("struct.member", *union, rust_name));
                for f in fields {
                    out.push_str("\n[[struct.member.member]]\n");
                    out.push_str(&field_toml(f, &mut members, earlier, value_enum));
                }
                if let Some((union, rust_name, fields)) = nested {
                    out.push_str(&anonymous_toml("struct.member.member", *union, rust_name));
                    for f in fields {
                        out.push_str("\n[[struct.member.member.member]]\n");
                        out.push_str(&field_toml(f, &mut members, earlier, value_enum));
                    }
                }
            }
        }
    }
    out
}

/// One named member's keys; `members` holds the struct's member names so far.
fn field_toml(
    f: &Field,
    members: &mut HashSet<String>,
    earlier: &[String],
    value_enum: &str,
) -> String {
    let name = unique(members, f.name);
    let mut keys = format!("name = \"{name}\"\n");
    if RUST_KEYWORDS.contains(&f.name) && name == f.name {
        keys.push_str(&format!("rust_name = \"{name}_\"\n"));
    }
    let ty = match &f.ty {
        FieldType::Int(ty) => (*ty).to_owned(),
        FieldType::Enum => value_enum.to_owned(),
        FieldType::VoidPointer => "void*".to_owned(),
        FieldType::StructPointer => match earlier.last() {
            Some(s) => format!("{s}*"),
            None => "void*".to_owned(),
        },
        FieldType::Embedded => match earlier.last() {
            Some(s) => s.clone(),
            None => "uint32_t".to_owned(),
        },
    };
    keys.push_str(&format!("type = \"{ty}\"\n"));
    if let Some(n) = f.array {
        keys.push_str(&format!("array = {n}\n"));
    }
    keys.push_str("doc = \"A member.\"\n");
    keys
}
