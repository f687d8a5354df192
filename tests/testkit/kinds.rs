//! Test-only node kinds. Each run appends `<node>` to `$T2D_TESTKIT_LOG` so tests can count runs.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use arrow::array::{Array, Int64Array, RecordBatch};
use arrow::datatypes::{DataType, Field, Schema};
use t2d::engine::{
    Artifact, ArtifactKind, BundleFile, InputSlot, Inputs, OutputSlot, Outputs, ParamSpec, Registry, Stage,
    StageContext, StageError,
};

pub fn registry() -> Registry {
    Registry::new().with(Numbers).with(Scale).with(Sum).with(Files).with(Swatches).with(Squares)
}

fn note_run(ctx: &StageContext) -> Result<(), StageError> {
    let p = ctx.params;
    if let Ok(ms) = p.int("sleep_ms") {
        std::thread::sleep(std::time::Duration::from_millis(ms as u64));
    }
    if let Ok(path) = std::env::var("T2D_TESTKIT_LOG") {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| StageError::new(e.to_string()))?;
        writeln!(f, "{}", ctx.node).map_err(|e| StageError::new(e.to_string()))?;
    }
    if p.bool("fail").unwrap_or(false) {
        return Err(StageError::new(format!("node {} was told to fail", ctx.node)).with_help("set fail: false"));
    }
    Ok(())
}

fn common() -> Vec<ParamSpec> {
    vec![
        ParamSpec::int("sleep_ms").min(0.0).default(0).doc("pause before finishing (crash tests)"),
        ParamSpec::boolean("fail").default(false).doc("fail on purpose"),
        ParamSpec::string("note").default("-").doc("enters the key but not the output (early cutoff)"),
        ParamSpec::int("batch").default(8).execution_only().doc("changes how, not what: stays out of the key"),
    ]
}

fn table(values: Vec<i64>) -> Artifact {
    let schema = Arc::new(Schema::new(vec![Field::new("value", DataType::Int64, false)]));
    Artifact::Table(RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from(values))]).expect("valid batch"))
}

fn values(inputs: &Inputs, slot: &str) -> Result<Vec<i64>, StageError> {
    let batch = inputs.table(slot)?;
    let col = batch.column(0).as_any().downcast_ref::<Int64Array>().ok_or_else(|| StageError::new("expected Int64"))?;
    Ok((0..col.len()).map(|i| col.value(i)).collect())
}

fn out(name: &str, a: Artifact) -> Outputs {
    BTreeMap::from([(name.to_string(), a)])
}

/// `count` numbers starting at `start`.
struct Numbers;
impl Stage for Numbers {
    fn kind(&self) -> &'static str {
        "numbers"
    }
    fn version(&self) -> u32 {
        1
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![OutputSlot::new("values", ArtifactKind::Table)]
    }
    fn params(&self) -> Vec<ParamSpec> {
        let mut p = vec![ParamSpec::int("count").range(0.0, 1e7).default(5), ParamSpec::int("start").default(0)];
        p.extend(common());
        p
    }
    fn check(&self, params: &t2d::engine::Params) -> Vec<(String, String)> {
        match (params.int("count"), params.int("start")) {
            (Ok(c), Ok(s)) if s > c * 1000 => {
                vec![("start".into(), format!("start ({s}) must be at most 1000 × count"))]
            }
            _ => vec![],
        }
    }
    fn run(&self, ctx: &StageContext, _inputs: &Inputs) -> Result<Outputs, StageError> {
        note_run(ctx)?;
        let (count, start) = (ctx.params.int("count")?, ctx.params.int("start")?);
        Ok(out("values", table((start..start + count).collect())))
    }
}

/// Multiplies every value by `factor` (rounded).
struct Scale;
impl Stage for Scale {
    fn kind(&self) -> &'static str {
        "scale"
    }
    fn version(&self) -> u32 {
        1
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![InputSlot { name: "values", doc: "" }]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![OutputSlot::new("values", ArtifactKind::Table)]
    }
    fn params(&self) -> Vec<ParamSpec> {
        let mut p = vec![ParamSpec::float("factor").range(-1e6, 1e6).default(2.0)];
        p.extend(common());
        p
    }
    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        note_run(ctx)?;
        let factor = ctx.params.float("factor")?;
        Ok(out(
            "values",
            table(values(inputs, "values")?.into_iter().map(|v| (v as f64 * factor).round() as i64).collect()),
        ))
    }
}

/// Sums two tables into a JSON document.
struct Sum;
impl Stage for Sum {
    fn kind(&self) -> &'static str {
        "sum"
    }
    fn version(&self) -> u32 {
        1
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![InputSlot { name: "left", doc: "" }, InputSlot { name: "right", doc: "" }]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![OutputSlot::new("total", ArtifactKind::Json)]
    }
    fn params(&self) -> Vec<ParamSpec> {
        common()
    }
    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        note_run(ctx)?;
        let total: i64 = values(inputs, "left")?.iter().chain(values(inputs, "right")?.iter()).sum();
        Ok(out("total", Artifact::Json(serde_json::json!({ "total": total }))))
    }
}

/// Lists the files of a folder (exercises external fingerprints).
struct Files;
impl Stage for Files {
    fn kind(&self) -> &'static str {
        "files"
    }
    fn version(&self) -> u32 {
        1
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![OutputSlot::new("sizes", ArtifactKind::Table)]
    }
    fn params(&self) -> Vec<ParamSpec> {
        let mut p = vec![ParamSpec::path("dir").doc("folder to list")];
        p.extend(common());
        p
    }
    fn run(&self, ctx: &StageContext, _inputs: &Inputs) -> Result<Outputs, StageError> {
        note_run(ctx)?;
        let dir = ctx.path("dir")?;
        let mut sizes: Vec<i64> = std::fs::read_dir(&dir)
            .map_err(|e| StageError::wrap(dir.display(), e))?
            .filter_map(|e| e.ok()?.metadata().ok().map(|m| m.len() as i64))
            .collect();
        sizes.sort();
        Ok(out("sizes", table(sizes)))
    }
}

/// One small PNG per value (exercises bundles and publishing).
struct Swatches;
impl Stage for Swatches {
    fn kind(&self) -> &'static str {
        "swatches"
    }
    fn version(&self) -> u32 {
        1
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![InputSlot { name: "values", doc: "" }]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![OutputSlot::new("images", ArtifactKind::Bundle).publish_at("gallery")]
    }
    fn params(&self) -> Vec<ParamSpec> {
        common()
    }
    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        note_run(ctx)?;
        let mut files = BTreeMap::new();
        for v in values(inputs, "values")? {
            let img = image::RgbImage::from_pixel(4, 4, image::Rgb([(v * 37 % 256) as u8, 0, 0]));
            let bytes = t2d::engine::artifact::encode_png(&img).map_err(|e| StageError::new(e.to_string()))?;
            files.insert(format!("v{v}.png"), BundleFile { kind: ArtifactKind::Png, bytes });
        }
        Ok(out("images", Artifact::Bundle(files)))
    }
}

/// Squares each value through the per-item memo; logs `squares computed N` (memo test).
struct Squares;
impl Stage for Squares {
    fn kind(&self) -> &'static str {
        "squares"
    }
    fn version(&self) -> u32 {
        1
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![InputSlot { name: "values", doc: "" }]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![OutputSlot::new("values", ArtifactKind::Table)]
    }
    fn params(&self) -> Vec<ParamSpec> {
        common()
    }
    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        note_run(ctx)?;
        let values = values(inputs, "values")?;
        let keys: Vec<[u8; 32]> = values.iter().map(|v| *blake3::hash(&v.to_le_bytes()).as_bytes()).collect();
        let known = ctx.memo_get(&keys)?;
        let mut fresh = Vec::new();
        let squares: Vec<i64> = values
            .iter()
            .zip(&keys)
            .zip(known)
            .map(|((v, k), hit)| match hit {
                Some(bytes) => i64::from_le_bytes(bytes.try_into().unwrap_or_default()),
                None => {
                    fresh.push((*k, (v * v).to_le_bytes().to_vec()));
                    v * v
                }
            })
            .collect();
        ctx.memo_put(&fresh)?;
        if let Ok(path) = std::env::var("T2D_TESTKIT_LOG") {
            let mut f =
                std::fs::OpenOptions::new().append(true).open(path).map_err(|e| StageError::new(e.to_string()))?;
            writeln!(f, "squares computed {}", fresh.len()).map_err(|e| StageError::new(e.to_string()))?;
        }
        Ok(out("values", table(squares)))
    }
}
