//! On the host: a map is a real in-memory map of the shared crate
//! (`ebpf_nethooks_maps::Map`, the one the runner uses), created on first use from
//! the same definition the BPF build puts in the object, behind a spin lock. No `std`
//! is needed, so the facade stays `no_std`.

use alloc::vec::Vec;
use core::cell::UnsafeCell;
use core::ptr::{self, NonNull};
use core::sync::atomic::{AtomicBool, Ordering};

use ebpf_nethooks_maps::{Map, MapDefinition, MapError, ebpf_map_definition_in_file_t};
use zerocopy::{Immutable, IntoBytes};

/// The definition, and the map it makes on first use; the lock guards both the
/// creation and every operation, so no two threads touch the map at once.
pub(crate) struct RawMap {
    definition: ebpf_map_definition_in_file_t,
    locked: AtomicBool,
    map: UnsafeCell<Option<Map>>,
}

// SAFETY: `map` is reached only through `with`, which holds the lock; a `Map` may
// move between threads.
unsafe impl Sync for RawMap {}
const _: fn() = || {
    fn send<T: Send>() {}
    send::<Map>();
};

/// Releases the lock when dropped, also when the operation panics.
struct Locked<'a>(&'a AtomicBool);

impl Drop for Locked<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// A wrong key or value size cannot happen (the types fix them), so a `MapError`
/// here is a bug of this module.
fn sized<T>(result: Result<T, MapError>) -> T {
    result.unwrap_or_else(|e| panic!("ebpf_nethooks::maps: {e}"))
}

fn address(value: Option<NonNull<u8>>) -> *mut u8 {
    value.map_or(ptr::null_mut(), NonNull::as_ptr)
}

impl RawMap {
    pub(crate) const fn new(definition: ebpf_map_definition_in_file_t) -> RawMap {
        RawMap {
            definition,
            locked: AtomicBool::new(false),
            map: UnsafeCell::new(None),
        }
    }

    /// Runs `f` on the map, creating it first if this is its first use. A definition
    /// that eBPF for Windows would refuse to create panics here, with the rule it
    /// breaks, as loading the object would fail on Windows.
    fn with<R>(&self, f: impl FnOnce(&mut Map) -> R) -> R {
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            core::hint::spin_loop();
        }
        let _locked = Locked(&self.locked);
        // SAFETY: the lock is held until `_locked` drops, after the last use.
        let map = unsafe { &mut *self.map.get() };
        let map = map.get_or_insert_with(|| {
            let definition = MapDefinition::from_in_file("map", &self.definition);
            Map::new(definition).unwrap_or_else(|e| panic!("ebpf_nethooks::maps: {e}"))
        });
        f(map)
    }

    /// A program's lookup: the live value's address, or null. Refreshes LRU recency.
    pub(crate) fn lookup<K: IntoBytes + Immutable>(&self, key: &K) -> *mut u8 {
        self.with(|m| address(sized(m.lookup(key.as_bytes()))))
    }

    /// `f` of the value's address, under the lock, or `None`.
    pub(crate) fn read<K: IntoBytes + Immutable, R>(
        &self,
        key: &K,
        f: impl FnOnce(*const u8) -> R,
    ) -> Option<R> {
        self.with(|m| sized(m.lookup(key.as_bytes())).map(|value| f(value.as_ptr())))
    }

    /// Runs a mutating operation. The host has no end of a program run, so values
    /// that it replaced or removed are released at once (see the module docs of
    /// `ebpf_nethooks::maps` on pointers).
    fn change(&self, f: impl FnOnce(&mut Map) -> Result<i64, MapError>) -> i64 {
        self.with(|m| {
            let result = sized(f(m));
            m.end_run();
            result
        })
    }

    pub(crate) fn update<K, V>(&self, key: &K, value: &V, flags: u64) -> i64
    where
        K: IntoBytes + Immutable,
        V: IntoBytes + Immutable,
    {
        self.change(|m| m.update(key.as_bytes(), value.as_bytes(), flags))
    }

    pub(crate) fn delete<K: IntoBytes + Immutable>(&self, key: &K) -> i64 {
        self.change(|m| m.delete(key.as_bytes()))
    }

    pub(crate) fn output<T: IntoBytes + Immutable>(&self, data: &T, flags: u64) -> i64 {
        self.change(|m| m.output(data.as_bytes(), flags))
    }

    /// Every entry's key and value bytes, as the runner lists them: arrays every
    /// slot by index, hashes sorted by key bytes. Leaves LRU recency alone.
    pub(crate) fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.with(|m| m.entries())
    }

    /// A ring buffer's records, oldest first.
    pub(crate) fn records(&self) -> Vec<Vec<u8>> {
        self.with(|m| m.records().iter().map(|r| r.to_vec()).collect())
    }

    pub(crate) fn clear(&self) {
        self.with(Map::clear);
    }
}
