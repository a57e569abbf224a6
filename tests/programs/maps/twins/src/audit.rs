//! Twin of `audit.c`: each connection event is written as an [`AuditRecord`] to the
//! ring buffer [`audit_log`] with `bpf_ringbuf_output`, stamped with the boot clock,
//! the process and a random nonce; the last remote ports go into the queue
//! [`recent_ports`], which drops its oldest when full (`BPF_EXIST`); and the event is
//! printed.
//!
//! The facade has no queue type, so [`Queue`] is written here: on BPF the same
//! in-file definition a map static is, pushed to with `bpf_map_push_elem` by ID; on
//! the host that call goes to the helper's test double, which the host test backs
//! with a queue of its own.

use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::marker::PhantomData;
use core::mem::MaybeUninit;

use ebpf_nethooks::general::{
    bpf_get_current_pid_tgid, bpf_get_prandom_u32, bpf_ktime_get_boot_ns, bpf_map_push_elem,
    bpf_trace_printk5, ebpf_map_definition_in_file_t, ebpf_map_type_t, ebpf_pin_type_t,
};
use ebpf_nethooks::maps::{BPF_EXIST, FromBytes, Immutable, IntoBytes, KnownLayout, RingBuf};
use ebpf_nethooks::{bpf_sock_ops_t, sock_ops_hook};

/// One event as user mode reads it from [`audit_log`]: 40 bytes, no padding.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct AuditRecord {
    pub op: u32,
    pub remote_ip4: u32,
    pub local_port: u32,
    pub remote_port: u32,
    pub pid_tgid: u64,
    pub time_ns: u64,
    pub nonce: u32,
    pub reserved: u32,
}

/// `BPF_MAP_TYPE_QUEUE` of `V`s: the 32-byte in-file definition and nothing else.
#[repr(transparent)]
pub struct Queue<V> {
    // The helpers take the definition as `void*`, and the loader owns it.
    definition: UnsafeCell<ebpf_map_definition_in_file_t>,
    _values: PhantomData<fn() -> V>,
}

// SAFETY: the program never reads or writes the definition; only its address is used.
unsafe impl<V> Sync for Queue<V> {}

impl<V: IntoBytes + Immutable> Queue<V> {
    /// A queue of at most `max_entries` values (no key).
    pub const fn with_max_entries(max_entries: u32) -> Self {
        Queue {
            definition: UnsafeCell::new(ebpf_map_definition_in_file_t {
                map_type: ebpf_map_type_t::BPF_MAP_TYPE_QUEUE,
                key_size: 0,
                value_size: core::mem::size_of::<V>() as u32,
                max_entries,
                inner_map_idx: 0,
                pinning: ebpf_pin_type_t(0),
                id: 0,
                inner_id: 0,
            }),
            _values: PhantomData,
        }
    }

    /// The definition, as a loader (or a host test's double) reads it.
    pub fn definition(&self) -> ebpf_map_definition_in_file_t {
        // SAFETY: nothing writes the definition.
        unsafe { *self.definition.get() }
    }

    /// The queue's address, as the helpers take it.
    pub fn handle(&self) -> *mut c_void {
        self.definition.get().cast()
    }

    /// Adds `value` (`bpf_map_push_elem`); with [`BPF_EXIST`] a full queue first drops
    /// its oldest. The error is the helper's negative result.
    #[inline(always)]
    pub fn push(&self, value: &V, flags: u64) -> Result<(), i64> {
        // A copy on the stack, where eBPF for Windows lets a helper read it.
        // SAFETY: a bitwise copy, only read as bytes by the helper.
        let value = MaybeUninit::new(unsafe { core::ptr::read(value) });
        // SAFETY: the handle is this queue's, the value `size_of::<V>()` bytes.
        let r = unsafe { bpf_map_push_elem(self.handle(), value.as_ptr().cast(), flags) };
        if r < 0 { Err(r) } else { Ok(()) }
    }
}

ebpf_nethooks::map! {
    /// The events. Named as in C: the names are the maps'.
    #[allow(non_upper_case_globals)]
    pub static audit_log: RingBuf = RingBuf::with_byte_size(4096, 0);
    /// The last 4 remote ports.
    #[allow(non_upper_case_globals)]
    pub static recent_ports: Queue<u32> = Queue::with_max_entries(4);
}

/// Records the event; returns what `bpf_ringbuf_output` returned.
#[sock_ops_hook]
pub fn audit(ctx: &mut bpf_sock_ops_t) -> i32 {
    // SAFETY (the three helpers): they take no arguments.
    let record = AuditRecord {
        op: ctx.op().0 as u32,
        remote_ip4: ctx.remote_ip4(),
        local_port: ctx.local_port(),
        remote_port: ctx.remote_port(),
        pid_tgid: unsafe { bpf_get_current_pid_tgid() },
        time_ns: unsafe { bpf_ktime_get_boot_ns() },
        nonce: unsafe { bpf_get_prandom_u32() },
        reserved: 0,
    };
    let port = ctx.remote_port();
    // As in C, a queue that refuses the port does not stop the audit.
    let _ = recent_ports.push(&port, BPF_EXIST);
    let written = match audit_log.output(&record, 0) {
        Ok(()) => 0,
        Err(r) => r as i32,
    };
    // On the stack, as C's `bpf_printk` has it.
    let format = *b"op %u port %u written %d\0";
    // SAFETY: the format is NUL-terminated and `format.len()` bytes long.
    unsafe {
        bpf_trace_printk5(
            format.as_ptr().cast(),
            format.len() as u32,
            u64::from(record.op),
            u64::from(port),
            written as i64 as u64,
        );
    }
    written
}
