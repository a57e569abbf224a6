//! The `testing` module of the Rust bindings: a host test double per helper,
//! installed for every thread or (feature `std`) for the calling thread only.

use crate::model::{Model, Type};

use super::names::{self, helper_params, rust_type};
use super::releases;
use super::writer::{RustWriter, string};

/// Host test doubles: on targets other than BPF a helper call goes to a function a
/// test has installed, so programs can be unit-tested on a development machine.
pub(super) fn test_doubles(w: &mut RustWriter, model: &Model) {
    w.lines(
        "/// Test doubles for the helpers, used when a program runs on the host
/// instead of in the BPF virtual machine.
#[cfg(not(target_arch = \"bpf\"))]",
    );
    w.open("pub mod testing");
    // The doubles name the spec's types only when a helper takes or returns one;
    // the doc links to the helpers need the import either way.
    let names_spec_types = model.helpers.iter().any(|h| {
        std::iter::once(&h.returns.ty)
            .chain(h.params.iter().map(|p| &p.ty))
            .any(|ty| matches!(ty.base(), Type::Enum(_) | Type::Struct(_)))
    });
    if !names_spec_types {
        w.line("#[allow(unused_imports)] // Used by the doc links only.");
    }
    w.line("use super::*;");
    // A spec without helpers has no doubles to store, the root one without the seam
    // no dispatcher.
    let seam = super::seam::has_seam(model);
    if !model.helpers.is_empty() || seam {
        w.line("use core::sync::atomic::{AtomicPtr, Ordering};");
    }
    for h in &model.helpers {
        let name = &h.name;
        let slot = names::test_double_slot(h);
        let params = helper_params(model, h);
        let returns = rust_type(model, &h.returns.ty);
        let double = names::test_double(h);
        w.blank();
        let gated = releases::open_gate(w, model, name);
        w.doc(&format!("A host stand-in for [`{name}`]."));
        w.assign_fn_value(&format!("pub type {double}"), &params.types, &returns);
        w.blank();
        w.assign(
            &format!("static {slot}: AtomicPtr<()>"),
            "AtomicPtr::new(core::ptr::null_mut())",
        );
        w.blank();
        w.doc(&format!(
            "Installs `double` as [`{name}`] for every thread; `None` removes it."
        ));
        w.open_fn(
            &format!("pub fn set_{name}"),
            &[format!("double: Option<{double}>")],
            "",
        );
        w.line("let raw = double.map_or(core::ptr::null_mut(), |f| f as *mut ());");
        w.line(format_args!("{slot}.store(raw, Ordering::SeqCst);"));
        w.close("");
        w.blank();
        w.open_fn(
            &format!("pub(crate) fn {}", names::host_call(h)),
            &params.typed,
            &format!(" -> {returns}"),
        );
        w.line("// A double installed for this thread only wins over the global one.");
        w.line("#[cfg(feature = \"std\")]");
        w.open(format_args!(
            "if let Some(double) = this_thread::get_{name}()"
        ));
        w.line(format_args!("return double({});", params.names.join(", ")));
        w.close("");
        w.line(format_args!("let raw = {slot}.load(Ordering::SeqCst);"));
        w.open("if raw.is_null()");
        super::seam::fallback(w, model, h);
        w.call(
            "panic!",
            &[string(&format!(
                "{name} was called on the host with no test double installed; install one with ebpf_nethooks_bindings::{}testing::set_{name}",
                model.header.rust_module.as_ref().map_or(String::new(), |m| format!("{m}::"))
            ))],
            ";",
        );
        w.close("");
        w.line("// Only `set_*` stores here, and only pointers of this exact type.");
        w.assign(
            &format!("let double: {double}"),
            &format!("unsafe {{ core::mem::transmute::<*mut (), {double}>(raw) }}"),
        );
        w.line(format_args!("double({})", params.names.join(", ")));
        w.close("");
        releases::close_gate(w, gated);
    }
    super::seam::dispatch_slot(w, model);
    super::seam::regs_module(w, model);
    w.blank();
    w.lines(
        "/// Doubles for the calling thread only (feature `std`). The test harness
/// runs each test on its own thread, so tests that install different
/// doubles this way can run in parallel.
#[cfg(feature = \"std\")]",
    );
    w.open("pub mod this_thread");
    if !model.helpers.is_empty() || seam {
        w.line("use core::cell::Cell;");
    }
    super::seam::thread_dispatch_slot(w, model);
    for h in &model.helpers {
        let name = &h.name;
        let slot = names::test_double_slot(h);
        let double = format!("super::{}", names::test_double(h));
        w.blank();
        let gated = releases::open_gate(w, model, name);
        w.open("std::thread_local!");
        w.assign(
            &format!("static {slot}: Cell<Option<{double}>>"),
            "const { Cell::new(None) }",
        );
        w.close("");
        w.blank();
        w.doc(&format!(
            "Installs `double` as [`{name}`](super::super::{name}) for the calling thread only, ahead of any global double; `None` removes it. Returns the double it replaces."
        ));
        w.open_fn(
            &format!("pub fn set_{name}"),
            &[format!("double: Option<{double}>")],
            &format!(" -> Option<{double}>"),
        );
        w.line(format_args!("{slot}.replace(double)"));
        w.close("");
        w.blank();
        w.open_fn(
            &format!("pub(super) fn get_{name}"),
            &[],
            &format!(" -> Option<{double}>"),
        );
        w.line(format_args!("{slot}.get()"));
        w.close("");
        releases::close_gate(w, gated);
    }
    w.close("");
    w.close("");
}
