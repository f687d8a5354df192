//! `refine`: the seed notebook's feedback loop and deliverables (Steps 6–9). Clusters without a
//! "yes" get a refined prompt and new designs, scored with the same threshold, until every cluster
//! has a yes or `max_rounds` is reached; then one final design per cluster, the logs and the zip.
//! Designs and embeddings go through the item memo, so raising `max_rounds` computes only the new rounds.

use std::collections::BTreeMap;

use arrow::array::RecordBatch;

use super::designs::deliverables::{
    base_prompts_json, final_picks_json, final_prompts_json, final_summary_csv, scores_csv, Deliverables, GENS,
};
use super::designs::designer::{DesignRequest, Designer};
use super::designs::embedder::{Embedder, ImageItem};
use super::designs::feedback::{plan_round, Cluster, Rules};
use super::designs::judge::Judge;
use super::designs::params::{self, GenSettings};
use super::designs::pick::{pick, PickRule};
use super::designs::prompt_rules::{Cuts, BOOSTERS};
use super::designs::prompts_table::{prompt_texts, tags};
use super::designs::scoring::Weights;
use super::designs::version_tables::{join_scores, read_generations, rounds_table};
use super::designs::versions::{Label, Scored, Version};
use super::model_params::{check_device, device, device_param, model_external, model_param, CLIP_HELP, SD_HELP};
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
            model_param("sd_model", "models/sd-turbo", "SD-Turbo model folder (generate's `model`)"),
            model_param("clip_model", "models/clip-vit-b32", "CLIP model folder (score's `model`)"),
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
            device_param(),
        ]);
        specs
    }
    fn check(&self, params: &Params) -> Vec<(String, String)> {
        let mut problems = check_device(params);
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
        vec![model_external(params, "sd_model", SD_HELP), model_external(params, "clip_model", CLIP_HELP)]
    }

    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        let p = ctx.params;
        let prompts = inputs.table("prompts")?;
        let base_prompts = prompt_texts(&prompts)?;
        let first = read_generations(&inputs.table("generations")?)?;
        let (mut history, threshold) = join_scores(&first, &inputs.table("scores")?)?;
        let mut clusters = clusters(&prompts, &base_prompts, &first)?;
        let rules = Rules {
            cuts: Cuts { low: p.float("low_cut")?, mid: p.float("mid_cut")? },
            boosters: p.strings("boosters")?,
            booster_seed: p.int("seed")?,
            seed_base: p.int("refine_seed_base")?,
        };
        let device = device(ctx)?;
        let designer = Designer::new(ctx, "sd_model", GenSettings::from_params(p)?, device)?;
        let weights = Weights { centroid: p.float("w_centroid")?, prompt: p.float("w_prompt")? };
        let judge = Judge::new(Embedder::new(ctx, "clip_model", device)?, &inputs.table("clusters")?, weights)?;

        let bundle = inputs.bundle_index("images")?;
        let mut images = BTreeMap::new();
        for v in &first {
            let item = ImageItem { name: &v.image, digest: &v.image_digest };
            images.insert(v.image.clone(), read_image(inputs, &bundle, &item)?);
        }
        let mut rounds = 0;
        for round in 2..=1 + p.int("max_rounds")? as i32 {
            let planned = plan_round(&mut clusters, &history, round, &rules);
            if planned.is_empty() {
                break;
            }
            rounds += 1;
            let round = Round { designer: &designer, judge: &judge, threshold };
            history.extend(round.run(ctx, planned, &mut images)?);
        }
        ctx.note(format!("{} round(s) after the first; {}", rounds, designer.summary()));
        ctx.note(judge.embedder.summary());
        history.sort_by_key(|s| s.version.id());
        outputs(history, images, &base_prompts, p.str("pick")?)
    }
}

/// Each cluster's prompt and tags, and how many candidates its first round had.
fn clusters(
    prompts: &RecordBatch,
    base_prompts: &BTreeMap<i32, String>,
    first: &[Version],
) -> Result<BTreeMap<i32, Cluster>, StageError> {
    let (colors, garments) = (tags(prompts, "colors")?, tags(prompts, "garments")?);
    let tag = |m: &BTreeMap<i32, Vec<String>>, id: i32| m.get(&id).cloned().unwrap_or_default();
    Ok(base_prompts
        .iter()
        .map(|(&id, prompt)| {
            let candidates = first.iter().filter(|v| v.cluster == id).count();
            let cluster =
                Cluster { prompt: prompt.clone(), colors: tag(&colors, id), garments: tag(&garments, id), candidates };
            (id, cluster)
        })
        .collect())
}

/// One refinement round: the planned designs made (or recalled) and judged with the first round's threshold.
struct Round<'a> {
    designer: &'a Designer,
    judge: &'a Judge,
    threshold: f64,
}

impl Round<'_> {
    fn run(
        &self,
        ctx: &StageContext,
        mut planned: Vec<Version>,
        images: &mut BTreeMap<String, Vec<u8>>,
    ) -> Result<Vec<Scored>, StageError> {
        let requests: Vec<DesignRequest> = planned.iter().map(DesignRequest::of).collect();
        for (version, design) in planned.iter_mut().zip(self.designer.make(ctx, &requests)?) {
            version.image_digest = design.digest.hex();
            images.insert(version.image.clone(), design.png);
        }
        let texts: Vec<&str> = planned.iter().map(|v| v.prompt.as_str()).collect();
        let scores = self.judge.score(ctx, &planned, &texts, |item| {
            images.get(item.name).cloned().ok_or_else(|| StageError::new(format!("internal: {} not made", item.name)))
        })?;
        Ok(planned
            .into_iter()
            .zip(scores)
            .map(|(version, score)| Scored { version, score, label: Label::of(score.score, self.threshold) })
            .collect())
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
        let mine: Vec<&Scored> = history.iter().filter(|s| s.version.cluster == *cluster).collect();
        let chosen =
            pick(rule, &mine).ok_or_else(|| StageError::new(format!("cluster {cluster} has no scored design")))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::artifact::encode_json;
    use crate::engine::store::ArtifactRef;
    use crate::engine::{Publish, Value};
    use crate::stages::designs::prompt_rules::{draw_booster, refine_prompt};
    use crate::stages::designs::testing::{
        generated, slots, small, strings as owned, Bench, CLIP_TINY, PROMPTS, SD_TINY,
    };
    use crate::stages::score::Score;
    use crate::stages::tables::{f64s, i32s, i64s, strings};
    use std::io::Read;

    struct Upstream {
        bench: Bench,
        refs: BTreeMap<&'static str, ArtifactRef>,
    }

    /// prompt → generate → score (with `threshold`), as the pipeline wires them.
    fn upstream(threshold: Value) -> Upstream {
        let bench = Bench::new();
        let mut refs = generated(&bench, 3);
        let score_params = [("model", Value::from(CLIP_TINY)), ("threshold", threshold)];
        let scored = bench.run(&Score, &slots(&refs), &score_params, &[]).unwrap();
        refs.insert("scores", scored["scores"].clone());
        Upstream { bench, refs }
    }

    impl Upstream {
        fn refine(&self, extra: &[(&'static str, Value)]) -> BTreeMap<String, ArtifactRef> {
            let mut p = vec![("sd_model", Value::from(SD_TINY)), ("clip_model", Value::from(CLIP_TINY))];
            p.extend(small());
            p.extend(extra.iter().cloned());
            let inputs: Vec<(&str, &ArtifactRef)> = self.refs.iter().map(|(n, r)| (*n, r)).collect();
            let models = [("sd_model", SD_TINY), ("clip_model", CLIP_TINY)];
            self.bench.run(&Refine, &inputs, &p, &models).unwrap()
        }
    }

    fn unzip(bytes: Vec<u8>) -> BTreeMap<String, Vec<u8>> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut file = archive.by_index(i).unwrap();
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes).unwrap();
                (file.name().unwrap().to_string(), bytes)
            })
            .collect()
    }

    #[test]
    fn one_round_reproduces_the_notebook_loop_and_its_deliverables() {
        let up = upstream(Value::Map([("percentile".to_string(), Value::Float(85.0))].into()));
        let out = up.refine(&[]);
        let scores = up.bench.table(&up.refs["scores"]);
        let (v1_scores, v1_labels, threshold) = (
            f64s(&scores, "score").unwrap(),
            strings(&scores, "label").unwrap(),
            f64s(&scores, "threshold").unwrap()[0],
        );
        let no: Vec<i32> = (0..3).filter(|&c| v1_labels[c as usize] == "no").collect();
        assert_eq!(no.len(), 2);

        let rounds = up.bench.table(&out["rounds"]);
        let clusters = i32s(&rounds, "cluster").unwrap();
        let round = i32s(&rounds, "round").unwrap();
        let (prompt, seed) = (strings(&rounds, "prompt").unwrap(), i64s(&rounds, "seed").unwrap());
        let (score, label) = (f64s(&rounds, "score").unwrap(), strings(&rounds, "label").unwrap());
        let image = strings(&rounds, "image").unwrap();
        assert_eq!(rounds.num_rows(), 3 + no.len());
        let boosters = owned(&BOOSTERS);
        for i in 0..rounds.num_rows() {
            let c = clusters[i];
            if round[i] == 1 {
                assert_eq!((score[i], label[i].as_str()), (v1_scores[c as usize], v1_labels[c as usize].as_str()));
                continue;
            }
            assert!(no.contains(&c) && round[i] == 2);
            assert_eq!((seed[i], image[i].as_str()), (1024 + i64::from(c), format!("c{c}_v2.png").as_str()));
            let tags =
                if c == 2 { (vec![], vec![]) } else { (owned(&["white", "black"]), owned(&["blazer", "handbag"])) };
            let booster = draw_booster(&boosters, 42, c, 2);
            let expected =
                refine_prompt(PROMPTS[c as usize], &tags.0, &tags.1, v1_scores[c as usize], Cuts::default(), booster);
            assert_eq!(prompt[i], expected);
            assert_eq!(label[i], if score[i] >= threshold { "yes" } else { "no" });
        }

        // gens/ holds every version, v1 byte-identical to generate's.
        let gens = up.bench.files(&out["images"]);
        let v1 = up.bench.files(&up.refs["images"]);
        assert_eq!(gens.len(), 3 + no.len());
        assert!(v1.iter().all(|(name, bytes)| gens[name] == *bytes));

        // Final picks: the best score of each cluster.
        let picks = serde_json::from_slice::<serde_json::Value>(&up.bench.bytes(&out["final_picks"])).unwrap();
        for c in 0..3 {
            let best =
                (0..rounds.num_rows()).filter(|&i| clusters[i] == c).max_by(|&a, &b| score[a].total_cmp(&score[b]));
            assert_eq!(picks[c.to_string()], format!("gens/{}", image[best.unwrap()]));
        }
        let picked: Vec<bool> = {
            let col = rounds.column_by_name("picked").unwrap();
            let col = col.as_any().downcast_ref::<arrow::array::BooleanArray>().unwrap();
            (0..col.len()).map(|i| col.value(i)).collect()
        };
        assert_eq!(picked.iter().filter(|p| **p).count(), 3);

        let logs = up.bench.files(&out["logs"]);
        let scores_csv = String::from_utf8(logs["scores.csv"].clone()).unwrap();
        assert_eq!(scores_csv.lines().count(), 1 + 3 + no.len());
        assert!(scores_csv.starts_with("cluster,version,path,score,label\n0,v1,gens/c0_v1.png,"), "{scores_csv}");
        let summary = String::from_utf8(logs["final_summary.csv"].clone()).unwrap();
        assert_eq!(summary.lines().count(), 4);

        // The zip holds the deliverables, byte for byte as published.
        let archive = up.bench.files(&out["archive"]);
        let files = unzip(archive["trend_to_design_outputs.zip"].clone());
        let mut expected: Vec<String> = gens.keys().map(|n| format!("gens/{n}")).collect();
        expected.extend(owned(&[
            "logs/final_picks.json",
            "logs/final_summary.csv",
            "logs/scores.csv",
            "prompts/base_prompts.json",
            "prompts/final_prompts.json",
        ]));
        expected.sort();
        assert_eq!(files.keys().cloned().collect::<Vec<_>>(), expected);
        assert_eq!(files["logs/final_picks.json"], up.bench.bytes(&out["final_picks"]));
        assert_eq!(files["prompts/final_prompts.json"], up.bench.bytes(&out["final_prompts"]));
        assert_eq!(files["logs/scores.csv"], logs["scores.csv"]);
        let base: serde_json::Value = serde_json::from_slice(&files["prompts/base_prompts.json"]).unwrap();
        assert_eq!(encode_json(&base).unwrap(), files["prompts/base_prompts.json"]);
        assert_eq!(base["2"], PROMPTS[2]);

        assert_eq!(up.refine(&[]), out, "a rerun gives identical bytes, the zip included");
    }

    #[test]
    fn raising_max_rounds_computes_only_the_new_round_and_the_pick_rule_needs_no_model() {
        // Nothing reaches 0.99, and every prompt gains a booster: each round is new work for every cluster.
        let up = upstream(Value::Map([("value".to_string(), Value::Float(0.99))].into()));
        let cuts = [("low_cut", Value::Float(1.0)), ("mid_cut", Value::Float(1.0))];
        let two = up.refine(&[cuts.to_vec(), vec![("max_rounds", Value::Int(2))]].concat());
        assert_eq!(
            up.bench.memo_items("refine"),
            2 * 3 * 3,
            "per round and cluster: a design, its embedding, a prompt"
        );
        let three = up.refine(&[cuts.to_vec(), vec![("max_rounds", Value::Int(3))]].concat());
        assert_eq!(up.bench.memo_items("refine"), 3 * 3 * 3, "round 4 only");
        let rounds = up.bench.table(&three["rounds"]);
        assert_eq!(rounds.num_rows(), 3 * 4);
        assert!(strings(&rounds, "label").unwrap().iter().all(|l| l == "no"));
        let prompts = strings(&rounds, "prompt").unwrap();
        assert!(prompts[3].starts_with(&prompts[2]) && prompts[3].len() > prompts[2].len());

        // `pick: seed` keeps v1 when no version is a yes; no design or embedding is computed again.
        let mut p = vec![("pick", Value::from("seed")), ("max_rounds", Value::Int(3))];
        p.extend(cuts.iter().cloned());
        let seed_pick = up.refine(&p);
        let picks = serde_json::from_slice::<serde_json::Value>(&up.bench.bytes(&seed_pick["final_picks"])).unwrap();
        assert_eq!(picks, serde_json::json!({"0": "gens/c0_v1.png", "1": "gens/c1_v1.png", "2": "gens/c2_v1.png"}));
        assert_eq!(up.bench.memo_items("refine"), 3 * 3 * 3);
        assert_eq!(seed_pick["images"], three["images"]);
        assert_ne!(two["images"], three["images"]);
    }

    #[test]
    fn no_round_when_every_cluster_has_a_yes() {
        let up = upstream(Value::Map([("value".to_string(), Value::Float(0.0))].into()));
        let out = up.refine(&[("max_rounds", Value::Int(3))]);
        assert_eq!(up.bench.table(&out["rounds"]).num_rows(), 3);
        assert_eq!(up.bench.memo_items("refine"), 0);
        let prompts = serde_json::from_slice::<serde_json::Value>(&up.bench.bytes(&out["final_prompts"])).unwrap();
        assert_eq!(prompts["1"], PROMPTS[1]);
    }

    #[test]
    fn outputs_publish_to_distinct_places_and_bad_cuts_are_refused() {
        let places: Vec<Publish> = Refine.outputs().into_iter().map(|o| o.publish).collect();
        assert_eq!(
            places,
            [
                Publish::Default,
                Publish::At("gens"),
                Publish::At("prompts/final_prompts.json"),
                Publish::At("logs/final_picks.json"),
                Publish::At("logs"),
                Publish::At("."),
            ]
        );
        let mut params: BTreeMap<String, Value> =
            Refine.params().into_iter().filter_map(|s| Some((s.name.to_string(), s.default?))).collect();
        params.insert("low_cut".into(), Value::Float(0.7));
        params.insert("boosters".into(), Value::List(vec![]));
        params.insert("device".into(), Value::from("gpu"));
        let problems: Vec<String> = Refine.check(&Params(params)).into_iter().map(|(p, _)| p).collect();
        assert_eq!(problems, ["device", "low_cut", "boosters"]);
    }
}
