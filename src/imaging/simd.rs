//! Runs the pixel loops compiled for AVX2 when the CPU has it. The crate
//! targets baseline x86-64 (SSE2), which lacks the widening loads and 32-bit
//! multiplies the fixed-point passes need; with AVX2 they vectorise 8 wide.

/// Defines a function whose body is compiled twice, for baseline x86-64 and
/// for AVX2, and picks the AVX2 build at run time where the CPU supports it.
/// Helpers the body calls must be `#[inline(always)]` to share the benefit.
macro_rules! multiversion {
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$meta])*
        $vis fn $name($($arg: $ty),*) {
            #[inline(always)]
            fn baseline($($arg: $ty),*) $body

            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2")]
            unsafe fn avx2($($arg: $ty),*) {
                baseline($($arg),*)
            }

            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU supports AVX2, checked just above.
                return unsafe { avx2($($arg),*) };
            }
            baseline($($arg),*)
        }
    };
}

pub(super) use multiversion;
