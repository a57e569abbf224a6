//! Cross-references between items, worked out once per spec after every item is
//! resolved: emitters read them from the model instead of searching it per item.

use crate::model::{EnumUse, EnumUser, HelperId, HookId, MemberKind, Model, StructId, Type};

/// Fills in what follows from the items together: the helpers of each hook and
/// attach type, the hooks each struct is the context of, and where each enum is
/// used and so how languages may represent it.
pub(super) fn link(mut model: Model) -> Model {
    for (i, helper) in model.helpers.iter().enumerate() {
        let id = HelperId::new(i);
        // A general helper belongs to no hook's list: every hook has it.
        let Some(hook) = helper.hook else { continue };
        let hook = &mut model.hooks[hook.index()];
        hook.helpers.push(id);
        for attach in &helper.available_at {
            hook.attach_types[attach.index].helpers.push(id);
        }
    }
    for (i, hook) in model.hooks.iter().enumerate() {
        model.structs[hook.context.index()]
            .context_of
            .push(HookId::new(i));
    }
    let users = enum_users(&model);
    let as_value = enums_used_as_values(&model);
    for ((e, users), as_value) in model.enums.iter_mut().zip(users).zip(as_value) {
        let verdict = users.iter().any(|u| matches!(u, EnumUser::Verdict(_)));
        e.usage = if as_value {
            EnumUse::Value
        } else if verdict {
            EnumUse::Verdict
        } else {
            EnumUse::Constants
        };
        e.used_by = users;
    }
    model
}

/// Every use of each enum, by enum: helper IDs, then verdicts, struct members and
/// helper parameters whose type is the enum itself, each in spec order.
fn enum_users(model: &Model) -> Vec<Vec<EnumUser>> {
    let mut users: Vec<Vec<EnumUser>> = vec![Vec::new(); model.enums.len()];
    for (i, helper) in model.helpers.iter().enumerate() {
        users[helper.id.enumeration.index()].push(EnumUser::HelperId(HelperId::new(i)));
    }
    for (i, hook) in model.hooks.iter().enumerate() {
        if let Type::Enum(e) = hook.returns {
            users[e.index()].push(EnumUser::Verdict(HookId::new(i)));
        }
    }
    for (i, s) in model.structs.iter().enumerate() {
        for (_, member) in s.leaf_fields() {
            if let MemberKind::Field {
                name,
                ty: Type::Enum(e),
                ..
            } = &member.kind
            {
                users[e.index()].push(EnumUser::Member {
                    structure: StructId::new(i),
                    member: name.clone(),
                });
            }
        }
    }
    for (i, helper) in model.helpers.iter().enumerate() {
        for (param, p) in helper.params.iter().enumerate() {
            if let Type::Enum(e) = p.ty {
                users[e.index()].push(EnumUser::Param {
                    helper: HelperId::new(i),
                    param,
                });
            }
        }
    }
    users
}

/// Whether each enum is the type of a struct member, helper parameter or helper
/// return value, directly or through pointers: then the host may pass any number.
fn enums_used_as_values(model: &Model) -> Vec<bool> {
    let mut used = vec![false; model.enums.len()];
    let mut mark = |ty: &Type| {
        if let Type::Enum(e) = ty.base() {
            used[e.index()] = true;
        }
    };
    for s in &model.structs {
        for (_, member) in s.leaf_fields() {
            if let MemberKind::Field { ty, .. } = &member.kind {
                mark(ty);
            }
        }
    }
    for helper in &model.helpers {
        mark(&helper.returns.ty);
        for p in &helper.params {
            mark(&p.ty);
        }
    }
    used
}
