//! Shared checks on input matrices, so every entry point rejects empty or
//! non-finite data with the same typed error instead of producing NaN.

use ndarray::{ArrayView2, ArrayView3};

use super::error::TrendsError;

/// Checks that `x` has at least one row and column and only finite values.
pub(crate) fn check_matrix(x: ArrayView2<f32>) -> Result<(), TrendsError> {
    if x.nrows() == 0 {
        return Err(TrendsError::EmptyInput);
    }
    if x.ncols() == 0 {
        return Err(TrendsError::NoFeatures);
    }
    for (row, values) in x.rows().into_iter().enumerate() {
        if let Some(column) = values.iter().position(|v| !v.is_finite()) {
            return Err(TrendsError::NonFinite { row, column });
        }
    }
    Ok(())
}

/// Checks that `image` has shape (height, width, 3) with at least one pixel.
pub(crate) fn check_image(image: ArrayView3<u8>) -> Result<(), TrendsError> {
    let (height, width, channels) = image.dim();
    if height == 0 || width == 0 || channels != 3 {
        return Err(TrendsError::ImageShape { shape: image.shape().to_vec() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    #[test]
    fn rejects_empty_and_non_finite() {
        assert_eq!(check_matrix(Array2::<f32>::zeros((0, 3)).view()), Err(TrendsError::EmptyInput));
        assert_eq!(check_matrix(Array2::<f32>::zeros((2, 0)).view()), Err(TrendsError::NoFeatures));
        let x = array![[0.0f32, 1.0], [2.0, f32::NAN]];
        assert_eq!(check_matrix(x.view()), Err(TrendsError::NonFinite { row: 1, column: 1 }));
        assert_eq!(check_matrix(array![[1.0f32]].view()), Ok(()));
    }
}
