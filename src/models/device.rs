//! Where a model runs, as the user writes it: `auto`, `cpu`, `cuda` or `cuda:N`.

use std::fmt;
use std::str::FromStr;

/// `Auto` uses CUDA when its execution provider can be registered, else the CPU.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Device {
    #[default]
    Auto,
    Cpu,
    Cuda(u32),
}

#[derive(Debug, thiserror::Error)]
#[error("unknown device `{0}`: expected `auto`, `cpu`, `cuda` or `cuda:N` (N = the GPU's index, e.g. `cuda:1`)")]
pub struct DeviceParseError(String);

impl FromStr for Device {
    type Err = DeviceParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || DeviceParseError(text.to_string());
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Device::Auto),
            "cpu" => Ok(Device::Cpu),
            "cuda" => Ok(Device::Cuda(0)),
            other => {
                let index = other.strip_prefix("cuda:").ok_or_else(bad)?;
                index.parse().map(Device::Cuda).map_err(|_| bad())
            }
        }
    }
}

impl fmt::Display for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Device::Auto => f.write_str("auto"),
            Device::Cpu => f.write_str("cpu"),
            Device::Cuda(index) => write!(f, "cuda:{index}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling() {
        let parse = |s: &str| s.parse::<Device>().unwrap();
        assert_eq!(parse("auto"), Device::Auto);
        assert_eq!(parse("CPU"), Device::Cpu);
        assert_eq!(parse("cuda"), Device::Cuda(0));
        assert_eq!(parse(" cuda:3 "), Device::Cuda(3));
    }

    #[test]
    fn rejects_the_rest_with_the_choices() {
        for bad in ["gpu", "cuda:", "cuda:x", "cuda:-1", "cuda1", ""] {
            let err = bad.parse::<Device>().unwrap_err().to_string();
            assert!(err.contains("`auto`, `cpu`, `cuda` or `cuda:N`"), "{bad}: {err}");
        }
    }

    #[test]
    fn displays_as_parsed() {
        for text in ["auto", "cpu", "cuda:0", "cuda:2"] {
            assert_eq!(text.parse::<Device>().unwrap().to_string(), text);
        }
    }
}
