//! The arrays: [`Array`] and [`PerCpuArray`], `max_entries` zeroed values indexed by
//! a `u32`; one definition for both.

use ebpf_nethooks_maps::MapType;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use super::typed::TypedMap;

macro_rules! array {
    ($(#[$doc:meta])* $name:ident, $map_type:expr) => {
        $(#[$doc])*
        ///
        /// Declare it with [`map!`](crate::map); see the [module docs](super) for
        /// what values may be and why [`get`](Self::get) copies.
        #[repr(transparent)]
        pub struct $name<V>(TypedMap<u32, V>);

        impl<V> $name<V>
        where
            V: IntoBytes + FromBytes + Immutable,
        {
            /// An array of `max_entries` zeroed values; `flags` must be 0.
            pub const fn with_max_entries(max_entries: u32, flags: u32) -> Self {
                $name(TypedMap::new($map_type, max_entries, flags))
            }

            /// A copy of value `index`, or `None` past the end.
            #[inline(always)]
            pub fn get(&self, index: u32) -> Option<V> {
                self.0.get(&index)
            }

            /// The address of the live value `index`, or `None` past the end.
            /// Dereferencing it is `unsafe`: see "Reads and aliasing" in the
            /// [module docs](super).
            #[inline(always)]
            pub fn get_ptr(&self, index: u32) -> Option<*const V> {
                self.0.get_ptr_mut(&index).map(|value| value.cast_const())
            }

            /// The address of the live value `index`, to change it in place, or
            /// `None` past the end. Dereferencing it is `unsafe`: see "Reads and
            /// aliasing" in the [module docs](super).
            #[inline(always)]
            pub fn get_ptr_mut(&self, index: u32) -> Option<*mut V> {
                self.0.get_ptr_mut(&index)
            }

            /// Stores `value` at `index` (`bpf_map_update_elem`). The error is the
            /// helper's negative result: `-EBPF_INVALID_ARGUMENT` past the end, and
            /// for [`BPF_NOEXIST`](super::BPF_NOEXIST) on an [`Array`] (every index
            /// exists), though not on a [`PerCpuArray`].
            #[inline(always)]
            pub fn set(&self, index: u32, value: &V, flags: u64) -> Result<(), i64> {
                self.0.insert(&index, value, flags)
            }

            /// Host only: every value, with its index.
            #[cfg(not(target_arch = "bpf"))]
            pub fn entries(&self) -> alloc::vec::Vec<(u32, V)> {
                self.0.entries()
            }

            /// Host only: zeroes every value.
            #[cfg(not(target_arch = "bpf"))]
            pub fn clear(&self) {
                self.0.clear();
            }
        }
    };
}

array!(
    /// `BPF_MAP_TYPE_ARRAY`: `max_entries` values of type `V`, all present and zeroed
    /// from the start.
    Array,
    MapType::ARRAY
);

array!(
    /// `BPF_MAP_TYPE_PERCPU_ARRAY`: an array with one value per CPU at each index; a
    /// program reads and writes the current CPU's. On the host it runs as on one CPU.
    PerCpuArray,
    MapType::PERCPU_ARRAY
);
