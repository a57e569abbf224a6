//! The context tables of the differential tests: for each C test program, 20 or more
//! contexts in `--ctx` syntax with the verdict and effect expected (see
//! `policies::Case`), one file per hook.

mod bind;
mod sock_addr;
mod sock_ops;

pub use bind::BIND_CASES;
pub use sock_addr::{
    BIND4_HELPERS_CASES, CONNECT_AUTHORIZATION_CASES, CONNECT4_CASES, CONNECT6_CASES,
    REDIRECT_CONTEXT_CASES,
};
pub use sock_ops::SOCKOPS_CASES;
