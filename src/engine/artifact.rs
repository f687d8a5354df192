//! Artifacts: what stages produce, and their one deterministic byte encoding each.
//!
//! Keys hash upstream *output digests*, so identical data must always give identical
//! bytes: Parquet is written with fixed properties, JSON in canonical form, PNG by one encoder.

use std::collections::BTreeMap;

use arrow::array::RecordBatch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArtifactKind {
    /// An Arrow record batch, stored as Parquet.
    Table,
    /// A small JSON document.
    Json,
    /// A PNG image.
    Png,
    /// A JPEG image (bundle members only: source photos are stored as they came).
    Jpeg,
    /// A named set of files (e.g. one PNG per design).
    Bundle,
    /// CSV text (bundle members only: logs people open in a spreadsheet).
    Csv,
    /// A zip archive (bundle members only: the deliverables in one file).
    Zip,
}

impl ArtifactKind {
    pub fn media_type(self) -> &'static str {
        match self {
            ArtifactKind::Table => "application/vnd.apache.parquet",
            ArtifactKind::Json => "application/json",
            ArtifactKind::Png => "image/png",
            ArtifactKind::Jpeg => "image/jpeg",
            ArtifactKind::Bundle => "application/vnd.t2d.bundle+json",
            ArtifactKind::Csv => "text/csv",
            ArtifactKind::Zip => "application/zip",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ArtifactKind::Table => "parquet",
            ArtifactKind::Json => "json",
            ArtifactKind::Png => "png",
            ArtifactKind::Jpeg => "jpg",
            ArtifactKind::Bundle => "bundle.json",
            ArtifactKind::Csv => "csv",
            ArtifactKind::Zip => "zip",
        }
    }
}

/// A file inside a bundle.
#[derive(Clone, Debug, PartialEq)]
pub struct BundleFile {
    pub kind: ArtifactKind,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Debug)]
pub enum Artifact {
    Table(RecordBatch),
    Json(serde_json::Value),
    Png(Vec<u8>),
    Bundle(BTreeMap<String, BundleFile>),
}

impl Artifact {
    pub fn kind(&self) -> ArtifactKind {
        match self {
            Artifact::Table(_) => ArtifactKind::Table,
            Artifact::Json(_) => ArtifactKind::Json,
            Artifact::Png(_) => ArtifactKind::Png,
            Artifact::Bundle(_) => ArtifactKind::Bundle,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("cannot write Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("cannot read Arrow data: {0}")]
    Arrow(#[from] arrow::error::ArrowError),
    #[error("bad JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("a Parquet artifact holds {0} record batches; expected one table")]
    Batches(usize),
    #[error("cannot encode PNG: {0}")]
    Png(#[from] image::ImageError),
}

/// Encodes a table as Parquet with fixed writer settings (same rows → same bytes).
pub fn encode_table(batch: &RecordBatch) -> Result<Vec<u8>, CodecError> {
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("t2d {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut bytes = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut bytes, batch.schema(), Some(props))?;
    writer.write(batch)?;
    writer.close()?;
    Ok(bytes)
}

/// Reads a Parquet artifact back into one record batch.
pub fn decode_table(bytes: Vec<u8>) -> Result<RecordBatch, CodecError> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes))?
        .with_batch_size(usize::MAX >> 1)
        .build()?;
    let batches: Vec<RecordBatch> = reader.collect::<Result<_, _>>()?;
    match batches.len() {
        1 => Ok(batches.into_iter().next().expect("one batch")),
        0 => Err(CodecError::Batches(0)),
        _ => {
            let schema = batches[0].schema();
            Ok(arrow::compute::concat_batches(&schema, &batches)?)
        }
    }
}

/// Canonical JSON: object keys sorted, no insignificant whitespace.
pub fn encode_json(value: &serde_json::Value) -> Result<Vec<u8>, CodecError> {
    fn sorted(v: &serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(map) => {
                let ordered: BTreeMap<&String, serde_json::Value> = map.iter().map(|(k, v)| (k, sorted(v))).collect();
                serde_json::Value::Object(ordered.into_iter().map(|(k, v)| (k.clone(), v)).collect())
            }
            serde_json::Value::Array(items) => serde_json::Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    Ok(serde_json::to_vec(&sorted(value))?)
}

/// Encodes an RGB image as PNG with fixed settings.
pub fn encode_png(image: &image::RgbImage) -> Result<Vec<u8>, CodecError> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let mut bytes = Vec::new();
    PngEncoder::new_with_quality(&mut bytes, CompressionType::Default, FilterType::Adaptive).write_image(
        image.as_raw(),
        image.width(),
        image.height(),
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Float32Array, Int64Array};
    use arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;

    fn batch(values: &[i64]) -> RecordBatch {
        let schema =
            Schema::new(vec![Field::new("id", DataType::Int64, false), Field::new("x", DataType::Float32, true)]);
        RecordBatch::try_new(
            Arc::new(schema),
            vec![
                Arc::new(Int64Array::from(values.to_vec())),
                Arc::new(Float32Array::from(values.iter().map(|v| *v as f32 * 0.5).collect::<Vec<_>>())),
            ],
        )
        .unwrap()
    }

    #[test]
    fn parquet_is_deterministic_and_round_trips() {
        let a = encode_table(&batch(&[1, 2, 3])).unwrap();
        let b = encode_table(&batch(&[1, 2, 3])).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, encode_table(&batch(&[1, 2, 4])).unwrap());
        assert_eq!(decode_table(a).unwrap(), batch(&[1, 2, 3]));
    }

    #[test]
    fn json_is_canonical() {
        let a: serde_json::Value = serde_json::from_str(r#"{"b": 1, "a": {"d": 2, "c": 3}}"#).unwrap();
        assert_eq!(encode_json(&a).unwrap(), br#"{"a":{"c":3,"d":2},"b":1}"#);
    }

    #[test]
    fn png_is_deterministic() {
        let img = image::RgbImage::from_fn(7, 5, |x, y| image::Rgb([x as u8 * 30, y as u8 * 40, 9]));
        assert_eq!(encode_png(&img).unwrap(), encode_png(&img).unwrap());
    }
}
