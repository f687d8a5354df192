//! Does an ONNX file have the inputs and outputs its manifest promises? Names and dtypes in order,
//! ranks, and fixed sizes where both sides fix them; a mismatch shows both sides.

use std::path::Path;

use ort::session::Session;
use ort::value::{Outlet, TensorElementType, ValueType};

use super::error::ModelError;
use super::manifest::{Dim, IoSignature, TensorSpec};

pub(crate) fn check(file: &Path, session: &Session, expected: &IoSignature, fix: &str) -> Result<(), ModelError> {
    let matches = |specs: &[TensorSpec], outlets: &[Outlet]| {
        specs.len() == outlets.len() && specs.iter().zip(outlets).all(|(spec, outlet)| spec_matches(spec, outlet))
    };
    if matches(&expected.inputs, session.inputs()) && matches(&expected.outputs, session.outputs()) {
        return Ok(());
    }
    let describe_specs = |specs: &[TensorSpec]| specs.iter().map(describe_spec).collect::<Vec<_>>().join(", ");
    let describe_outlets = |outlets: &[Outlet]| outlets.iter().map(describe_outlet).collect::<Vec<_>>().join(", ");
    Err(ModelError::Signature {
        file: file.to_path_buf(),
        expected: format!(
            "inputs [{}] -> outputs [{}]",
            describe_specs(&expected.inputs),
            describe_specs(&expected.outputs)
        ),
        found: format!(
            "inputs [{}] -> outputs [{}]",
            describe_outlets(session.inputs()),
            describe_outlets(session.outputs())
        ),
        fix: format!("the file and manifest.json come from different exports; {fix}"),
    })
}

fn spec_matches(spec: &TensorSpec, outlet: &Outlet) -> bool {
    let ValueType::Tensor { ty, shape, .. } = outlet.dtype() else { return false };
    let fixed_sizes_agree = spec.shape.iter().zip(shape.iter()).all(|(dim, &size)| match dim {
        Dim::Fixed(n) => size < 0 || size == *n,
        Dim::Named(_) => true,
    });
    spec.name == outlet.name() && dtype_name(*ty) == spec.dtype && spec.shape.len() == shape.len() && fixed_sizes_agree
}

/// The manifest's spelling of an ONNX element type.
fn dtype_name(ty: TensorElementType) -> String {
    match ty {
        TensorElementType::Float32 => "float32".into(),
        TensorElementType::Float16 => "float16".into(),
        TensorElementType::Float64 => "float64".into(),
        TensorElementType::Int64 => "int64".into(),
        TensorElementType::Int32 => "int32".into(),
        TensorElementType::Uint8 => "uint8".into(),
        TensorElementType::Bool => "bool".into(),
        other => other.to_string(),
    }
}

fn describe_spec(spec: &TensorSpec) -> String {
    let dims: Vec<String> = spec.shape.iter().map(Dim::to_string).collect();
    format!("{}: {}[{}]", spec.name, spec.dtype, dims.join(", "))
}

fn describe_outlet(outlet: &Outlet) -> String {
    match outlet.dtype() {
        ValueType::Tensor { ty, shape, dimension_symbols } => {
            let dims: Vec<String> = shape
                .iter()
                .zip(dimension_symbols.iter())
                .map(|(&size, symbol)| match (size, symbol.is_empty()) {
                    (size, _) if size >= 0 => size.to_string(),
                    (_, false) => symbol.clone(),
                    _ => "?".into(),
                })
                .collect();
            format!("{}: {}[{}]", outlet.name(), dtype_name(*ty), dims.join(", "))
        }
        other => format!("{}: {other:?}", outlet.name()),
    }
}
