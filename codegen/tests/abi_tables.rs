//! The bindings' `abi::HOOKS` and `abi::HELPERS` tables, which the program runner
//! reads instead of the spec, say what the spec says.

mod support;

use codegen::model::Type;
use ebpf_nethooks_bindings::abi;

#[test]
fn the_hook_table_lists_every_hook_with_its_sections_and_verdicts() {
    let model = support::model();
    let names: Vec<&str> = abi::HOOKS.iter().map(|h| h.name).collect();
    let expected: Vec<&str> = model.hooks.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, expected);
    for (hook, info) in model.hooks.iter().zip(abi::HOOKS) {
        assert_eq!(info.program_type, hook.program_type, "{}", hook.name);
        let context = &model.structure(hook.context).name;
        assert_eq!(info.context, context, "{}", hook.name);
        assert_eq!(
            info.returns,
            hook.returns.c_spelling(&model),
            "{}",
            hook.name
        );
        let attach: Vec<(&str, &str, &str)> = hook
            .attach_types
            .iter()
            .map(|a| (a.name.as_str(), a.attach_type.as_str(), a.section.as_str()))
            .collect();
        let listed: Vec<(&str, &str, &str)> = info
            .attach_types
            .iter()
            .map(|a| (a.name, a.attach_type, a.section))
            .collect();
        assert_eq!(listed, attach, "{}", hook.name);
        let verdicts: Vec<(String, i64)> = match hook.returns {
            Type::Enum(id) => model
                .enum_(id)
                .primary_enumerators()
                .map(|v| (v.name.clone(), v.value))
                .collect(),
            _ => Vec::new(),
        };
        let listed: Vec<(String, i64)> = info
            .verdicts
            .iter()
            .map(|v| (v.name.to_owned(), v.value))
            .collect();
        assert_eq!(listed, verdicts, "{}", hook.name);
        // The context struct is one the runner can fill by member name.
        assert!(
            abi::STRUCTS.iter().any(|s| s.name == info.context),
            "{}",
            info.context
        );
    }
}

#[test]
fn the_helper_table_lists_every_helper_with_its_id_and_parameters() {
    let model = support::model();
    assert_eq!(abi::HELPERS.len(), model.helpers.len());
    for (helper, info) in model.helpers.iter().zip(abi::HELPERS) {
        assert_eq!(info.name, helper.name);
        assert_eq!(info.id_name, model.enumerator(helper.id).name);
        assert_eq!(info.id, helper.id_value, "{}", helper.name);
        let hook = model.helper_hook(helper).map_or("", |h| h.name.as_str());
        assert_eq!(info.hook, hook, "{}", helper.name);
        let available: Vec<&str> = model
            .available_at(helper)
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(info.available_at, available, "{}", helper.name);
        assert_eq!(
            info.returns,
            helper.returns.ty.c_spelling(&model),
            "{}",
            helper.name
        );
        let params: Vec<(String, String)> = helper
            .params
            .iter()
            .map(|p| (p.name.clone(), p.ty.c_spelling(&model)))
            .collect();
        let listed: Vec<(String, String)> = info
            .params
            .iter()
            .map(|p| (p.name.to_owned(), p.c_type.to_owned()))
            .collect();
        assert_eq!(listed, params, "{}", helper.name);
    }
}

/// Extra parameters of every kind on the spec's last helper: a value enum, a verdict
/// enum, a helper-ID enum, signed and unsigned integers and a pointer (the verifier
/// kind `anything`, as every helper of the spec states kinds).
const EXTRA_PARAMS: &str = r#"
[[helper.param]]
name = "operation"
type = "bind_operation_t"
direction = "in"
kind = "anything"
doc = "A value enum."

[[helper.param]]
name = "verdict"
type = "bind_action_t"
direction = "in"
kind = "anything"
doc = "A verdict enum."

[[helper.param]]
name = "count"
type = "int"
direction = "in"
kind = "anything"
doc = "A signed integer."

[[helper.param]]
name = "buffer"
type = "uint8_t*"
direction = "out"
kind = "anything"
doc = "A pointer."
"#;

#[test]
fn helper_call_entries_compile_for_every_parameter_kind() {
    let spec = std::fs::read_to_string(support::spec_path()).unwrap();
    let text = format!("{}\n{EXTRA_PARAMS}", spec.trim_end());
    let model = codegen::load_str(&text, "extra_params.toml").unwrap_or_else(|e| panic!("{e}"));
    let last = model.helpers.last().unwrap();
    assert_eq!(
        last.params.len(),
        5,
        "the extra parameters went to {}",
        last.name
    );
    let artifacts = codegen::emit::all(&model).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    codegen::output::write_all(dir.path(), &artifacts).unwrap();
    // Only the bindings' own items are under test here: the typed-context module
    // (`hooks.rs`, a separate emitter) is left out.
    let lib = dir.path().join("rust/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    assert!(
        text.contains("\npub mod hooks;\n"),
        "the bindings no longer declare `hooks`"
    );
    std::fs::write(&lib, text.replace("\npub mod hooks;\n", "\n")).unwrap();
    let abi = support::abi_crate(std::path::Path::new("rustc"), dir.path(), &[], "abi")
        .unwrap_or_else(|e| panic!("{e}"));
    support::run(
        std::process::Command::new("rustc")
            .args([
                "--edition",
                "2024",
                "--crate-type",
                "lib",
                "-D",
                "warnings",
                "-o",
            ])
            .arg(dir.path().join("libbindings.rlib"))
            .args(abi)
            .arg(dir.path().join("rust/src/lib.rs")),
    );
}
