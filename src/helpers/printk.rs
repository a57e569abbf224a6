//! [`bpf_printk!`](crate::bpf_printk): `bpf_printk` of `bpf_helper_defs.h` in Rust,
//! with the format checked at compile time against the rules of the trace_printk
//! helpers (`docs/general-helpers-abi.md` §5.5) instead of failing with -1 at run time.

/// Prints a formatted debug message through the trace_printk helpers, as C's
/// `bpf_printk` does: the format, NUL-terminated, is copied to the program's stack
/// and passed with its size and the arguments to `bpf_trace_printk2` (no argument)
/// up to `bpf_trace_printk5` (three), picked by the argument count. Returns the
/// helper's result: the length of the message written, or negative.
///
/// Checked at compile time (the helper would return -1 for each):
/// - the format is a literal of 1 to 510 bytes;
/// - its conversions are `%d %i %u %x`, each optionally with `l` or `ll`, and `%%`:
///   no `%s`, `%c`, `%p`, flags, widths or precision;
/// - there are as many conversions as arguments, and at most 3 arguments.
///
/// Arguments are integers or `bool`s, widened to the helper's `uint64_t` (signed
/// ones sign-extended). Without `ll` a conversion prints the low 32 bits, as
/// Windows' 32-bit `long` does.
///
/// On the host the call reaches the `general::testing` double of the helper:
///
/// ```
/// use ebpf_nethooks::bpf_printk;
/// use ebpf_nethooks::general::testing;
///
/// testing::set_bpf_trace_printk4(Some(|fmt, size, a, b| {
///     // SAFETY: the macro passes a NUL-terminated format of `size` bytes.
///     let fmt = unsafe { core::slice::from_raw_parts(fmt.cast::<u8>(), size as usize) };
///     assert_eq!(fmt, b"port %u of %d\0");
///     assert_eq!((a, b), (80, u64::MAX));
///     11
/// }));
/// assert_eq!(bpf_printk!("port %u of %d", 80u16, -1i32), 11);
/// ```
///
/// `%s` is rejected at compile time, as are more than 3 arguments:
///
/// ```compile_fail
/// ebpf_nethooks::bpf_printk!("name %s", 1);
/// ```
///
/// ```compile_fail
/// ebpf_nethooks::bpf_printk!("%d %d %d %d", 1, 2, 3, 4);
/// ```
///
/// ```compile_fail
/// ebpf_nethooks::bpf_printk!("two %d %d", 1);
/// ```
#[macro_export]
macro_rules! bpf_printk {
    ($fmt:literal $(,)?) => {
        $crate::__bpf_printk!(bpf_trace_printk2, $fmt, 0;)
    };
    ($fmt:literal, $a:expr $(,)?) => {
        $crate::__bpf_printk!(bpf_trace_printk3, $fmt, 1; $a)
    };
    ($fmt:literal, $a:expr, $b:expr $(,)?) => {
        $crate::__bpf_printk!(bpf_trace_printk4, $fmt, 2; $a, $b)
    };
    ($fmt:literal, $a:expr, $b:expr, $c:expr $(,)?) => {
        $crate::__bpf_printk!(bpf_trace_printk5, $fmt, 3; $a, $b, $c)
    };
    ($fmt:literal, $($arg:expr),+ $(,)?) => {
        ::core::compile_error!(
            "bpf_printk! takes at most 3 arguments after the format (bpf_trace_printk5)"
        )
    };
}

/// The body of [`bpf_printk!`] for one helper.
#[doc(hidden)]
#[macro_export]
macro_rules! __bpf_printk {
    ($helper:ident, $fmt:literal, $count:literal; $($arg:expr),*) => {{
        const FORMAT: &str = ::core::concat!($fmt, "\0");
        const SIZE: usize = $crate::helpers::check_format(FORMAT, $count);
        const BYTES: [u8; SIZE] = $crate::helpers::format_bytes::<SIZE>(FORMAT);
        // On the stack, as C's `char ____fmt[] = fmt;`: eBPF for Windows loads no
        // `.rodata.str*` section, so the format cannot stay a constant.
        let format = ::core::mem::MaybeUninit::new(BYTES);
        // SAFETY: `format` holds `SIZE` bytes, NUL-terminated, for the call.
        unsafe {
            $crate::general::$helper(
                format.as_ptr().cast(),
                SIZE as u32
                $(, $crate::helpers::PrintkArg::printk_arg($arg))*
            )
        }
    }};
}

/// Largest format the trace_printk helpers accept, its NUL included.
const MAX_FORMAT_SIZE: usize = 511;

/// Checks `format` (NUL-terminated) against the trace_printk rules for `args`
/// arguments, at compile time; returns its size. Panics (a compile error in a
/// constant) with the rule it breaks.
pub const fn check_format(format: &str, args: usize) -> usize {
    let bytes = format.as_bytes();
    let size = bytes.len();
    if size < 2 {
        panic!("bpf_printk!: the format is empty");
    }
    if size > MAX_FORMAT_SIZE {
        panic!("bpf_printk!: the format is longer than 510 bytes");
    }
    let mut conversions = 0;
    let mut i = 0;
    while i < size - 1 {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        i += 1;
        if bytes[i] == b'%' {
            i += 1;
            continue;
        }
        // Up to two `l`s, then the conversion letter.
        let mut longs = 0;
        while longs < 2 && bytes[i] == b'l' {
            longs += 1;
            i += 1;
        }
        match bytes[i] {
            b'd' | b'i' | b'u' | b'x' => conversions += 1,
            b's' => panic!("bpf_printk!: `%s` is not supported: the helpers print numbers only"),
            _ => panic!("bpf_printk!: a conversion is not one of %d %i %u %x (with l or ll) or %%"),
        }
        i += 1;
    }
    if conversions != args {
        panic!("bpf_printk!: the format's conversions and the arguments differ in number");
    }
    size
}

/// `format`'s bytes as an array of its size.
pub const fn format_bytes<const N: usize>(format: &str) -> [u8; N] {
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = format.as_bytes()[i];
        i += 1;
    }
    out
}

/// An argument of [`bpf_printk!`]: a number the helper takes as `uint64_t`.
pub trait PrintkArg {
    /// The value widened to 64 bits (signed values sign-extended).
    fn printk_arg(self) -> u64;
}

macro_rules! printk_args {
    ($($t:ty => $wide:ty),*) => {$(
        impl PrintkArg for $t {
            #[inline(always)]
            #[allow(clippy::unnecessary_cast)] // `as u64` of a `u64`.
            fn printk_arg(self) -> u64 {
                self as $wide as u64
            }
        }
    )*};
}

printk_args!(
    u8 => u64, u16 => u64, u32 => u64, u64 => u64, usize => u64,
    i8 => i64, i16 => i64, i32 => i64, i64 => i64, isize => i64, bool => u64
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_sized_with_their_nul_and_their_conversions_counted() {
        let table: [(&str, usize, usize); 5] = [
            ("Hello, world\0", 0, 13),
            ("100%% done\0", 0, 11),
            ("%d %i %u %x\0", 4, 12),
            ("%ld %lli %llx\0", 3, 14),
            ("op %u port %u written %d\0", 3, 25),
        ];
        for (format, args, size) in table {
            assert_eq!(check_format(format, args), size, "{format}");
        }
    }

    #[test]
    fn printk_arguments_widen_as_c_passes_them() {
        assert_eq!((-1i32).printk_arg(), u64::MAX);
        assert_eq!(80u16.printk_arg(), 80);
        assert_eq!(true.printk_arg(), 1);
    }
}
