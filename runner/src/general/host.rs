//! The general helpers' host doubles: typed functions that the bindings' test slots
//! (`ebpf_nethooks_bindings::general::testing::set_*`) accept, each of which turns
//! its arguments into registers r1..r5 and calls the helper's entry in
//! [`crate::doubles::DOUBLES`], exactly as the VM does, so a Rust program run on the
//! host (`run_native`) records the same call and gets the same result.
//!
//! One generic function per arity ([`HostDouble`]) serves every helper: the helper is
//! a const generic (its ID), and the parameter and return types are inferred from the
//! slot's function-pointer type, so no signature is written twice.

use std::ffi::{c_char, c_void};

use ebpf_nethooks_maps::helpers::HELPERS;

use crate::doubles;

/// A value that a helper takes in a register.
pub trait Reg: Copy {
    /// The register's value (signed integers sign-extended, pointers as addresses).
    fn reg(self) -> u64;
}

/// A value that a helper returns in r0.
pub trait FromR0 {
    /// The value of r0 as the helper's C return type reads it.
    fn from_r0(r0: u64) -> Self;
}

macro_rules! integers {
    ($($t:ty => $wide:ty),*) => {$(
        impl Reg for $t {
            #[allow(clippy::unnecessary_cast)] // `as u64` of a `u64`.
            fn reg(self) -> u64 {
                self as $wide as u64
            }
        }
        impl FromR0 for $t {
            #[allow(clippy::unnecessary_cast)] // `as u64` of a `u64`.
            fn from_r0(r0: u64) -> Self {
                r0 as $t
            }
        }
    )*};
}

integers!(u32 => u64, u64 => u64, i32 => i64, i64 => i64, usize => u64, isize => i64);

macro_rules! pointers {
    ($($t:ty),*) => {$(
        impl Reg for $t {
            fn reg(self) -> u64 {
                self as usize as u64
            }
        }
        impl FromR0 for $t {
            fn from_r0(r0: u64) -> Self {
                r0 as usize as $t
            }
        }
    )*};
}

pointers!(*mut c_void, *const c_void, *mut c_char, *const c_char);

/// The ID of general helper `name`, at compile time (a typo does not compile).
pub const fn id_of(name: &str) -> u32 {
    let mut i = 0;
    while i < HELPERS.len() {
        if eq(HELPERS[i].name.as_bytes(), name.as_bytes()) {
            return HELPERS[i].id as u32;
        }
        i += 1;
    }
    panic!("not a general helper of the bindings")
}

const fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Calls general helper `id`'s entry of the doubles' registry with `regs`.
fn call(id: u32, regs: [u64; 5]) -> u64 {
    let name = HELPERS
        .iter()
        .find(|h| h.id == i64::from(id))
        .map_or("", |h| h.name);
    let double = doubles::find(name).expect("every general helper has a double");
    // SAFETY: general helpers check every argument before using it.
    unsafe { (double.call)(regs) }
}

/// A function-pointer type of a bindings' test slot, with the host double of helper
/// `ID` as its value [`HostDouble::DOUBLE`].
pub trait HostDouble<const ID: u32>: Sized {
    /// The double, of the slot's exact type.
    const DOUBLE: Self;
}

/// Implements [`HostDouble`] for the function pointers of one arity.
macro_rules! arity {
    ($host:ident, $($arg:ident: $t:ident => $i:literal),*) => {
        fn $host<const ID: u32, $($t: Reg,)* R: FromR0>($($arg: $t),*) -> R {
            #[allow(unused_mut)]
            let mut regs = [0u64; 5];
            $(regs[$i] = $arg.reg();)*
            R::from_r0(call(ID, regs))
        }

        impl<const ID: u32, $($t: Reg,)* R: FromR0> HostDouble<ID> for fn($($t),*) -> R {
            const DOUBLE: Self = $host::<ID, $($t,)* R>;
        }
    };
}

arity!(host0,);
arity!(host1, a: A => 0);
arity!(host2, a: A => 0, b: B => 1);
arity!(host3, a: A => 0, b: B => 1, c: C => 2);
arity!(host4, a: A => 0, b: B => 1, c: C => 2, d: D => 3);
arity!(host5, a: A => 0, b: B => 1, c: C => 2, d: D => 3, e: E => 4);
