//! The yes/no threshold: a fixed value, or the seed's adaptive rule — the p-th percentile of
//! the first round's scores, interpolated linearly as numpy's `np.percentile` does by default.

use crate::engine::{ParamSpec, ParamType, Params, StageError, Value};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Threshold {
    Value(f64),
    Percentile(f64),
}

impl Threshold {
    /// `threshold: {value: 0.70}` or `threshold: {percentile: 85}` (the default).
    pub fn param() -> ParamSpec {
        ParamSpec::new(
            "threshold",
            ParamType::OneOf(vec![
                ParamSpec::float("value").range(0.0, 1.0).doc("fixed threshold (the notebook's first pass: 0.70)"),
                ParamSpec::float("percentile")
                    .range(0.0, 100.0)
                    .doc("percentile of the first round's scores (the notebook's re-label: 85)"),
            ]),
        )
        .default(Value::Map([("percentile".to_string(), Value::Float(85.0))].into()))
        .doc("score at or above it is a \"yes\"")
    }

    pub fn from_params(params: &Params) -> Result<Self, StageError> {
        Self::from_value(params.get("threshold").unwrap_or(&Value::Null))
    }

    pub fn from_value(value: &Value) -> Result<Self, StageError> {
        let bad = || StageError::new(format!("internal: threshold {value} is not {{value: x}} or {{percentile: p}}"));
        let map = value.as_map().ok_or_else(bad)?;
        match map.iter().next() {
            Some((name, v)) if map.len() == 1 && name == "value" => Ok(Threshold::Value(v.as_f64().ok_or_else(bad)?)),
            Some((name, v)) if map.len() == 1 && name == "percentile" => {
                Ok(Threshold::Percentile(v.as_f64().ok_or_else(bad)?))
            }
            _ => Err(bad()),
        }
    }

    /// The threshold as a number, given the first round's scores.
    pub fn resolve(self, first_round: &[f64]) -> Result<f64, StageError> {
        match self {
            Threshold::Value(v) => Ok(v),
            Threshold::Percentile(p) => percentile_linear(first_round, p)
                .ok_or_else(|| StageError::new("threshold: a percentile of no scores (nothing was generated)")),
        }
    }
}

/// `np.percentile(values, p)` (method "linear"): the same virtual index, and numpy's `_lerp`,
/// which interpolates from the upper neighbour when the fraction is ≥ 0.5, so results agree to the bit.
pub fn percentile_linear(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() || values.iter().any(|v| v.is_nan()) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let virtual_index = (p / 100.0) * (n - 1) as f64;
    let below = virtual_index.floor();
    let gamma = virtual_index - below;
    let lo = (below as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    let (a, b) = (sorted[lo], sorted[hi]);
    let diff = b - a;
    Some(if gamma >= 0.5 { b - diff * (1.0 - gamma) } else { a + diff * gamma })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_numpy_percentile() {
        // np.percentile(a, p) with numpy 2.4, printed with repr().
        let nine = [0.78066, 0.780346, 0.794144, 0.808409, 0.750057, 0.77212, 0.791913, 0.78008, 0.830858];
        assert_eq!(percentile_linear(&nine, 85.0), Some(0.805556));
        assert_eq!(percentile_linear(&[0.1, 0.4, 0.35, 0.8], 85.0), Some(0.62));
        assert_eq!(percentile_linear(&[0.1, 0.4, 0.35, 0.8], 50.0), Some(0.375));
        assert_eq!(percentile_linear(&[0.3, 0.9], 33.3), Some(0.4998));
        // Here the naive `a + (b − a)·γ` gives 0.74536; numpy interpolates from above.
        let upper = [0.7593, 0.597, 0.9177, 0.6896, 0.5004, 0.0771, 0.4884, 0.2128, 0.1327];
        assert_eq!(percentile_linear(&upper, 85.0), Some(0.7453599999999999));
        assert_eq!(percentile_linear(&[0.61], 85.0), Some(0.61));
        assert_eq!(percentile_linear(&nine, 0.0), Some(0.750057));
        assert_eq!(percentile_linear(&nine, 100.0), Some(0.830858));
        assert_eq!(percentile_linear(&[], 85.0), None);
    }

    #[test]
    fn the_param_resolves_either_form() {
        let value = Value::Map([("value".to_string(), Value::Float(0.7))].into());
        assert_eq!(Threshold::from_value(&value).unwrap().resolve(&[]).unwrap(), 0.7);
        let default = Threshold::param().default.unwrap();
        assert_eq!(Threshold::from_value(&default).unwrap(), Threshold::Percentile(85.0));
        assert!(Threshold::Percentile(85.0).resolve(&[]).is_err());
    }
}
