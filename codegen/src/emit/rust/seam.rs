//! The helpers' raw seam in the Rust bindings: `HelperId`, one variant per helper of
//! every spec of the run, and in `testing` one dispatcher (`set_dispatch`,
//! `fn(HelperId, [u64; 5]) -> u64`) that a helper called on the host falls back to
//! when no typed double is installed, in the manner of aya's one syscall override
//! for its tests. The generator knows each helper's C types, so the casts between
//! typed arguments and BPF registers are written here, both ways: the fallback
//! turns arguments into registers, and `testing::regs` turns registers back into
//! arguments for a dispatcher that implements a helper with typed code.

use crate::model::{EnumUse, Helper, Model, Primitive, Type};

use super::names::{self, rust_type};
use super::releases;
use super::writer::RustWriter;

/// One variant of `HelperId`: a helper of this spec or of a sibling spec.
struct Variant {
    name: String,
    /// The helper's ID enumerator, as the crate root names it.
    id: String,
    cfg: Option<String>,
}

/// Every helper of the run, this (root) spec's first, then each sibling's in run
/// order. Empty for a spec with `rust_module`: the root spec writes the enum.
fn variants(model: &Model) -> Vec<Variant> {
    if !model.is_root() {
        return Vec::new();
    }
    let own = model.helpers.iter().map(|h| Variant {
        name: h.name.clone(),
        id: model.enumerator(h.id).name.clone(),
        cfg: releases::item_cfg(model, &h.name),
    });
    let siblings = model.header.siblings.iter().flat_map(|s| {
        let module = s.rust_module.as_deref().unwrap_or_default();
        s.helpers.iter().map(move |(name, id)| Variant {
            name: name.clone(),
            id: format!("{module}::{id}"),
            cfg: (s.added_later.iter())
                .find(|(item, _)| item == name)
                .map(|(_, release)| {
                    format!("#[cfg(feature = \"{}\")]", releases::feature_named(release))
                }),
        })
    });
    own.chain(siblings).collect()
}

/// Whether the crate has the seam: the root spec, with a helper in some spec.
pub(super) fn has_seam(model: &Model) -> bool {
    !variants(model).is_empty()
}

/// `HelperId` and its methods, at the crate root.
pub(super) fn helper_id(w: &mut RustWriter, model: &Model) {
    let variants = variants(model);
    if variants.is_empty() {
        return;
    }
    w.lines(
        "/// Every helper of the bindings, general helpers included, named as in C. Its
/// [`id`](HelperId::id) is the number a BPF `call` instruction names; on the host,
/// a helper with no typed test double passes it to the dispatcher
/// (`testing::set_dispatch`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]",
    );
    w.open("pub enum HelperId");
    for v in &variants {
        w.doc(&format!("[`{}`].", link(v)));
        if let Some(cfg) = &v.cfg {
            w.line(cfg);
        }
        w.line(format_args!("{},", v.name));
    }
    w.close("");
    w.blank();
    w.open("impl HelperId");
    w.line("/// Every helper, in the order of the variants.");
    let all: Vec<String> = variants
        .iter()
        .map(|v| format!("Self::{}", v.name))
        .collect();
    if variants.iter().any(|v| v.cfg.is_some()) {
        w.open_bracket("pub const ALL: &[Self] = &[");
        for (v, item) in variants.iter().zip(&all) {
            if let Some(cfg) = &v.cfg {
                w.line(cfg);
            }
            w.line(format_args!("{item},"));
        }
        w.close_bracket("];");
    } else {
        w.list("pub const ALL: &[Self] = &[", &all, ";");
    }
    w.line("/// The ID a BPF `call` instruction names.");
    w.open("pub const fn id(self) -> u32");
    w.open("match self");
    for v in &variants {
        if let Some(cfg) = &v.cfg {
            w.line(cfg);
        }
        w.arm(&format!("Self::{}", v.name), &format!("{} as u32", v.id));
    }
    w.close("");
    w.close("");
    w.line("/// The helper's C name.");
    w.open("pub const fn name(self) -> &'static str");
    w.open("match self");
    for v in &variants {
        if let Some(cfg) = &v.cfg {
            w.line(cfg);
        }
        w.arm(
            &format!("Self::{}", v.name),
            &super::writer::string(&v.name),
        );
    }
    w.close("");
    w.close("");
    w.line("/// The helper a `call` instruction with immediate `raw` names, if any.");
    w.open("pub const fn from_id(raw: u32) -> Option<Self>");
    w.open("match raw");
    for v in &variants {
        if let Some(cfg) = &v.cfg {
            w.line(cfg);
        }
        w.arm(
            &format!("x if x == Self::{}.id()", v.name),
            &format!("Some(Self::{})", v.name),
        );
    }
    w.line("_ => None,");
    w.close("");
    w.close("");
    w.close("");
}

/// The doc link to a variant's helper function.
fn link(v: &Variant) -> String {
    match v.id.rsplit_once("::") {
        Some((module, _)) => format!("{module}::{}", v.name),
        None => v.name.clone(),
    }
}

/// The dispatcher's type, slot, setter and getter, in the root's `testing`.
pub(super) fn dispatch_slot(w: &mut RustWriter, model: &Model) {
    if !has_seam(model) {
        return;
    }
    w.blank();
    w.lines(
        "/// A helper in raw form: its ID and its arguments as the BPF argument registers
/// r1..r5 (pointers as addresses, signed integers sign-extended), returning r0.
pub type Dispatch = fn(HelperId, [u64; 5]) -> u64;

static DISPATCH: AtomicPtr<()> = AtomicPtr::new(core::ptr::null_mut());

/// Installs `double` for every thread as the fallback of every helper: a helper
/// called on the host with no typed double installed (`set_*`,
/// `this_thread::set_*`) calls it with its [`HelperId`] and its arguments as
/// registers, and returns r0 read as the helper's C return type. `None` removes it.
pub fn set_dispatch(double: Option<Dispatch>) {
    let raw = double.map_or(core::ptr::null_mut(), |f| f as *mut ());
    DISPATCH.store(raw, Ordering::SeqCst);
}

/// The dispatcher of a helper with no typed double: the calling thread's, else the
/// one installed for every thread.
pub(crate) fn dispatcher() -> Option<Dispatch> {
    #[cfg(feature = \"std\")]
    if let Some(double) = this_thread::get_dispatch() {
        return Some(double);
    }
    let raw = DISPATCH.load(Ordering::SeqCst);
    // Only `set_dispatch` stores here, and only pointers of this exact type.
    (!raw.is_null()).then(|| unsafe { core::mem::transmute::<*mut (), Dispatch>(raw) })
}",
    );
}

/// The calling thread's dispatcher, in the root's `testing::this_thread`.
pub(super) fn thread_dispatch_slot(w: &mut RustWriter, model: &Model) {
    if !has_seam(model) {
        return;
    }
    w.blank();
    w.lines(
        "std::thread_local! {
    static DISPATCH: Cell<Option<super::Dispatch>> = const { Cell::new(None) };
}

/// Installs `double` as the dispatcher (see [`super::set_dispatch`]) of the calling
/// thread only, ahead of the one for every thread; `None` removes it. Returns the
/// dispatcher it replaces.
pub fn set_dispatch(double: Option<super::Dispatch>) -> Option<super::Dispatch> {
    DISPATCH.replace(double)
}

pub(super) fn get_dispatch() -> Option<super::Dispatch> {
    DISPATCH.get()
}",
    );
}

/// A typed argument as its register (`None`: a type no register holds).
fn to_reg(model: &Model, ty: &Type, name: &str) -> Option<String> {
    Some(match ty {
        Type::Pointer(_) => format!("{name} as usize as u64"),
        Type::Primitive(Primitive::U64) => name.to_owned(),
        Type::Primitive(Primitive::I64 | Primitive::Long) => format!("{name} as u64"),
        Type::Primitive(p) if p.is_signed() => format!("{name} as i64 as u64"),
        Type::Primitive(_) => format!("{name} as u64"),
        Type::Enum(e) if model.enum_(*e).usage == EnumUse::Value => {
            format!("{name}.0 as i64 as u64")
        }
        Type::Enum(_) => format!("{name} as i32 as i64 as u64"),
        _ => return None,
    })
}

/// r0 (the local `raw`) read as a helper's return type, for `return`.
fn from_r0(model: &Model, ty: &Type) -> Option<String> {
    let rust = rust_type(model, ty);
    Some(match ty {
        // `c_void` has no value to make but a zeroed one (its first variant).
        Type::Void => "unsafe { core::mem::zeroed() }".to_owned(),
        Type::Pointer(_) => format!("raw as usize as {rust}"),
        Type::Primitive(Primitive::U64) => "raw".to_owned(),
        Type::Primitive(_) => format!("raw as {rust}"),
        Type::Enum(e) if model.enum_(*e).usage == EnumUse::Value => format!("{rust}(raw as i32)"),
        Type::Enum(_) => format!("{rust}::from_raw(raw as i32).unwrap()"),
        _ => return None,
    })
}

/// In `testing::call_<helper>`, with no typed double installed (`raw` null): the
/// dispatcher, if one is installed. Nothing for a helper whose types no register
/// holds.
pub(super) fn fallback(w: &mut RustWriter, model: &Model, h: &Helper) {
    let regs: Option<Vec<String>> = (h.params.iter())
        .map(|p| to_reg(model, &p.ty, &p.name))
        .collect();
    let (Some(mut regs), Some(r0)) = (regs, from_r0(model, &h.returns.ty)) else {
        return;
    };
    regs.resize(5, "0".to_owned());
    w.line("// Without a typed double, the raw seam (`testing::set_dispatch`).");
    w.open("if let Some(double) = crate::testing::dispatcher()");
    w.list("let raw = [", &regs, ";");
    let id = format!("crate::HelperId::{}", h.name);
    w.call("let raw = double", &[id, "raw".to_owned()], ";");
    w.line(format_args!("return {r0};"));
    w.close("");
}

/// `testing::regs`: for each helper, a function that reads its typed arguments
/// from registers r1..r5, calls a typed implementation with them, and returns its
/// result as r0, as the helper's binding would pass and read them.
pub(super) fn regs_module(w: &mut RustWriter, model: &Model) {
    if model.helpers.is_empty() {
        return;
    }
    w.blank();
    w.lines(
        "/// Each helper's registers as its typed arguments, for a dispatcher
/// (`set_dispatch`) that implements a helper with typed code.",
    );
    w.open("pub mod regs");
    w.line("#[allow(unused_imports)] // Only some helpers name the spec's types.");
    w.line("use super::super::*;");
    w.line("#[allow(unused_imports)] // Only some helpers take pointers.");
    w.line("use core::ffi::{c_char, c_void};");
    for h in &model.helpers {
        w.blank();
        let gated = releases::open_gate(w, model, &h.name);
        adapter(w, model, h);
        releases::close_gate(w, gated);
    }
    w.close("");
}

fn adapter(w: &mut RustWriter, model: &Model, h: &Helper) {
    let is_open_enum = |ty: &Type| match ty {
        Type::Enum(e) => model.enum_(*e).usage == EnumUse::Value,
        _ => false,
    };
    let params = names::helper_params(model, h);
    // Short type names keep each signature on the lines rustfmt gives it.
    let short = |ty: &str| ty.replace("core::ffi::", "");
    let types: Vec<String> = params.types.iter().map(|t| short(t)).collect();
    let args: Vec<String> = (h.params.iter().zip(&types).enumerate())
        .map(|(i, (p, ty))| match &p.ty {
            Type::Pointer(_) => format!("regs[{i}] as usize as {ty}"),
            t if is_open_enum(t) => format!("{ty}(regs[{i}] as i32)"),
            _ => format!("regs[{i}] as {ty}"),
        })
        .collect();
    // r0 holds a signed result sign-extended to 64 bits, as BPF code expects.
    let r0 = match &h.returns.ty {
        Type::Void => Some("0"),
        Type::Primitive(Primitive::U64) => None,
        Type::Primitive(p) if p.is_signed() => Some("result as i64 as u64"),
        Type::Pointer(_) => Some("result as usize as u64"),
        t if is_open_enum(t) => Some("result.0 as i64 as u64"),
        Type::Enum(_) => Some("result as i32 as i64 as u64"),
        _ => Some("result as u64"),
    };
    let returns = match &h.returns.ty {
        Type::Void => String::new(),
        ty => format!(" -> {}", short(&rust_type(model, ty))),
    };
    w.doc(&format!(
        "Calls `helper` with the arguments of [`{0}`](super::super::{0}) read from `regs`, and returns its result as r0.",
        h.name
    ));
    w.line("#[allow(clippy::unnecessary_cast)]");
    let regs = if h.params.is_empty() { "_regs" } else { "regs" };
    let head = format!("pub fn {}", h.name);
    let closure = format!("impl FnOnce({}){returns}", types.join(", "));
    let one_line = format!("{head}({regs}: [u64; 5], helper: {closure}) -> u64 {{");
    if w.fits(&one_line) {
        w.line(one_line);
    } else {
        w.line(format_args!("{head}("));
        w.open_block();
        w.line(format_args!("{regs}: [u64; 5],"));
        if w.fits(&format!("helper: {closure},")) {
            w.line(format_args!("helper: {closure},"));
        } else {
            w.line("helper: impl FnOnce(");
            w.open_block();
            for ty in &types {
                w.line(format_args!("{ty},"));
            }
            w.close_block();
            w.line(format_args!("){returns},"));
        }
        w.close_block();
        w.line(") -> u64 {");
    }
    w.open_block();
    match (r0, &h.returns.ty) {
        (None, _) => w.call("helper", &args, ""),
        (Some(r0), Type::Void) => {
            w.call("helper", &args, ";");
            w.line(r0);
        }
        (Some(r0), _) => {
            w.call("let result = helper", &args, ";");
            w.line(r0);
        }
    }
    w.close("");
}
