//! The prompt node's table, as the design stages read it: each cluster's prompt and the tags
//! (colours, garments) that refining draws on.

use std::collections::BTreeMap;

use arrow::array::RecordBatch;

use crate::engine::StageError;
use crate::stages::tables::{i32s, string_lists, strings};

/// Cluster → prompt, in cluster order.
pub fn prompt_texts(table: &RecordBatch) -> Result<BTreeMap<i32, String>, StageError> {
    let clusters = i32s(table, "cluster")?;
    let prompts = strings(table, "prompt")?;
    let mut out = BTreeMap::new();
    for (cluster, prompt) in clusters.into_iter().zip(prompts) {
        if out.insert(cluster, prompt).is_some() {
            return Err(StageError::new(format!("the prompts table has two rows for cluster {cluster}")));
        }
    }
    Ok(out)
}

/// Cluster → the tags of a `List<Utf8>` column (`colors`, `garments`, …).
pub fn tags(table: &RecordBatch, column: &str) -> Result<BTreeMap<i32, Vec<String>>, StageError> {
    Ok(i32s(table, "cluster")?.into_iter().zip(string_lists(table, column)?).collect())
}
