//! On `target_arch = "bpf"`: a map is its in-file definition, and each operation
//! calls a map helper by ID, as the bindings call their helpers: the ID cast to a
//! function pointer compiles to a BPF `call ID` instruction.

use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::mem::{MaybeUninit, size_of_val};

use ebpf_nethooks_bindings::general::{
    BPF_FUNC_map_delete_elem, BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem,
    BPF_FUNC_ringbuf_output, ebpf_map_definition_in_file_t,
};

/// The 32-byte record of the `maps` section, nothing else: a program passes its
/// address to the helpers (the loader turns that `lddw` into the map's address).
/// In an `UnsafeCell` because the helpers take it as `void*` and the loader owns it.
#[repr(transparent)]
pub(crate) struct RawMap {
    definition: UnsafeCell<ebpf_map_definition_in_file_t>,
}

// SAFETY: the program never reads or writes the definition; only its address is used.
unsafe impl Sync for RawMap {}

/// A copy of `value` on the program's stack. Without it, LLVM passes a constant key
/// or value (`&7`) from `.rodata.cst*`, which eBPF for Windows does not load (only
/// `.data`, `.rodata` and `.bss` are global data there). LLVM keeps the copy because
/// the helper, called through a bare address, might write to it.
#[inline(always)]
fn on_stack<T>(value: &T) -> MaybeUninit<T> {
    // SAFETY: a bitwise copy; it is only read as bytes by the helper, never used or
    // dropped as a `T`.
    MaybeUninit::new(unsafe { core::ptr::read(value) })
}

impl RawMap {
    pub(crate) const fn new(definition: ebpf_map_definition_in_file_t) -> RawMap {
        RawMap {
            definition: UnsafeCell::new(definition),
        }
    }

    fn handle(&self) -> *mut c_void {
        self.definition.get().cast()
    }

    /// `bpf_map_lookup_elem`: the live value's address, or null.
    #[inline(always)]
    pub(crate) fn lookup<K>(&self, key: &K) -> *mut u8 {
        let helper: unsafe extern "C" fn(*mut c_void, *const c_void) -> *mut c_void =
            unsafe { core::mem::transmute(BPF_FUNC_map_lookup_elem as usize) };
        let key = on_stack(key);
        unsafe { helper(self.handle(), key.as_ptr().cast()) }.cast()
    }

    /// `f` of the value's address right after the lookup, or `None`.
    #[inline(always)]
    pub(crate) fn read<K, R>(&self, key: &K, f: impl FnOnce(*const u8) -> R) -> Option<R> {
        let value = self.lookup(key);
        (!value.is_null()).then(|| f(value))
    }

    /// `bpf_map_update_elem`: 0 or a negative `ebpf_result_t`.
    #[inline(always)]
    pub(crate) fn update<K, V>(&self, key: &K, value: &V, flags: u64) -> i64 {
        let helper: unsafe extern "C" fn(*mut c_void, *const c_void, *const c_void, u64) -> i64 =
            unsafe { core::mem::transmute(BPF_FUNC_map_update_elem as usize) };
        let (key, value) = (on_stack(key), on_stack(value));
        unsafe {
            helper(
                self.handle(),
                key.as_ptr().cast(),
                value.as_ptr().cast(),
                flags,
            )
        }
    }

    /// `bpf_map_delete_elem`: 0 or a negative `ebpf_result_t`.
    #[inline(always)]
    pub(crate) fn delete<K>(&self, key: &K) -> i64 {
        let helper: unsafe extern "C" fn(*mut c_void, *const c_void) -> i64 =
            unsafe { core::mem::transmute(BPF_FUNC_map_delete_elem as usize) };
        let key = on_stack(key);
        unsafe { helper(self.handle(), key.as_ptr().cast()) }
    }

    /// `bpf_ringbuf_output` of `data`'s bytes: 0 or negative. It returns an `int`,
    /// so only the low 32 bits of r0 are its result (`docs/general-helpers-abi.md` §2.4).
    #[inline(always)]
    pub(crate) fn output<T>(&self, data: &T, flags: u64) -> i64 {
        let helper: unsafe extern "C" fn(*mut c_void, *const c_void, u64, u64) -> i32 =
            unsafe { core::mem::transmute(BPF_FUNC_ringbuf_output as usize) };
        let size = size_of_val(data) as u64;
        let data = on_stack(data);
        i64::from(unsafe { helper(self.handle(), data.as_ptr().cast(), size, flags) })
    }
}
