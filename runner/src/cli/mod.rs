//! What the command line reads and runs beyond one program: the files a user names
//! ([`input`], with size caps), values written as text or in files ([`values`], and
//! `assign`, which writes them into a context) and scenarios ([`scenario`]),
//! sequences of runs against expected results; [`output`], what the command line
//! prints of a run. The binary (`main.rs`) parses its arguments.

mod assign;
pub mod input;
pub mod output;
pub mod scenario;
pub mod values;
