//! `prompt`: one text prompt per cluster, as the seed builds it — dominant colours of up to
//! 12 member photos, zero-shot CLIP tags ranked against the centroid, seeded adjectives, and
//! the template.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{Int32Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field};
use ndarray::{Array2, ArrayView1, ArrayView3};
use rayon::prelude::*;
use serde_json::json;

use super::model_params::{check_device, device_param, load_clip, model_external, model_param, CLIP_HELP};
use super::tables::{batch, i32s, i64s, string_list_array, string_list_field, strings, vectors};
use crate::engine::{
    Artifact, ArtifactKind, External, InputSlot, Inputs, OutputSlot, Outputs, ParamSpec, ParamType, Params, Stage,
    StageContext, StageError, Value,
};
use crate::imaging::{resize_pil, ClipPreprocess, DecodeLimits, Filter};
use crate::models::ClipModel;
use crate::trends::{
    choose_without_replacement, dominant_colour, most_common, rank_tags, BackgroundRule, DominantColourOptions,
    PromptParts, PromptTemplate, DEFAULT_TEMPLATE,
};

const STYLES: &[&str] = &[
    "streetwear",
    "minimalist",
    "bohemian",
    "vintage",
    "formal",
    "casual",
    "sporty",
    "elegant",
    "grunge",
    "preppy",
    "retro",
    "chic",
    "y2k",
    "avant-garde",
    "classic",
    "smart casual",
    "business casual",
];
const GARMENTS: &[&str] = &[
    "dress",
    "blazer",
    "jacket",
    "t-shirt",
    "shirt",
    "jeans",
    "trousers",
    "skirt",
    "sneakers",
    "heels",
    "boots",
    "hoodie",
    "sweater",
    "coat",
    "handbag",
    "scarf",
    "sunglasses",
];
const TEXTURES: &[&str] = &[
    "denim", "leather", "silk", "satin", "linen", "wool", "knit", "cotton", "velvet", "lace", "sequin", "mesh",
    "pleated",
];
const ADJECTIVES: &[&str] = &[
    "clean",
    "sleek",
    "tailored",
    "oversized",
    "fitted",
    "flowy",
    "layered",
    "structured",
    "monochrome",
    "patterned",
    "bold",
    "subtle",
];

pub struct Prompt;

impl Stage for Prompt {
    fn kind(&self) -> &'static str {
        "prompt"
    }
    fn version(&self) -> u32 {
        1
    }
    fn doc(&self) -> &'static str {
        "one prompt per cluster: dominant colours, zero-shot CLIP tags, adjectives, template"
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![
            InputSlot { name: "items", doc: "sample.items" },
            InputSlot { name: "images", doc: "sample.images" },
            InputSlot { name: "embeddings", doc: "embed.embeddings" },
            InputSlot { name: "labels", doc: "cluster.labels" },
        ]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![
            OutputSlot::new("prompts", ArtifactKind::Table)
                .doc("cluster, size, colors, styles, garments, textures, adjectives, prompt"),
            OutputSlot::new("base_prompts", ArtifactKind::Json).publish_at("prompts/base_prompts.json"),
        ]
    }
    fn params(&self) -> Vec<ParamSpec> {
        let list = |name, default: &[&'static str]| ParamSpec::list(name, ParamType::Str).default(default.to_vec());
        vec![
            model_param("model", "models/clip-vit-b32", "CLIP model folder (text tower ranks the tags)"),
            device_param(),
            list("styles", STYLES),
            list("garments", GARMENTS),
            list("textures", TEXTURES),
            list("adjectives", ADJECTIVES),
            ParamSpec::int("rank_styles").range(1.0, 100.0).default(3),
            ParamSpec::int("rank_garments").range(1.0, 100.0).default(3),
            ParamSpec::int("rank_textures").range(1.0, 100.0).default(2),
            ParamSpec::int("use_adjectives").range(0.0, 100.0).default(2),
            ParamSpec::int("colour_images")
                .range(1.0, 1000.0)
                .default(12)
                .doc("member photos whose dominant colour is counted"),
            ParamSpec::boolean("ignore_background")
                .default(false)
                .doc("drop near-white border pixels before the colour KMeans"),
            ParamSpec::string("template").default(DEFAULT_TEMPLATE),
            ParamSpec::int("seed").min(0.0).default(42),
            ParamSpec::new("overrides", ParamType::Map(Box::new(ParamType::Str)))
                .default(Value::Map(BTreeMap::new()))
                .doc("hand-written prompts by cluster id, e.g. {\"2\": \"...\"}: only those clusters' designs change"),
        ]
    }
    fn check(&self, params: &Params) -> Vec<(String, String)> {
        let mut problems = check_device(params);
        if let Ok(template) = params.str("template") {
            if let Err(e) = PromptTemplate::parse(template) {
                problems.push(("template".into(), e.to_string()));
            }
        }
        for list in ["styles", "garments", "textures"] {
            if params.strings(list).is_ok_and(|l| l.is_empty()) {
                problems.push((list.into(), format!("`{list}` needs at least one tag")));
            }
        }
        problems.extend(overrides(params).err().map(|e| ("overrides".to_string(), e.message)));
        problems
    }
    fn externals(&self, params: &Params) -> Vec<External> {
        vec![model_external(params, "model", CLIP_HELP)]
    }

    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        let p = ctx.params;
        let items = inputs.table("items")?;
        let image_of: BTreeMap<i64, String> = i64s(&items, "id")?.into_iter().zip(strings(&items, "image")?).collect();
        let photos = inputs.bundle_index("images")?;
        let emb = inputs.table("embeddings")?;
        let emb_ids = i64s(&emb, "id")?;
        let (dim, data) = vectors(&emb, "embedding")?;
        let labels = inputs.table("labels")?;
        let label_of: BTreeMap<i64, i32> = i64s(&labels, "id")?.into_iter().zip(i32s(&labels, "cluster")?).collect();
        let template = PromptTemplate::parse(p.str("template")?).map_err(|e| StageError::new(e.to_string()))?;

        let clip = load_clip(ctx, "model")?;
        let vocab = |name: &str| -> Result<(Vec<String>, Array2<f32>), StageError> {
            let tags = p.strings(name)?;
            Ok((tags.clone(), text_matrix(&clip, &tags)?))
        };
        let (styles, garments, textures) = (vocab("styles")?, vocab("garments")?, vocab("textures")?);
        let adjectives = p.strings("adjectives")?;
        let seed = p.int("seed")? as u64;

        let mut members: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        for (row, id) in emb_ids.iter().enumerate() {
            if let Some(c) = label_of.get(id) {
                members.entry(*c).or_default().push(row);
            }
        }
        let overrides = overrides(p)?;
        if let Some(absent) = overrides.keys().find(|c| !members.contains_key(c)) {
            ctx.warn(format!("`overrides` names cluster {absent}, which does not exist ({} clusters)", members.len()));
        }
        let mut rows = Vec::new();
        for (cluster, rows_of) in &members {
            let mut centroid = vec![0f32; dim];
            for r in rows_of {
                for (c, x) in centroid.iter_mut().zip(&data[r * dim..(r + 1) * dim]) {
                    *c += x;
                }
            }
            centroid.iter_mut().for_each(|c| *c /= rows_of.len() as f32);
            let ids: Vec<i64> = rows_of.iter().map(|r| emb_ids[*r]).collect();
            let chosen = choose_without_replacement(&ids, ids.len().min(p.usize("colour_images")?), seed)
                .map_err(|e| StageError::new(e.to_string()))?;
            let colours = chosen
                .par_iter()
                .map(|id| {
                    let Some(member) = image_of.get(id).and_then(|name| photos.get(name)) else {
                        return Ok(None);
                    };
                    colour_name(&inputs.read_member(member)?, p.bool("ignore_background")?, seed)
                })
                .collect::<Result<Vec<Option<String>>, StageError>>()?;
            let colours: Vec<String> = colours.into_iter().flatten().collect();
            let rank = |(tags, matrix): &(Vec<String>, Array2<f32>), n: &str| -> Result<Vec<String>, StageError> {
                let order = rank_tags(ArrayView1::from(&centroid), matrix.view(), p.usize(n)?)
                    .map_err(|e| StageError::new(e.to_string()))?;
                Ok(order.into_iter().map(|i| tags[i].clone()).collect())
            };
            let adjs = choose_without_replacement(
                &adjectives,
                adjectives.len().min(p.usize("use_adjectives")?),
                seed + *cluster as u64,
            )
            .map_err(|e| StageError::new(e.to_string()))?;
            let parts = PromptParts::from_seed_rules(
                &rank(&styles, "rank_styles")?,
                &rank(&garments, "rank_garments")?,
                &colours,
                &rank(&textures, "rank_textures")?,
                &adjs,
            );
            let counts: BTreeMap<String, usize> = most_common(&colours, colours.len()).into_iter().collect();
            let prompt = match overrides.get(cluster) {
                Some(text) => {
                    ctx.note(format!("cluster {cluster}: prompt from `overrides`"));
                    text.clone()
                }
                None => template.render(&parts),
            };
            rows.push((*cluster, rows_of.len(), prompt, parts, counts));
        }
        if rows.iter().all(|r| r.4.keys().next().is_some_and(|k| k == "white")) && !rows.is_empty() {
            ctx.warn("every cluster's first colour is white: product photos on white backgrounds; try `ignore_background: true`");
        }
        let base: serde_json::Map<String, serde_json::Value> =
            rows.iter().map(|r| (r.0.to_string(), json!(r.2))).collect();
        Ok(BTreeMap::from([
            ("prompts".to_string(), Artifact::Table(prompts_table(&rows)?)),
            ("base_prompts".to_string(), Artifact::Json(serde_json::Value::Object(base))),
        ]))
    }
}

/// `overrides`: cluster id → prompt text.
fn overrides(params: &Params) -> Result<BTreeMap<i32, String>, StageError> {
    let Some(Value::Map(map)) = params.get("overrides") else { return Ok(BTreeMap::new()) };
    map.iter()
        .map(|(key, text)| {
            let cluster = key.parse::<i32>().map_err(|_| {
                StageError::new(format!("`overrides` keys are cluster ids (0, 1, …); `{key}` is not one"))
            })?;
            match text {
                Value::Str(text) if !text.trim().is_empty() => Ok((cluster, text.clone())),
                _ => Err(StageError::new(format!("`overrides`: cluster {cluster} needs a non-empty prompt"))),
            }
        })
        .collect()
}

/// (cluster, size, prompt, its parts, colour counts): one row of the prompts table.
pub(crate) type PromptRow = (i32, usize, String, PromptParts, BTreeMap<String, usize>);

fn text_matrix(clip: &ClipModel, tags: &[String]) -> Result<Array2<f32>, StageError> {
    let refs: Vec<&str> = tags.iter().map(String::as_str).collect();
    let vectors = clip.encode_texts(&refs).map_err(|e| StageError::new(e.to_string()))?;
    let dim = vectors.first().map(Vec::len).unwrap_or(0);
    Array2::from_shape_vec((vectors.len(), dim), vectors.concat()).map_err(|e| StageError::wrap("tag embeddings", e))
}

/// The seed's `dominant_color_name(open_and_preprocess(p))`: 224 crop, 64×64 bicubic, KMeans k=3.
fn colour_name(bytes: &[u8], ignore_background: bool, seed: u64) -> Result<Option<String>, StageError> {
    let Ok(crop) = ClipPreprocess::CLIP.preprocess(bytes, &DecodeLimits::default()).map(|c| c.crop) else {
        return Ok(None);
    };
    let small = resize_pil(&crop, 64, 64, Filter::Bicubic).map_err(|e| StageError::new(e.to_string()))?;
    let view = ArrayView3::from_shape((64, 64, 3), small.as_raw()).map_err(|e| StageError::wrap("colour image", e))?;
    let options = DominantColourOptions {
        seed,
        ignore_background: ignore_background.then(BackgroundRule::default),
        ..DominantColourOptions::default()
    };
    dominant_colour(view, &options).map(|d| Some(d.name)).map_err(|e| StageError::new(e.to_string()))
}

pub(crate) fn prompts_table(rows: &[PromptRow]) -> Result<arrow::array::RecordBatch, StageError> {
    let list = |f: fn(&PromptParts) -> &Vec<String>| {
        string_list_array(&rows.iter().map(|r| f(&r.3).clone()).collect::<Vec<_>>())
    };
    batch(
        vec![
            Field::new("cluster", DataType::Int32, false),
            Field::new("size", DataType::Int64, false),
            string_list_field("colors"),
            string_list_field("styles"),
            string_list_field("garments"),
            string_list_field("textures"),
            string_list_field("adjectives"),
            Field::new("prompt", DataType::Utf8, false),
            Field::new("colour_counts", DataType::Utf8, false),
        ],
        vec![
            Arc::new(Int32Array::from(rows.iter().map(|r| r.0).collect::<Vec<_>>())),
            Arc::new(Int64Array::from(rows.iter().map(|r| r.1 as i64).collect::<Vec<_>>())),
            list(|p| &p.colors),
            list(|p| &p.styles),
            list(|p| &p.garments),
            list(|p| &p.textures),
            list(|p| &p.adjectives),
            Arc::new(StringArray::from(rows.iter().map(|r| r.2.clone()).collect::<Vec<_>>())),
            Arc::new(StringArray::from(rows.iter().map(|r| json!(r.4).to_string()).collect::<Vec<_>>())),
        ],
        "prompts",
    )
}
