//! Empty: the crate exists for its compile tests (`tests/targeting_a_release.rs`).
