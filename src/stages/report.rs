//! `report`: the visual report (`report.html`) — per trend its member photos, colour and tag
//! chips, prompt, every design with score and label, the final pick highlighted; and the
//! silhouette-versus-K curve. Run facts come from `run.js`, which `t2d exec` writes beside it.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::designs::deliverables::gens_path;
use super::tables::{bools, f64s, i32s, i64s, opt_f64s, string_lists, strings};
use crate::engine::{
    Artifact, ArtifactKind, BundleFile, InputSlot, Inputs, OutputSlot, Outputs, ParamSpec, Stage, StageContext,
    StageError,
};
use crate::report::{render, silhouette_svg, thumbnail, ClusterView, DesignView, KPoint, ReportData, Thumb};

pub struct Report;

impl Stage for Report {
    fn kind(&self) -> &'static str {
        "report"
    }
    fn version(&self) -> u32 {
        1
    }
    fn doc(&self) -> &'static str {
        "report.html: members, tags, prompt and every design per trend, final picks, the silhouette curve"
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![
            InputSlot { name: "items", doc: "sample.items (id, image)" },
            InputSlot { name: "photos", doc: "sample.images" },
            InputSlot { name: "labels", doc: "cluster.labels" },
            InputSlot { name: "k_selection", doc: "cluster.k_selection" },
            InputSlot { name: "prompts", doc: "prompt.prompts" },
            InputSlot { name: "rounds", doc: "refine.rounds" },
            InputSlot { name: "designs", doc: "refine.images" },
        ]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![OutputSlot::new("report", ArtifactKind::Bundle).publish_at(".").doc("report.html, self-contained")]
    }
    fn params(&self) -> Vec<ParamSpec> {
        vec![
            ParamSpec::string("title").default("Trend designs").doc("the page's heading"),
            ParamSpec::int("members").range(0.0, 200.0).default(12).doc("member photos shown per trend"),
            ParamSpec::int("thumbnail").range(32.0, 2048.0).default(256).doc("longest side of inlined images, px"),
        ]
    }

    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        let p = ctx.params;
        let size = p.usize("thumbnail")? as u32;
        let k_table = inputs.table("k_selection")?;
        let k_curve: Vec<KPoint> = i32s(&k_table, "k")?
            .into_iter()
            .zip(opt_f64s(&k_table, "silhouette")?)
            .zip(bools(&k_table, "best_silhouette")?)
            .zip(bools(&k_table, "chosen")?)
            .map(|(((k, silhouette), best), chosen)| KPoint { k: k as usize, silhouette, best, chosen })
            .collect();

        let members = members(inputs, p.usize("members")?)?;
        let (designs, threshold) = designs(inputs)?;
        let prompts = inputs.table("prompts")?;
        let lists = |name| string_lists(&prompts, name);
        let (colours, styles, garments, textures, adjectives) =
            (lists("colors")?, lists("styles")?, lists("garments")?, lists("textures")?, lists("adjectives")?);
        let (texts, counts) = (strings(&prompts, "prompt")?, strings(&prompts, "colour_counts")?);
        let mut broken = 0;
        let mut clusters = Vec::new();
        for (row, (id, size_of)) in i32s(&prompts, "cluster")?.into_iter().zip(i64s(&prompts, "size")?).enumerate() {
            let photos = members.get(&id).cloned().unwrap_or_default();
            let views = designs.get(&id).cloned().unwrap_or_default();
            let photos = thumbs(&photos, size, &mut broken).into_iter().flatten().collect();
            let images = thumbs(&views.iter().map(|(_, png)| png.clone()).collect::<Vec<_>>(), size, &mut broken);
            let designs = views.into_iter().zip(images).map(|((view, _), image)| DesignView { image, ..view });
            clusters.push(ClusterView {
                id,
                size: size_of as usize,
                prompt: texts[row].clone(),
                colours: colours[row].clone(),
                colour_counts: colour_counts(&counts[row])?,
                styles: styles[row].clone(),
                garments: garments[row].clone(),
                textures: textures[row].clone(),
                adjectives: adjectives[row].clone(),
                members: photos,
                designs: designs.collect(),
            });
        }
        if broken > 0 {
            ctx.warn(format!("{broken} image(s) could not be read and are left out of the report"));
        }
        let data = ReportData { title: p.str("title")?.to_string(), threshold, k_curve, clusters };
        let html = render(&data, &silhouette_svg(&data.k_curve));
        let file = BundleFile { kind: ArtifactKind::Html, bytes: html.into_bytes() };
        Ok(BTreeMap::from([("report".to_string(), Artifact::Bundle(BTreeMap::from([("report.html".into(), file)])))]))
    }
}

/// Up to `limit` member photos per cluster, in the order of the labels table.
fn members(inputs: &Inputs, limit: usize) -> Result<BTreeMap<i32, Vec<Vec<u8>>>, StageError> {
    let items = inputs.table("items")?;
    let image_of: BTreeMap<i64, String> = i64s(&items, "id")?.into_iter().zip(strings(&items, "image")?).collect();
    let photos = inputs.bundle_index("photos")?;
    let labels = inputs.table("labels")?;
    let mut out: BTreeMap<i32, Vec<Vec<u8>>> = BTreeMap::new();
    for (id, cluster) in i64s(&labels, "id")?.into_iter().zip(i32s(&labels, "cluster")?) {
        let list = out.entry(cluster).or_default();
        if list.len() >= limit {
            continue;
        }
        if let Some(member) = image_of.get(&id).and_then(|name| photos.get(name)) {
            list.push(inputs.read_member(member)?);
        }
    }
    Ok(out)
}

type Designs = BTreeMap<i32, Vec<(DesignView, Vec<u8>)>>;

/// Every version refine recorded, with its PNG, by cluster; and the threshold used.
fn designs(inputs: &Inputs) -> Result<(Designs, Option<f64>), StageError> {
    let rounds = inputs.table("rounds")?;
    let bundle = inputs.bundle_index("designs")?;
    let threshold = f64s(&rounds, "threshold").ok().and_then(|t| t.first().copied());
    let (clusters, candidates, round) =
        (i32s(&rounds, "cluster")?, i32s(&rounds, "candidate")?, i32s(&rounds, "round")?);
    let (prompts, labels, images) =
        (strings(&rounds, "prompt")?, strings(&rounds, "label")?, strings(&rounds, "image")?);
    let (scores, picked) = (f64s(&rounds, "score")?, bools(&rounds, "picked")?);
    let mut out: Designs = BTreeMap::new();
    for i in 0..clusters.len() {
        let member = bundle.get(&images[i]).ok_or_else(|| {
            StageError::new(format!("design {} is not in the designs bundle", images[i]))
                .with_help("bind `designs` to refine.images, beside `rounds: refine.rounds`")
        })?;
        let view = DesignView {
            round: round[i],
            candidate: candidates[i],
            prompt: prompts[i].clone(),
            score: scores[i],
            label: labels[i].clone(),
            picked: picked[i],
            path: gens_path(&images[i]),
            image: None,
        };
        out.entry(clusters[i]).or_default().push((view, inputs.read_member(member)?));
    }
    Ok((out, threshold))
}

/// Thumbnails, `None` (and counted) where an image cannot be read.
fn thumbs(images: &[Vec<u8>], size: u32, broken: &mut usize) -> Vec<Option<Thumb>> {
    let made: Vec<Option<Thumb>> = images.par_iter().map(|bytes| thumbnail(bytes, size).ok()).collect();
    *broken += made.iter().filter(|t| t.is_none()).count();
    made
}

/// `{"white": 9, "black": 2}` → most frequent first.
fn colour_counts(json: &str) -> Result<Vec<(String, usize)>, StageError> {
    let map: BTreeMap<String, usize> =
        serde_json::from_str(json).map_err(|e| StageError::wrap("colour_counts in the prompts table", e))?;
    let mut counts: Vec<(String, usize)> = map.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(counts)
}
