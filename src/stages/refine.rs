//! `refine`: the seed notebook's feedback loop and deliverables (Steps 6–9). Clusters without a
//! "yes" get a refined prompt and new designs, scored with the same threshold, until every cluster
//! has a yes or `max_rounds` is reached; then one final design per cluster, the logs and the zip.
//! Designs and embeddings go through the item memo, so raising `max_rounds` computes only the new rounds.

use std::collections::BTreeMap;

use super::designs::deliverables::{
    base_prompts_json, final_picks_json, final_prompts_json, final_summary_csv, scores_csv, Deliverables, GENS,
};
use super::designs::designer::{DesignRequest, Designer};
use super::designs::embedder::Embedder;
use super::designs::feedback::{plan_round, Cluster, Rules};
use super::designs::judge::Judge;
use super::designs::params::{self, GenSettings};
use super::designs::pick::{pick, PickRule};
use super::designs::prompt_rules::{Cuts, BOOSTERS};
use super::designs::prompts_table::{prompt_texts, tags};
use super::designs::scoring::Weights;
use super::designs::version_tables::{join_scores, read_generations, rounds_table};
use super::designs::versions::{Label, Scored};
use super::score::read_image;
use crate::engine::{
    Artifact, ArtifactKind, BundleFile, External, InputSlot, Inputs, OutputSlot, Outputs, ParamSpec, ParamType, Params,
    Stage, StageContext, StageError,
};

pub struct Refine;

const ARCHIVE: &str = "trend_to_design_outputs.zip";

impl Stage for Refine {
    fn kind(&self) -> &'static str {
        "refine"
    }
    fn version(&self) -> u32 {
        1
    }
    fn doc(&self) -> &'static str {
        "feedback loop: refine the prompts of clusters without a yes, regenerate, rescore; final picks, logs, zip"
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![
            InputSlot { name: "prompts", doc: "table (cluster, prompt, colors, garments) from the prompt node" },
            InputSlot { name: "clusters", doc: "table (cluster, centroid) from the cluster node" },
            InputSlot { name: "generations", doc: "table from generate" },
            InputSlot { name: "images", doc: "bundle of PNGs from generate" },
            InputSlot { name: "scores", doc: "table from score (its threshold is reused)" },
        ]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![
            OutputSlot::new("rounds", ArtifactKind::Table).doc(
                "every version: cluster, candidate, round, prompt, seed, score, s_centroid, s_prompt, label, image, \
                 image_digest, picked",
            ),
            OutputSlot::new("images", ArtifactKind::Bundle).publish_at(GENS).doc("every version's PNG, v1 included"),
            OutputSlot::new("final_prompts", ArtifactKind::Json)
                .publish_at("prompts/final_prompts.json")
                .doc("cluster → prompt of its final design"),
            OutputSlot::new("final_picks", ArtifactKind::Json)
                .publish_at("logs/final_picks.json")
                .doc("cluster → path of its final design"),
            OutputSlot::new("logs", ArtifactKind::Bundle)
                .publish_at("logs")
                .doc("scores.csv (every version) and final_summary.csv (the final designs)"),
            OutputSlot::new("archive", ArtifactKind::Bundle)
                .publish_at(".")
                .doc("trend_to_design_outputs.zip: gens/, prompts/, logs/"),
        ]
    }
    fn params(&self) -> Vec<ParamSpec> {
        let mut specs = vec![
            params::model("sd_model", "SD-Turbo model folder (as generate's `model`)"),
            params::model("clip_model", "CLIP model folder (as score's `model`)"),
        ];
        specs.extend(params::generation());
        specs.extend(params::weights());
        specs.extend([
            ParamSpec::int("refine_seed_base")
                .range(0.0, 1e15)
                .default(1024)
                .doc("seed = refine_seed_base + cluster + 1000·candidate (+ 100000 per round after the second)"),
            ParamSpec::float("low_cut").range(0.0, 1.0).default(0.50).doc("below: colour, garment and booster added"),
            ParamSpec::float("mid_cut").range(0.0, 1.0).default(0.62).doc("below: \"refined details\" added"),
            ParamSpec::list("boosters", ParamType::Str).default(BOOSTERS.to_vec()).doc("quality phrases to draw from"),
            ParamSpec::int("seed").min(0.0).default(42).doc("seeds the booster draw"),
            ParamSpec::int("max_rounds").range(0.0, 50.0).default(1).doc("refinement rounds (1: the notebook's v2)"),
            ParamSpec::choice("pick", &PickRule::NAMES)
                .default("best")
                .doc("final design: best score (best), or the notebook's latest-if-yes-else-v1 (seed)"),
            params::device(),
        ]);
        specs
    }
    fn check(&self, params: &Params) -> Vec<(String, String)> {
        let mut problems = params::check_device(params);
        if let (Ok(low), Ok(mid)) = (params.float("low_cut"), params.float("mid_cut")) {
            if low > mid {
                problems.push(("low_cut".into(), format!("low_cut ({low}) must not exceed mid_cut ({mid})")));
            }
        }
        if params.strings("boosters").is_ok_and(|b| b.is_empty()) {
            problems.push(("boosters".into(), "boosters must name at least one phrase".into()));
        }
        problems
    }
    fn externals(&self, params: &Params) -> Vec<External> {
        params::model_externals(params, &[("sd_model", "sd-turbo"), ("clip_model", "clip")])
    }

    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        let p = ctx.params;
        let prompts_table = inputs.table("prompts")?;
        let base_prompts = prompt_texts(&prompts_table)?;
        let (colors, garments) = (tags(&prompts_table, "colors")?, tags(&prompts_table, "garments")?);
        let first = read_generations(&inputs.table("generations")?)?;
        let (mut history, threshold) = join_scores(&first, &inputs.table("scores")?)?;

        let mut clusters: BTreeMap<i32, Cluster> = base_prompts
            .iter()
            .map(|(&id, prompt)| {
                let candidates = first.iter().filter(|v| v.cluster == id).count();
                let tag = |m: &BTreeMap<i32, Vec<String>>| m.get(&id).cloned().unwrap_or_default();
                (id, Cluster { prompt: prompt.clone(), colors: tag(&colors), garments: tag(&garments), candidates })
            })
            .collect();
        let rules = Rules {
            cuts: Cuts { low: p.float("low_cut")?, mid: p.float("mid_cut")? },
            boosters: p.strings("boosters")?,
            booster_seed: p.int("seed")?,
            seed_base: p.int("refine_seed_base")?,
        };
        let device = params::parse_device(p)?;
        let designer = Designer::new(ctx, "sd_model", GenSettings::from_params(p)?, device)?;
        let weights = Weights { centroid: p.float("w_centroid")?, prompt: p.float("w_prompt")? };
        let judge = Judge::new(Embedder::new(ctx, "clip_model", device)?, &inputs.table("clusters")?, weights)?;

        let bundle = inputs.bundle_index("images")?;
        let mut images = BTreeMap::new();
        for v in &first {
            let item = super::designs::embedder::ImageItem { name: &v.image, digest: &v.image_digest };
            images.insert(v.image.clone(), read_image(inputs, &bundle, &item)?);
        }
        for round in 2..=1 + p.int("max_rounds")? as i32 {
            let mut planned = plan_round(&mut clusters, &history, round, &rules);
            if planned.is_empty() {
                break;
            }
            let requests: Vec<DesignRequest> = planned
                .iter()
                .map(|v| DesignRequest { name: v.image.clone(), prompt: v.prompt.clone(), seed: v.seed })
                .collect();
            for (version, design) in planned.iter_mut().zip(designer.make(ctx, &requests)?) {
                version.image_digest = design.digest.hex();
                images.insert(version.image.clone(), design.png);
            }
            let texts: Vec<&str> = planned.iter().map(|v| v.prompt.as_str()).collect();
            let scores = judge.score(ctx, &planned, &texts, |item| {
                images
                    .get(item.name)
                    .cloned()
                    .ok_or_else(|| StageError::new(format!("internal: {} not made", item.name)))
            })?;
            history.extend(planned.into_iter().zip(scores).map(|(version, score)| Scored {
                version,
                score,
                label: Label::of(score.score, threshold),
            }));
        }
        tracing::debug!(
            node = ctx.node,
            generated = designer.generated(),
            embedded = judge.embedder.computed(),
            "refine rounds"
        );
        history.sort_by_key(|s| s.version.id());
        outputs(history, images, &base_prompts, p.str("pick")?)
    }
}

fn outputs(
    history: Vec<Scored>,
    images: BTreeMap<String, Vec<u8>>,
    base_prompts: &BTreeMap<i32, String>,
    rule: &str,
) -> Result<Outputs, StageError> {
    let rule = PickRule::parse(rule).ok_or_else(|| StageError::new(format!("internal: pick rule `{rule}`")))?;
    let mut picks: Vec<&Scored> = Vec::new();
    for cluster in base_prompts.keys() {
        let mine: Vec<Scored> = history.iter().filter(|s| s.version.cluster == *cluster).cloned().collect();
        let chosen = pick(rule, &mine)
            .and_then(|c| history.iter().find(|s| s.version.id() == c.version.id()))
            .ok_or_else(|| StageError::new(format!("cluster {cluster} has no scored design")))?;
        picks.push(chosen);
    }
    let picked: Vec<bool> = history.iter().map(|s| picks.iter().any(|p| p.version.id() == s.version.id())).collect();
    let deliverables = Deliverables {
        designs: images,
        base_prompts: base_prompts_json(base_prompts),
        final_prompts: final_prompts_json(&picks),
        final_picks: final_picks_json(&picks),
        scores_csv: scores_csv(&history)?,
        final_summary_csv: final_summary_csv(&picks)?,
    };
    let archive = deliverables.archive()?;
    let file = |kind, bytes| BundleFile { kind, bytes };
    let logs = BTreeMap::from([
        ("scores.csv".to_string(), file(ArtifactKind::Csv, deliverables.scores_csv)),
        ("final_summary.csv".to_string(), file(ArtifactKind::Csv, deliverables.final_summary_csv)),
    ]);
    let bundle = deliverables.designs.into_iter().map(|(name, png)| (name, file(ArtifactKind::Png, png))).collect();
    Ok(BTreeMap::from([
        ("rounds".to_string(), Artifact::Table(rounds_table(&history, &picked)?)),
        ("images".to_string(), Artifact::Bundle(bundle)),
        ("final_prompts".to_string(), Artifact::Json(deliverables.final_prompts)),
        ("final_picks".to_string(), Artifact::Json(deliverables.final_picks)),
        ("logs".to_string(), Artifact::Bundle(logs)),
        (
            "archive".to_string(),
            Artifact::Bundle(BTreeMap::from([(ARCHIVE.to_string(), file(ArtifactKind::Zip, archive))])),
        ),
    ]))
}
