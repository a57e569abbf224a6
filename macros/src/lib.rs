//! Hook attributes for ebpf-nethooks.
//!
//! Placeholder: the attributes (`#[bind_hook]`, `#[sock_addr_hook(..)]`,
//! `#[sock_ops_hook]`) are built on the spec's hook table in a later step.
