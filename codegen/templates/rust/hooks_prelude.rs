use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};

mod sealed {
    /// Only this module's marker types are attach points.
    pub trait Sealed {}
}

/// An attach type of a hook, as a type: names it, its context and its ELF section.
pub trait AttachPoint: sealed::Sealed + 'static {
    /// The context struct a program at this attach type receives.
    type Context;
    /// The short name the hook attributes take (`#[hook(NAME)]`).
    const NAME: &'static str;
    /// eBPF for Windows' identifier of the attach type.
    const ATTACH_TYPE: &'static str;
    /// The ELF section programs of this attach type are placed in.
    const SECTION: &'static str;
}
