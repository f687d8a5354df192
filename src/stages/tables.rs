//! Reading and writing the Arrow tables stages exchange (ids, embeddings, string lists).

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, FixedSizeListArray, Float32Array, Float64Array, Int32Array, Int64Array, ListBuilder,
    RecordBatch, StringArray, StringBuilder,
};
use arrow::datatypes::{DataType, Field, Float32Type, Schema};

use crate::engine::StageError;

fn column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a ArrayRef, StageError> {
    batch.column_by_name(name).ok_or_else(|| {
        let found: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
        StageError::new(format!("input table has no column `{name}` (found: {})", found.join(", ")))
            .with_help("bind the input slot to the right upstream output (`t2d show PIPELINE` lists them)")
    })
}

fn typed<'a, T: 'static>(batch: &'a RecordBatch, name: &str, what: &str) -> Result<&'a T, StageError> {
    column(batch, name)?
        .as_any()
        .downcast_ref::<T>()
        .ok_or_else(|| StageError::new(format!("column `{name}` is not {what}")))
}

pub fn i64s(batch: &RecordBatch, name: &str) -> Result<Vec<i64>, StageError> {
    Ok(typed::<Int64Array>(batch, name, "Int64")?.values().to_vec())
}

pub fn i32s(batch: &RecordBatch, name: &str) -> Result<Vec<i32>, StageError> {
    Ok(typed::<Int32Array>(batch, name, "Int32")?.values().to_vec())
}

pub fn f64s(batch: &RecordBatch, name: &str) -> Result<Vec<f64>, StageError> {
    Ok(typed::<Float64Array>(batch, name, "Float64")?.values().to_vec())
}

/// A string column; nulls become empty strings.
pub fn strings(batch: &RecordBatch, name: &str) -> Result<Vec<String>, StageError> {
    let a = typed::<StringArray>(batch, name, "Utf8")?;
    Ok((0..a.len()).map(|i| if a.is_null(i) { String::new() } else { a.value(i).to_string() }).collect())
}

/// A `List<Utf8>` column.
pub fn string_lists(batch: &RecordBatch, name: &str) -> Result<Vec<Vec<String>>, StageError> {
    let list = column(batch, name)?
        .as_list_opt::<i32>()
        .ok_or_else(|| StageError::new(format!("column `{name}` is not a list of strings")))?;
    (0..list.len())
        .map(|i| {
            let values = list.value(i);
            let s = values
                .as_any()
                .downcast_ref::<StringArray>()
                .ok_or_else(|| StageError::new(format!("column `{name}` is not a list of strings")))?;
            Ok((0..s.len()).map(|j| s.value(j).to_string()).collect())
        })
        .collect()
}

pub fn string_list_array(rows: &[Vec<String>]) -> ArrayRef {
    let mut b = ListBuilder::new(StringBuilder::new());
    for row in rows {
        for v in row {
            b.values().append_value(v);
        }
        b.append(true);
    }
    Arc::new(b.finish())
}

pub fn string_list_field(name: &str) -> Field {
    Field::new(name, DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))), false)
}

/// Row-major vectors of one dimension, as a `FixedSizeList<Float32, dim>` column.
pub fn vector_array(dim: usize, data: &[f32]) -> Result<ArrayRef, StageError> {
    let values = Arc::new(Float32Array::from(data.to_vec()));
    let field = Arc::new(Field::new("item", DataType::Float32, false));
    FixedSizeListArray::try_new(field, dim as i32, values, None)
        .map(|a| Arc::new(a) as ArrayRef)
        .map_err(|e| StageError::wrap("building a vector column", e))
}

pub fn vector_field(name: &str, dim: usize) -> Field {
    Field::new(name, DataType::FixedSizeList(Arc::new(Field::new("item", DataType::Float32, false)), dim as i32), false)
}

/// A `FixedSizeList<Float32>` column as (dimension, row-major values).
pub fn vectors(batch: &RecordBatch, name: &str) -> Result<(usize, Vec<f32>), StageError> {
    let list = column(batch, name)?
        .as_fixed_size_list_opt()
        .ok_or_else(|| StageError::new(format!("column `{name}` is not a fixed-size list of floats")))?;
    let dim = list.value_length() as usize;
    let values = list
        .values()
        .as_primitive_opt::<Float32Type>()
        .ok_or_else(|| StageError::new(format!("column `{name}` does not hold Float32")))?;
    Ok((dim, values.values().to_vec()))
}

/// `(id Int64, embedding FixedSizeList<Float32, dim>)`.
pub fn embeddings_table(ids: &[i64], dim: usize, data: &[f32]) -> Result<RecordBatch, StageError> {
    let schema = Schema::new(vec![Field::new("id", DataType::Int64, false), vector_field("embedding", dim)]);
    RecordBatch::try_new(Arc::new(schema), vec![Arc::new(Int64Array::from(ids.to_vec())), vector_array(dim, data)?])
        .map_err(|e| StageError::wrap("building the embeddings table", e))
}

pub fn batch(fields: Vec<Field>, columns: Vec<ArrayRef>, what: &str) -> Result<RecordBatch, StageError> {
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| StageError::wrap(format!("building the {what} table"), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeddings_round_trip() {
        let t = embeddings_table(&[7, 9], 3, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
        assert_eq!(i64s(&t, "id").unwrap(), [7, 9]);
        assert_eq!(vectors(&t, "embedding").unwrap(), (3, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
        assert!(i64s(&t, "nope").unwrap_err().message.contains("no column `nope`"));
    }

    #[test]
    fn string_lists_round_trip() {
        let rows = vec![vec!["a".to_string(), "b".to_string()], vec![]];
        let t = batch(vec![string_list_field("tags")], vec![string_list_array(&rows)], "test").unwrap();
        assert_eq!(string_lists(&t, "tags").unwrap(), rows);
    }
}
