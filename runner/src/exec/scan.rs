//! The bytecode scan before a run: which helpers a program calls, and whether it may
//! call them on the context it is given, so that no engine meets an unknown helper.

use ebpf_nethooks_bindings::abi::HookInfo;

use crate::context::Context;
use crate::error::{ContextError, ExecError, RunError};
use crate::helper::Helper;
pub use nethooks_obj::isa::helper_calls;

/// Checks that `context` is `hook`'s context and that every helper call in `code`
/// names a general helper or a helper of the spec that `hook`'s programs may call;
/// returns the helpers called, each once, in order of first call.
pub fn check_calls(
    code: &[u8],
    hook: &'static HookInfo,
    context: &Context,
) -> Result<Vec<Helper>, RunError> {
    if context.layout().name != hook.context {
        return Err(ContextError::BadValue {
            member: "(context)".to_owned(),
            why: format!(
                "a `{}` context for a program of `{}`, which takes `{}`",
                context.layout().name,
                hook.name,
                hook.context
            ),
        }
        .into());
    }
    let mut called = Vec::new();
    for (insn, id) in helper_calls(code) {
        let helper = Helper::by_id(id).ok_or_else(|| ExecError::UnknownHelper {
            id,
            insn,
            known: Helper::all()
                .map(|h| format!("{} = {:#x}", h.name, h.id))
                .collect(),
        })?;
        if helper.hook_name().is_some_and(|name| name != hook.name) {
            return Err(ExecError::HelperNotForHook {
                helper: helper.name,
                hook: hook.name,
                insn,
            }
            .into());
        }
        if !called.contains(&helper) {
            called.push(helper);
        }
    }
    Ok(called)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nethooks_obj::isa::{CALL, EXIT, LD_DW_IMM};

    fn insn(op: u8, src: u8, imm: i32) -> [u8; 8] {
        nethooks_obj::isa::encode(op, 0, src, 0, imm)
    }

    #[test]
    fn helper_calls_are_found_and_local_calls_and_lddw_halves_are_not() {
        let code: Vec<u8> = [
            insn(CALL, 0, 0x10001),
            // lddw whose second half looks like a helper call.
            insn(LD_DW_IMM, 0, 0),
            insn(CALL, 0, 0x99),
            insn(CALL, 1, 2),
            insn(CALL, 0, 0x10002),
            insn(EXIT, 0, 0),
        ]
        .concat();
        assert_eq!(
            helper_calls(&code).collect::<Vec<_>>(),
            [(0, 0x10001), (4, 0x10002)]
        );
    }

    #[test]
    fn calls_are_checked_against_the_hook() {
        let flow_id = Helper::by_name("bpf_sock_ops_get_flow_id").unwrap();
        let lookup = Helper::by_name("bpf_map_lookup_elem").unwrap();
        let sockops = nethooks_obj::hook_for_section("sockops").unwrap().0;
        let bind = nethooks_obj::hook_for_section("bind").unwrap().0;
        let code: Vec<u8> = [
            insn(CALL, 0, flow_id.id as i32),
            insn(CALL, 0, flow_id.id as i32),
            insn(EXIT, 0, 0),
        ]
        .concat();
        let context = Context::zeroed(sockops.context).unwrap();
        assert_eq!(check_calls(&code, sockops, &context), Ok(vec![flow_id]));
        // General helpers are for every hook.
        let general = [insn(CALL, 0, lookup.id as i32), insn(EXIT, 0, 0)].concat();
        let bind_context = Context::zeroed(bind.context).unwrap();
        assert_eq!(check_calls(&general, bind, &bind_context), Ok(vec![lookup]));
        assert!(matches!(
            check_calls(&code, bind, &bind_context),
            Err(RunError::Exec(ExecError::HelperNotForHook { insn: 0, .. }))
        ));
        assert!(matches!(
            check_calls(&code, sockops, &bind_context),
            Err(RunError::Context(ContextError::BadValue { .. }))
        ));
        let unknown = [insn(CALL, 0, 0x12345), insn(EXIT, 0, 0)].concat();
        assert!(matches!(
            check_calls(&unknown, sockops, &context),
            Err(RunError::Exec(ExecError::UnknownHelper {
                id: 0x12345,
                insn: 0,
                ..
            }))
        ));
    }
}
