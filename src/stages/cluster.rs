//! `cluster`: the seed's trend discovery — KMeans with K chosen by silhouette over a range,
//! backing off K while any cluster is smaller than `min_cluster_size`.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array};
use arrow::datatypes::{DataType, Field};
use ndarray::ArrayView2;

use super::tables::{batch, i64s, vector_array, vector_field, vectors};
use crate::engine::{
    Artifact, ArtifactKind, InputSlot, Inputs, OutputSlot, Outputs, ParamSpec, Params, Stage, StageContext, StageError,
};
use crate::trends::{pick_k_auto, AutoK, AutoKParams};

pub struct Cluster;

impl Stage for Cluster {
    fn kind(&self) -> &'static str {
        "cluster"
    }
    fn version(&self) -> u32 {
        1
    }
    fn doc(&self) -> &'static str {
        "KMeans on the embeddings, K chosen by silhouette in k_min..=k_max, backed off while a cluster is too small"
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![InputSlot { name: "embeddings", doc: "table (id, embedding)" }]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![
            OutputSlot::new("labels", ArtifactKind::Table).doc("id → cluster"),
            OutputSlot::new("clusters", ArtifactKind::Table).doc("cluster, size, centroid"),
            OutputSlot::new("k_selection", ArtifactKind::Table).doc("silhouette per K, the chosen K, size refits"),
        ]
    }
    fn params(&self) -> Vec<ParamSpec> {
        vec![
            ParamSpec::int("k_min").range(2.0, 1000.0).default(6),
            ParamSpec::int("k_max").range(2.0, 1000.0).default(10),
            ParamSpec::int("min_cluster_size")
                .range(1.0, 1e9)
                .default(50)
                .doc("K is lowered while a cluster is smaller"),
            ParamSpec::int("silhouette_sample")
                .range(2.0, 1e9)
                .default(4000)
                .doc("points scored per K (random subsample)"),
            ParamSpec::int("seed").min(0.0).default(42),
            ParamSpec::choice("metric", &["euclidean"])
                .default("euclidean")
                .doc("silhouette distance (sklearn's default)"),
        ]
    }
    fn check(&self, params: &Params) -> Vec<(String, String)> {
        match (params.int("k_min"), params.int("k_max")) {
            (Ok(lo), Ok(hi)) if lo > hi => vec![("k_min".into(), format!("k_min ({lo}) must not exceed k_max ({hi})"))],
            _ => Vec::new(),
        }
    }

    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        let table = inputs.table("embeddings")?;
        let ids = i64s(&table, "id")?;
        let (dim, data) = vectors(&table, "embedding")?;
        let x = ArrayView2::from_shape((ids.len(), dim), &data).map_err(|e| StageError::wrap("embeddings", e))?;
        let p = ctx.params;
        let params = AutoKParams {
            k_min: p.usize("k_min")?,
            k_max: p.usize("k_max")?,
            min_cluster_size: p.usize("min_cluster_size")?,
            silhouette_sample: p.usize("silhouette_sample")?,
            seed: p.int("seed")? as u64,
            ..AutoKParams::default()
        };
        let fit = pick_k_auto(x, &params).map_err(|e| {
            StageError::new(format!("clustering {} embeddings: {e}", ids.len()))
                .with_help("lower k_min/k_max, or sample more items (sample.n)")
        })?;
        if fit.size_refits > 0 {
            ctx.warn(format!(
                "K lowered {} time(s) because a cluster had fewer than {} items",
                fit.size_refits, params.min_cluster_size
            ));
        }
        Ok(BTreeMap::from([
            ("labels".to_string(), Artifact::Table(labels_table(&ids, &fit)?)),
            ("clusters".to_string(), Artifact::Table(clusters_table(&fit, dim)?)),
            ("k_selection".to_string(), Artifact::Table(selection_table(&fit)?)),
        ]))
    }
}

fn labels_table(ids: &[i64], fit: &AutoK) -> Result<arrow::array::RecordBatch, StageError> {
    let labels: Vec<i32> = fit.labels.iter().map(|l| *l as i32).collect();
    batch(
        vec![Field::new("id", DataType::Int64, false), Field::new("cluster", DataType::Int32, false)],
        vec![Arc::new(Int64Array::from(ids.to_vec())), Arc::new(Int32Array::from(labels))],
        "labels",
    )
}

fn clusters_table(fit: &AutoK, dim: usize) -> Result<arrow::array::RecordBatch, StageError> {
    let centroids: Vec<f32> = fit.centroids.iter().copied().collect();
    batch(
        vec![
            Field::new("cluster", DataType::Int32, false),
            Field::new("size", DataType::Int64, false),
            vector_field("centroid", dim),
        ],
        vec![
            Arc::new(Int32Array::from((0..fit.k as i32).collect::<Vec<_>>())),
            Arc::new(Int64Array::from(fit.sizes.iter().map(|s| *s as i64).collect::<Vec<_>>())),
            vector_array(dim, &centroids)?,
        ],
        "clusters",
    )
}

fn selection_table(fit: &AutoK) -> Result<arrow::array::RecordBatch, StageError> {
    let c = &fit.candidates;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int32Array::from(c.iter().map(|k| k.k as i32).collect::<Vec<_>>())),
        Arc::new(Float64Array::from(c.iter().map(|k| k.silhouette).collect::<Vec<_>>())),
        Arc::new(BooleanArray::from(c.iter().map(|k| k.best_silhouette).collect::<Vec<_>>())),
        Arc::new(BooleanArray::from(c.iter().map(|k| k.fitted_on_all).collect::<Vec<_>>())),
        Arc::new(Int64Array::from(c.iter().map(|k| k.smallest_cluster.map(|s| s as i64)).collect::<Vec<_>>())),
        Arc::new(BooleanArray::from(c.iter().map(|k| k.chosen).collect::<Vec<_>>())),
        Arc::new(Int32Array::from(vec![fit.size_refits as i32; c.len()])),
        Arc::new(Int64Array::from(vec![fit.sample_size as i64; c.len()])),
    ];
    batch(
        vec![
            Field::new("k", DataType::Int32, false),
            Field::new("silhouette", DataType::Float64, true),
            Field::new("best_silhouette", DataType::Boolean, false),
            Field::new("fitted_on_all", DataType::Boolean, false),
            Field::new("smallest_cluster", DataType::Int64, true),
            Field::new("chosen", DataType::Boolean, false),
            Field::new("size_refits", DataType::Int32, false),
            Field::new("sample_size", DataType::Int64, false),
        ],
        columns,
        "k_selection",
    )
}
