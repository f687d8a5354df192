//! Which copy of the weights to run: the float32 export, or the fp16 copy `export.py --fp16`
//! writes (fp16 weights and compute, float32 inputs and outputs, so both are fed the same way).

use std::fmt;
use std::str::FromStr;

/// fp16 is meant for GPU execution providers: ONNX Runtime's CPU provider runs few fp16 kernels and
/// casts around the rest, which is usually slower than fp32 there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Precision {
    #[default]
    Fp32,
    Fp16,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown precision `{0}`: expected `fp32` or `fp16`")]
pub struct PrecisionParseError(String);

impl FromStr for Precision {
    type Err = PrecisionParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "fp32" | "float32" => Ok(Precision::Fp32),
            "fp16" | "float16" => Ok(Precision::Fp16),
            _ => Err(PrecisionParseError(text.to_string())),
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Precision::Fp32 => "fp32",
            Precision::Fp16 => "fp16",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        assert_eq!("FP16".parse::<Precision>().unwrap(), Precision::Fp16);
        assert_eq!("float32".parse::<Precision>().unwrap().to_string(), "fp32");
        assert!("bf16".parse::<Precision>().unwrap_err().to_string().contains("`fp32` or `fp16`"));
    }
}
