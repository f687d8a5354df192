//! Cell-level parsing rules that make the reader agree with
//! `pandas.read_csv`: which strings count as missing, and how `id` and `year`
//! become integers.

/// The strings pandas reads as NaN by default (`pandas._libs.parsers.STR_NA_VALUES`,
/// checked against pandas 3.1). The empty string is among them.
const PANDAS_NA: [&str; 19] = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA",
    "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// The cell as pandas would keep it: `None` for its default NA strings.
pub(crate) fn text(raw: &str) -> Option<String> {
    if PANDAS_NA.contains(&raw) {
        None
    } else {
        Some(raw.to_owned())
    }
}

/// An integer id; surrounding whitespace is tolerated, anything else is not.
pub(crate) fn id(raw: &str) -> Option<i64> {
    raw.trim().parse().ok()
}

/// What a `year` cell holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Year {
    Missing,
    Value(i32),
    Invalid,
}

/// A year written as an integer (`2011`, the raw Kaggle file) or as a float
/// with no fractional part (`2011.0`, the file after a pandas round trip).
pub(crate) fn year(raw: &str) -> Year {
    if text(raw).is_none() {
        return Year::Missing;
    }
    let raw = raw.trim();
    if let Ok(y) = raw.parse::<i32>() {
        return Year::Value(y);
    }
    match raw.parse::<f64>() {
        Ok(y) if y.fract() == 0.0 && y >= f64::from(i32::MIN) && y <= f64::from(i32::MAX) => Year::Value(y as i32),
        _ => Year::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pandas_na_strings_are_missing() {
        for na in ["", "NA", "N/A", "null", "NaN", "None", "<NA>"] {
            assert_eq!(text(na), None, "{na:?}");
        }
        assert_eq!(text(" "), Some(" ".to_owned()));
        assert_eq!(text("na"), Some("na".to_owned()));
    }

    #[test]
    fn ids_are_integers() {
        assert_eq!(id("15190"), Some(15190));
        assert_eq!(id(" 42 "), Some(42));
        assert_eq!(id("15190.0"), None);
        assert_eq!(id("abc"), None);
        assert_eq!(id(""), None);
    }

    #[test]
    fn years_accept_int_and_integral_float() {
        assert_eq!(year("2011"), Year::Value(2011));
        assert_eq!(year("2011.0"), Year::Value(2011));
        assert_eq!(year(""), Year::Missing);
        assert_eq!(year("NaN"), Year::Missing);
        assert_eq!(year("2011.5"), Year::Invalid);
        assert_eq!(year("20x"), Year::Invalid);
        assert_eq!(year("inf"), Year::Invalid);
    }
}
