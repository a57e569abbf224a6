//! What the helpers record of a run ([`Recorded`]): each call with its arguments in
//! a form that does not depend on where memory is, printk lines, ring-buffer
//! records and faults. Plain data, which the session fills and the outcome reports.

/// One argument of a recorded helper call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Arg {
    /// The program's own context.
    Context,
    /// A pointer into the context, at this offset.
    ContextAt(usize),
    /// Some other pointer (its address means nothing across runs).
    Pointer,
    /// A NULL pointer where the helper accepts one.
    Null,
    /// A map, by name.
    Map(String),
    /// An input buffer, by its contents.
    Bytes(Vec<u8>),
    /// An output buffer of this many bytes.
    Out(u32),
    /// An integer.
    Int(u64),
}

/// One helper call: the helper's ID and name, and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HelperCall {
    pub id: i64,
    pub name: &'static str,
    pub args: Vec<Arg>,
}

/// One record a program wrote to a ring buffer (`bpf_ringbuf_output`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RingRecord {
    pub map: String,
    pub data: Vec<u8>,
}

/// What the helpers saw during one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    pub calls: Vec<HelperCall>,
    /// The bytes last stored by `bpf_sock_addr_set_redirect_context`.
    pub redirect_context: Option<Vec<u8>>,
    /// Lines the trace_printk helpers printed (`bpf_printk`), in order.
    pub printk: Vec<String>,
    /// Records written to ring buffers, in order.
    pub ring_records: Vec<RingRecord>,
    /// Problems a helper met (a bad argument, say); each fails
    /// the run.
    pub faults: Vec<String>,
}
