//! Runs the design stages as the scheduler does (`run_job` against a store and an item memo),
//! on hand-written upstream tables and the tiny models, for the stages' tests.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{ArrayRef, Int32Array, Int64Array, RecordBatch};
use arrow::datatypes::{DataType, Field};

use crate::engine::artifact::{decode_table, encode_table};
use crate::engine::digest::{ContentDigest, NodeKey};
use crate::engine::job::{run_job, Job, Workspace};
use crate::engine::key::KeyComponents;
use crate::engine::memo::Memo;
use crate::engine::store::{ArtifactRef, LocalStore, Store, FORMAT_VERSION};
use crate::engine::{ParamType, Stage, StageError, Value};
use crate::stages::prompt::{prompts_table as prompt_table, PromptRow};
use crate::stages::tables::{batch, vector_array, vector_field};
use crate::trends::PromptParts;

pub const SD_TINY: &str = "models/sd-turbo-tiny";
pub const CLIP_TINY: &str = "models/clip-tiny";

pub struct Bench {
    _dir: tempfile::TempDir,
    pub store: LocalStore,
    pub memo: Memo,
}

impl Bench {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = LocalStore::open(dir.path().join("cache")).expect("store");
        let memo = Memo::open(&dir.path().join("memo.sqlite")).expect("memo");
        Self { _dir: dir, store, memo }
    }

    pub fn put_table(&self, table: &RecordBatch) -> ArtifactRef {
        let bytes = encode_table(table).expect("parquet");
        let digest = self.store.put_object(&bytes).expect("put");
        ArtifactRef { kind: crate::engine::ArtifactKind::Table, digest, size: bytes.len() as u64, members: None }
    }

    pub fn table(&self, r: &ArtifactRef) -> RecordBatch {
        decode_table(self.store.read_object(&r.digest, r.size).expect("object")).expect("table")
    }

    /// A bundle's files, by name.
    pub fn files(&self, r: &ArtifactRef) -> BTreeMap<String, Vec<u8>> {
        let members = r.members.clone().unwrap_or_default();
        members.into_iter().map(|(n, m)| (n, self.store.read_object(&m.digest, m.size).expect("member"))).collect()
    }

    pub fn bytes(&self, r: &ArtifactRef) -> Vec<u8> {
        self.store.read_object(&r.digest, r.size).expect("object")
    }

    /// Items in the memo of a node kind (`generate`, `score`, `refine`).
    pub fn memo_items(&self, kind: &str) -> u64 {
        self.memo.count(&format!("{kind}/v1")).expect("memo count")
    }

    /// Runs `stage` with its defaults overridden by `params`; each model folder param is keyed by its
    /// path text (or by `model_digests`), standing in for the folder's content digest.
    pub fn run(
        &self,
        stage: &dyn Stage,
        inputs: &[(&str, &ArtifactRef)],
        params: &[(&str, Value)],
        model_digests: &[(&str, &str)],
    ) -> Result<BTreeMap<String, ArtifactRef>, StageError> {
        let mut resolved: BTreeMap<String, Value> =
            stage.params().into_iter().filter_map(|s| Some((s.name.to_string(), s.default?))).collect();
        for (name, value) in params {
            resolved.insert(name.to_string(), value.clone());
        }
        let externals = stage
            .params()
            .iter()
            .filter(|s| matches!(s.ty, ParamType::Path))
            .map(|s| {
                let path = resolved.get(s.name).and_then(Value::as_str).unwrap_or_default().to_string();
                let keyed = model_digests.iter().find(|(n, _)| *n == s.name).map_or(path, |(_, d)| d.to_string());
                (s.name.to_string(), ContentDigest::of(keyed.as_bytes()))
            })
            .collect();
        let inputs: BTreeMap<String, ArtifactRef> = inputs.iter().map(|(n, r)| (n.to_string(), (*r).clone())).collect();
        let components = KeyComponents {
            format: FORMAT_VERSION,
            kind: stage.kind().into(),
            stage_version: stage.version(),
            params: resolved.clone(),
            inputs: inputs.iter().map(|(n, r)| (n.clone(), r.digest)).collect(),
            externals,
        };
        let job = Job {
            pipeline: "test".into(),
            node: stage.kind().into(),
            key: NodeKey::of(&serde_json::to_vec(&components).expect("json")),
            components,
            params: resolved,
            inputs,
            threads: 2,
        };
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let ws = Workspace { store: &self.store, memo: Some(&self.memo), root, bars: None };
        Ok(run_job(stage, &job, &ws)?.outputs)
    }
}

pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The prompt node's table for `prompts.len()` clusters (colours and garments empty for the last),
/// written by the prompt node's own writer.
pub fn prompts_table(prompts: &[&str]) -> RecordBatch {
    let n = prompts.len();
    let rows: Vec<PromptRow> = prompts
        .iter()
        .enumerate()
        .map(|(i, prompt)| {
            let tags = |full: &[&str]| if i + 1 < n { strings(full) } else { Vec::new() };
            let parts = PromptParts {
                colors: tags(&["white", "black"]),
                styles: tags(&["chic"]),
                garments: tags(&["blazer", "handbag"]),
                textures: tags(&["linen"]),
                adjectives: tags(&["clean", "bold"]),
            };
            (i as i32, 10, prompt.to_string(), parts, BTreeMap::new())
        })
        .collect();
    prompt_table(&rows).expect("prompts table")
}

/// The cluster node's table: `n` clusters with fixed, un-normalised 16-d centroids (the tiny CLIP's size).
pub fn clusters_table(n: usize) -> RecordBatch {
    let dim = 16;
    let data: Vec<f32> = (0..n * dim).map(|i| ((i * 7919 % 23) as f32 - 11.0) / 5.0).collect();
    let fields = vec![
        Field::new("cluster", DataType::Int32, false),
        Field::new("size", DataType::Int64, false),
        vector_field("centroid", dim),
    ];
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int32Array::from((0..n as i32).collect::<Vec<_>>())),
        Arc::new(Int64Array::from(vec![10; n])),
        vector_array(dim, &data).expect("vectors"),
    ];
    batch(fields, columns, "clusters").expect("clusters table")
}

pub const PROMPTS: [&str; 3] = [
    "chic, vintage blazer, handbag in white, black, linen texture, clean, bold, fashion design sheet",
    "smart casual, preppy t-shirt, shirt in white, beige, cotton texture, fitted, subtle, fashion design sheet",
    "streetwear sneakers, boots in black, leather texture, bold, layered, fashion design sheet",
];

/// Small, fast generation settings for the tiny SD-Turbo.
pub fn small() -> Vec<(&'static str, Value)> {
    vec![("width", Value::Int(64)), ("height", Value::Int(96)), ("steps", Value::Int(2))]
}

/// prompt → generate with the tiny SD-Turbo and `small()` settings, as the pipeline wires them:
/// score's inputs by slot (`prompts`, `clusters` with `clusters` centroids, `generations`, `images`).
pub fn generated(bench: &Bench, clusters: usize) -> BTreeMap<&'static str, ArtifactRef> {
    let prompts = bench.put_table(&prompts_table(&PROMPTS));
    let mut p = vec![("model", Value::from(SD_TINY))];
    p.extend(small());
    let out = bench.run(&crate::stages::generate::Generate, &[("prompts", &prompts)], &p, &[]).expect("generate");
    BTreeMap::from([
        ("prompts", prompts),
        ("clusters", bench.put_table(&clusters_table(clusters))),
        ("generations", out["generations"].clone()),
        ("images", out["images"].clone()),
    ])
}

/// The map's entries as a stage's input list.
pub fn slots<'a>(refs: &'a BTreeMap<&'static str, ArtifactRef>) -> Vec<(&'static str, &'a ArtifactRef)> {
    refs.iter().map(|(name, r)| (*name, r)).collect()
}
