//! `sample`: reads a catalogue in the Kaggle layout and draws the seed's stratified sample.
//!
//! The sampled photos are copied into the store (a hidden bundle), so downstream nodes key on
//! image content and never read the dataset folder again.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, Int32Builder, Int64Builder, RecordBatch, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema};
use rayon::prelude::*;
use serde_json::json;

use crate::catalogue::{sample, Catalogue, Column, Product, SampleSpec};
use crate::engine::{
    Artifact, ArtifactKind, BundleFile, External, InputSlot, Inputs, OutputSlot, Outputs, ParamSpec, ParamType, Params,
    Stage, StageContext, StageError, Value,
};

pub struct Sample;

const DATASET_HELP: &str = "point `dataset` at a folder with styles.csv and images/ (Kaggle's Fashion Product Images \
                            (Small)), or make a synthetic one with `t2d dataset synth --out data/demo --n 600`";

impl Stage for Sample {
    fn kind(&self) -> &'static str {
        "sample"
    }
    fn version(&self) -> u32 {
        1
    }
    fn doc(&self) -> &'static str {
        "stratified sample of a Kaggle-layout catalogue (styles.csv + images/{id}.jpg)"
    }
    fn inputs(&self) -> Vec<InputSlot> {
        Vec::new()
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![
            OutputSlot::new("items", ArtifactKind::Table).doc("sampled rows: styles columns, image name and digest"),
            OutputSlot::new("images", ArtifactKind::Bundle).hidden().doc("the sampled photos, by image name"),
            OutputSlot::new("ingest", ArtifactKind::Json).doc("rows read, malformed rows, missing images, strata"),
        ]
    }
    fn params(&self) -> Vec<ParamSpec> {
        vec![
            ParamSpec::path("dataset").doc("folder with styles.csv and images/"),
            ParamSpec::int("n").range(1.0, 1e8).default(4000).doc("sample size"),
            ParamSpec::list("strata", ParamType::Str)
                .default(vec!["articleType", "baseColour", "gender"])
                .doc("columns whose combinations are sampled proportionally (absent columns are skipped)"),
            ParamSpec::int("seed").min(0.0).default(42),
            ParamSpec::new("filters", ParamType::Map(Box::new(ParamType::List(Box::new(ParamType::Str)))))
                .default(Value::Map(BTreeMap::new()))
                .doc("column → allowed values, applied before sampling"),
        ]
    }
    fn check(&self, params: &Params) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        for name in params.strings("strata").unwrap_or_default() {
            if Column::from_name(&name).is_none() {
                problems.push(("strata".into(), format!("unknown styles.csv column `{name}`; {}", known_columns())));
            }
        }
        if let Some(Value::Map(filters)) = params.get("filters") {
            for name in filters.keys().filter(|n| Column::from_name(n).is_none()) {
                problems.push(("filters".into(), format!("unknown styles.csv column `{name}`; {}", known_columns())));
            }
        }
        problems
    }
    fn externals(&self, params: &Params) -> Vec<External> {
        let path = params.str("dataset").unwrap_or_default();
        vec![External { param: "dataset".into(), path: path.into(), help: Some(DATASET_HELP.into()) }]
    }

    fn run(&self, ctx: &StageContext, _inputs: &Inputs) -> Result<Outputs, StageError> {
        let dataset = ctx.path("dataset")?;
        let catalogue =
            Catalogue::load(&dataset).map_err(|e| StageError::new(e.to_string()).with_help(DATASET_HELP))?;
        report_ingest(ctx, &catalogue);
        let spec = sample_spec(ctx.params)?;
        let drawn = sample(&catalogue, &spec).map_err(|e| StageError::new(e.to_string()))?;
        let products: Vec<&Product> = drawn.products(&catalogue).collect();

        let bar = ctx.progress(products.len() as u64, "reading photos");
        let photos: Vec<(String, Vec<u8>)> = products
            .par_iter()
            .map(|p| {
                let bytes = std::fs::read(&p.image)
                    .map_err(|e| StageError::wrap(format!("reading {}", p.image.display()), e))?;
                bar.inc(1);
                Ok((image_name(p), bytes))
            })
            .collect::<Result<_, StageError>>()?;
        bar.finish_and_clear();

        let items = items_table(&products, &photos)?;
        let ingest = json!({
            "rows_read": catalogue.report.rows_read,
            "malformed": {"count": catalogue.report.malformed.count, "first_lines": catalogue.report.malformed.first.iter().map(|m| m.line).collect::<Vec<_>>()},
            "short_rows": {"count": catalogue.report.short_rows.count, "first_lines": catalogue.report.short_rows.first},
            "duplicate_ids": {"count": catalogue.report.duplicate_ids.count, "first": catalogue.report.duplicate_ids.first},
            "missing_images": {"count": catalogue.report.missing_images.count, "first_ids": catalogue.report.missing_images.first},
            "products": catalogue.report.products,
            "population": drawn.population,
            "sampled": products.len(),
            "drawn": drawn.drawn,
            "topped_up": drawn.topped_up,
            "strata_columns": drawn.strata_columns.iter().map(|c| c.name()).collect::<Vec<_>>(),
            "strata": drawn.strata.len(),
        });
        let bundle =
            photos.into_iter().map(|(name, bytes)| (name, BundleFile { kind: ArtifactKind::Jpeg, bytes })).collect();
        Ok(BTreeMap::from([
            ("items".to_string(), Artifact::Table(items)),
            ("images".to_string(), Artifact::Bundle(bundle)),
            ("ingest".to_string(), Artifact::Json(ingest)),
        ]))
    }
}

fn known_columns() -> String {
    format!("columns: {}", Column::ALL.iter().map(|c| c.name()).collect::<Vec<_>>().join(", "))
}

fn sample_spec(params: &Params) -> Result<SampleSpec, StageError> {
    let strata: Vec<Column> = params.strings("strata")?.iter().filter_map(|n| Column::from_name(n)).collect();
    let mut spec = SampleSpec::new(params.usize("n")?, params.int("seed")? as u64).with_strata(strata);
    if let Some(Value::Map(filters)) = params.get("filters") {
        for (column, allowed) in filters {
            let column =
                Column::from_name(column).ok_or_else(|| StageError::new(format!("unknown column `{column}`")))?;
            let values: Vec<String> = allowed.as_list().unwrap_or_default().iter().map(|v| v.to_string()).collect();
            spec = spec.with_filter(column, values);
        }
    }
    Ok(spec)
}

fn report_ingest(ctx: &StageContext, catalogue: &Catalogue) {
    let r = &catalogue.report;
    if r.malformed.count > 0 {
        let lines: Vec<String> = r.malformed.first.iter().take(5).map(|m| m.line.to_string()).collect();
        ctx.warn(format!(
            "styles.csv: skipped {} malformed row(s) (lines {}…), as pandas on_bad_lines=\"skip\"",
            r.malformed.count,
            lines.join(", ")
        ));
    }
    if r.missing_images.count > 0 {
        let ids: Vec<String> = r.missing_images.first.iter().take(5).map(|i| i.to_string()).collect();
        ctx.warn(format!("dropped {} row(s) whose id has no image (ids {}…)", r.missing_images.count, ids.join(", ")));
    }
    if r.duplicate_ids.count > 0 {
        ctx.warn(format!("dropped {} row(s) repeating an earlier id", r.duplicate_ids.count));
    }
}

/// The photo's name inside the bundle: `{id}.{ext}`.
fn image_name(p: &Product) -> String {
    let ext = p.image.extension().and_then(|e| e.to_str()).unwrap_or("jpg");
    format!("{}.{ext}", p.style.id)
}

fn items_table(products: &[&Product], photos: &[(String, Vec<u8>)]) -> Result<RecordBatch, StageError> {
    let text = |c: Column| {
        let mut b = StringBuilder::new();
        for p in products {
            b.append_option(p.style.value(c).map(|v| v.to_string()));
        }
        Arc::new(b.finish()) as ArrayRef
    };
    let mut ids = Int64Builder::new();
    let mut years = Int32Builder::new();
    let mut names = StringBuilder::new();
    let mut digests = StringBuilder::new();
    for (p, (name, bytes)) in products.iter().zip(photos) {
        ids.append_value(p.style.id);
        years.append_option(p.style.year);
        names.append_value(name);
        digests.append_value(blake3::hash(bytes).to_hex().as_str());
    }
    let text_columns = [
        Column::Gender,
        Column::MasterCategory,
        Column::SubCategory,
        Column::ArticleType,
        Column::BaseColour,
        Column::Season,
    ];
    let mut fields = vec![Field::new("id", DataType::Int64, false)];
    let mut columns: Vec<ArrayRef> = vec![Arc::new(ids.finish())];
    for c in text_columns {
        fields.push(Field::new(c.name(), DataType::Utf8, true));
        columns.push(text(c));
    }
    fields.push(Field::new("year", DataType::Int32, true));
    columns.push(Arc::new(years.finish()));
    for c in [Column::Usage, Column::ProductDisplayName] {
        fields.push(Field::new(c.name(), DataType::Utf8, true));
        columns.push(text(c));
    }
    fields.push(Field::new("image", DataType::Utf8, false));
    columns.push(Arc::new(names.finish()));
    fields.push(Field::new("image_digest", DataType::Utf8, false));
    columns.push(Arc::new(digests.finish()));
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| StageError::wrap("building the items table", e))
}
