//! The verifier's platform tables (`verifier/<header stem>.txt`): what
//! `nethooks-verifier` tells PREVAIL of program types, helpers and map types. A
//! plain text file, one row a line, so the installed driver reads the tables of
//! the checkout it runs for and a spec change needs no rebuild of it.
//!
//! Kinds are spelled as PREVAIL's `ebpf_base.h` names them, which eBPF for
//! Windows' own tables use too.

use std::fmt::Write as _;

use super::artifact::{EmitError, Kind, banner};
use crate::model::Model;
use crate::model::verifier::{ArgKind, MapValueType, ReturnKind};

/// Whether the spec states anything for the verifier (else it has no tables).
pub fn has_tables(model: &Model) -> bool {
    let facts = &model.verifier;
    !(facts.prototypes.is_empty() && facts.program_types.is_empty() && facts.map_types.is_empty())
}

pub fn path(model: &Model) -> std::path::PathBuf {
    std::path::PathBuf::from(format!("verifier/{}.txt", model.header.stem))
}

pub fn arg_name(kind: ArgKind) -> &'static str {
    match kind {
        ArgKind::Anything => "EBPF_ARGUMENT_TYPE_ANYTHING",
        ArgKind::ConstSize => "EBPF_ARGUMENT_TYPE_CONST_SIZE",
        ArgKind::ConstSizeOrZero => "EBPF_ARGUMENT_TYPE_CONST_SIZE_OR_ZERO",
        ArgKind::Ctx => "EBPF_ARGUMENT_TYPE_PTR_TO_CTX",
        ArgKind::Map => "EBPF_ARGUMENT_TYPE_PTR_TO_MAP",
        ArgKind::MapOfPrograms => "EBPF_ARGUMENT_TYPE_PTR_TO_MAP_OF_PROGRAMS",
        ArgKind::MapKey => "EBPF_ARGUMENT_TYPE_PTR_TO_MAP_KEY",
        ArgKind::MapValue => "EBPF_ARGUMENT_TYPE_PTR_TO_MAP_VALUE",
        ArgKind::ReadableMem => "EBPF_ARGUMENT_TYPE_PTR_TO_READABLE_MEM",
        ArgKind::ReadableMemOrNull => "EBPF_ARGUMENT_TYPE_PTR_TO_READABLE_MEM_OR_NULL",
        ArgKind::WritableMem => "EBPF_ARGUMENT_TYPE_PTR_TO_WRITABLE_MEM",
    }
}

pub fn return_name(kind: ReturnKind) -> &'static str {
    match kind {
        ReturnKind::Integer => "EBPF_RETURN_TYPE_INTEGER",
        ReturnKind::MapValueOrNull => "EBPF_RETURN_TYPE_PTR_TO_MAP_VALUE_OR_NULL",
        ReturnKind::IntegerOrNoReturnIfSucceed => {
            "EBPF_RETURN_TYPE_INTEGER_OR_NO_RETURN_IF_SUCCEED"
        }
    }
}

fn value_type_name(value: MapValueType) -> &'static str {
    match value {
        MapValueType::Any => "ANY",
        MapValueType::Map => "MAP",
        MapValueType::Program => "PROGRAM",
    }
}

const ROWS: &str = "\
# Rows (words separated by spaces; offsets are -1 when the context has no such pointer):
#   program_type NAME BPF_PROG_TYPE CONTEXT_SIZE DATA END META PRIVILEGED SECTION_PREFIX...
#   helper PROGRAM_TYPE|* ID NAME RETURN_KIND ARGUMENT_KIND...   (* = every program type)
#   map_type ID NAME IS_ARRAY ANY|MAP|PROGRAM
";

pub fn emit(model: &Model) -> Result<String, EmitError> {
    let mut out = format!(
        "# {}\n#\n# {}\n",
        banner(model),
        "Platform tables for nethooks-verifier (PREVAIL), as eBPF for Windows fills them."
    );
    out.push_str(ROWS);
    let facts = &model.verifier;
    let offset = |p: &Option<crate::model::verifier::ContextPointer>| {
        p.as_ref().map_or("-1".to_owned(), |p| p.offset.to_string())
    };
    for p in &facts.program_types {
        let hook = model.hook(p.hook);
        let context = &model.structure(hook.context).name;
        let _ = write!(
            out,
            "\n# {}: programs of `{}`, context `{}`",
            p.name, hook.name, context
        );
        for (what, pointer) in [("data", &p.data), ("end", &p.end), ("meta", &p.meta)] {
            if let Some(pointer) = pointer {
                let _ = write!(out, ", {what} = `{}`", pointer.member);
            }
        }
        let _ = writeln!(
            out,
            ".\nprogram_type {} {} {} {} {} {} {} {}",
            p.name,
            p.number,
            p.context_size,
            offset(&p.data),
            offset(&p.end),
            offset(&p.meta),
            u8::from(p.privileged),
            p.section_prefixes.join(" ")
        );
    }
    if !facts.prototypes.is_empty() {
        out.push_str("\n# Helpers: id, name, return kind, argument kinds.\n");
    }
    for prototype in &facts.prototypes {
        let helper = &model.helpers[prototype.helper.index()];
        let program_type = match helper.hook {
            None => "*".to_owned(),
            Some(hook) => match facts.program_types.iter().find(|p| p.hook == hook) {
                Some(p) => p.name.clone(),
                None => {
                    return Err(EmitError {
                        artifact: Kind::VerifierTables,
                        item: format!("helper.{}", helper.name),
                        problem: "its hook has no [[program_type]]".to_owned(),
                    });
                }
            },
        };
        let _ = write!(
            out,
            "helper {program_type} {} {} {}",
            helper.id_value,
            helper.name,
            return_name(prototype.returns)
        );
        for arg in &prototype.args {
            let _ = write!(out, " {}", arg_name(*arg));
        }
        out.push('\n');
    }
    if !facts.map_types.is_empty() {
        out.push_str("\n# Map types; any other id is treated as the one with id 0.\n");
    }
    for m in &facts.map_types {
        let _ = writeln!(
            out,
            "map_type {} {} {} {}",
            m.id,
            m.name,
            u8::from(m.is_array),
            value_type_name(m.value_type)
        );
    }
    Ok(out)
}
