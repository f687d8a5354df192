//! Which copy of a model's weights to run: the float32 export, its fp16 copy (`export.py --fp16`)
//! or its int8 copy (`export.py --int8`, weights quantised ahead of time, activations on the fly).
//! Every copy keeps float32 inputs and outputs, so all are fed the same way.

use std::fmt;
use std::str::FromStr;

/// fp16 is meant for GPU execution providers: ONNX Runtime's CPU provider runs few fp16 kernels and
/// casts around the rest, which is usually slower than fp32 there. int8 is for the CPU, where it
/// runs the matrix products on the integer units (VNNI, AMX) several times faster than fp32, at a
/// small cost in accuracy that the exporter reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Precision {
    #[default]
    Fp32,
    Fp16,
    Int8,
}

impl Precision {
    /// The manifest field that lists this copy's files, and the export flag that writes them.
    pub fn manifest_field(self) -> (&'static str, &'static str) {
        match self {
            Precision::Fp32 => ("files", ""),
            Precision::Fp16 => ("fp16_files", "--fp16"),
            Precision::Int8 => ("int8_files", "--int8"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown precision `{0}`: expected `fp32`, `fp16` or `int8`")]
pub struct PrecisionParseError(String);

impl FromStr for Precision {
    type Err = PrecisionParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "fp32" | "float32" => Ok(Precision::Fp32),
            "fp16" | "float16" => Ok(Precision::Fp16),
            "int8" => Ok(Precision::Int8),
            _ => Err(PrecisionParseError(text.to_string())),
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Precision::Fp32 => "fp32",
            Precision::Fp16 => "fp16",
            Precision::Int8 => "int8",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        assert_eq!("FP16".parse::<Precision>().unwrap(), Precision::Fp16);
        assert_eq!("int8".parse::<Precision>().unwrap().to_string(), "int8");
        assert_eq!("float32".parse::<Precision>().unwrap().to_string(), "fp32");
        assert!("bf16".parse::<Precision>().unwrap_err().to_string().contains("`fp32`, `fp16` or `int8`"));
    }
}
