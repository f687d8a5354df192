//! `score`: the seed notebook's Step 5 — each design scored against its cluster's centroid and
//! prompt with CLIP, then labelled yes/no by a fixed or percentile threshold. CLIP embeddings are
//! memoised per image and prompt, so a threshold change only relabels.

use std::collections::BTreeMap;

use super::designs::embedder::{Embedder, ImageItem};
use super::designs::judge::Judge;
use super::designs::params;
use super::designs::prompts_table::prompt_texts;
use super::designs::scoring::Weights;
use super::designs::threshold::Threshold;
use super::designs::version_tables::{read_generations, scores_table};
use super::designs::versions::{Label, Scored};
use super::model_params::{check_device, device, device_param, model_external, model_param, CLIP_HELP};
use crate::engine::store::MemberRef;
use crate::engine::{
    Artifact, ArtifactKind, External, InputSlot, Inputs, OutputSlot, Outputs, ParamSpec, Params, Stage, StageContext,
    StageError,
};

pub struct Score;

impl Stage for Score {
    fn kind(&self) -> &'static str {
        "score"
    }
    fn version(&self) -> u32 {
        1
    }
    fn doc(&self) -> &'static str {
        "CLIP score of each design, (w_centroid·cos(image, centroid) + w_prompt·cos(image, prompt) + 1) / 2, and a \
         yes/no label by threshold"
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![
            InputSlot { name: "generations", doc: "table from generate (cluster, candidate, round, image, …)" },
            InputSlot { name: "images", doc: "bundle of the designs' PNGs from generate" },
            InputSlot { name: "prompts", doc: "table (cluster, prompt) from the prompt node" },
            InputSlot { name: "clusters", doc: "table (cluster, centroid) from the cluster node" },
        ]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![OutputSlot::new("scores", ArtifactKind::Table)
            .doc("cluster, candidate, round, score, s_centroid, s_prompt, label, threshold")]
    }
    fn params(&self) -> Vec<ParamSpec> {
        let mut specs = vec![model_param("model", "models/clip-vit-b32", "CLIP model folder (the embed node's)")];
        specs.extend(params::weights());
        specs.extend([Threshold::param(), device_param()]);
        specs
    }
    fn check(&self, params: &Params) -> Vec<(String, String)> {
        check_device(params)
    }
    fn externals(&self, params: &Params) -> Vec<External> {
        vec![model_external(params, "model", CLIP_HELP)]
    }

    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        let p = ctx.params;
        let versions = read_generations(&inputs.table("generations")?)?;
        let prompts = prompt_texts(&inputs.table("prompts")?)?;
        let texts = versions
            .iter()
            .map(|v| {
                let text = prompts.get(&v.cluster).ok_or_else(|| {
                    StageError::new(format!("cluster {} has a design but no row in the prompts table", v.cluster))
                })?;
                if *text != v.prompt {
                    ctx.warn(format!(
                        "{}: made from a prompt other than cluster {}'s in `prompts`",
                        v.image, v.cluster
                    ));
                }
                Ok(text.as_str())
            })
            .collect::<Result<Vec<&str>, StageError>>()?;

        let weights = Weights { centroid: p.float("w_centroid")?, prompt: p.float("w_prompt")? };
        let embedder = Embedder::new(ctx, "model", device(ctx)?)?;
        let judge = Judge::new(embedder, &inputs.table("clusters")?, weights)?;
        let images = inputs.bundle_index("images")?;
        let scores = judge.score(ctx, &versions, &texts, |item| read_image(inputs, &images, item))?;
        ctx.note(judge.embedder.summary());

        let first_round = versions.iter().map(|v| v.round).min().unwrap_or(1);
        let firsts: Vec<f64> =
            versions.iter().zip(&scores).filter(|(v, _)| v.round == first_round).map(|(_, s)| s.score).collect();
        let threshold = Threshold::from_params(p)?.resolve(&firsts)?;
        let scored: Vec<Scored> = versions
            .into_iter()
            .zip(scores)
            .map(|(version, score)| Scored { version, score, label: Label::of(score.score, threshold) })
            .collect();
        Ok(BTreeMap::from([("scores".to_string(), Artifact::Table(scores_table(&scored, threshold)?))]))
    }
}

/// A design's PNG from a bundle input, checked against the digest its table row records.
pub(super) fn read_image(
    inputs: &Inputs,
    bundle: &BTreeMap<String, MemberRef>,
    item: &ImageItem,
) -> Result<Vec<u8>, StageError> {
    let member = bundle.get(item.name).ok_or_else(|| {
        StageError::new(format!("design {} is not in the images bundle", item.name))
            .with_help("bind `images` to the same node as `generations`")
    })?;
    if member.digest.hex() != item.digest {
        return Err(StageError::new(format!(
            "design {} in the images bundle is not the one the table records",
            item.name
        ))
        .with_help("bind `images` to the same node as `generations`"));
    }
    inputs.read_member(member)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Value;
    use crate::imaging::ClipPreprocess;
    use crate::models::{ClipModel, Device, ModelFolder};
    use crate::stages::designs::scoring::cosine;
    use crate::stages::designs::testing::{
        clusters_table, generated, prompts_table, slots, small, Bench, CLIP_TINY, PROMPTS, SD_TINY,
    };
    use crate::stages::designs::threshold::percentile_linear;
    use crate::stages::generate::Generate;
    use crate::stages::tables::{f64s, i32s, strings, vectors};

    fn threshold(name: &str, x: f64) -> Value {
        Value::Map([(name.to_string(), Value::Float(x))].into())
    }

    #[test]
    fn scores_follow_the_seed_and_a_threshold_change_embeds_nothing() {
        let bench = Bench::new();
        let up = generated(&bench, 3);
        let inputs = slots(&up);
        let out = bench.run(&Score, &inputs, &[("model", Value::from(CLIP_TINY))], &[]).unwrap();
        let t = bench.table(&out["scores"]);
        let (score, s_c, s_p) =
            (f64s(&t, "score").unwrap(), f64s(&t, "s_centroid").unwrap(), f64s(&t, "s_prompt").unwrap());
        assert_eq!(i32s(&t, "cluster").unwrap(), [0, 1, 2]);
        assert_eq!(i32s(&t, "round").unwrap(), [1, 1, 1]);
        let resolved = percentile_linear(&score, 85.0).unwrap();
        assert_eq!(f64s(&t, "threshold").unwrap(), [resolved; 3]);
        let labels = strings(&t, "label").unwrap();
        for i in 0..3 {
            assert!((score[i] - (0.7 * s_c[i] + 0.3 * s_p[i] + 1.0) / 2.0).abs() < 1e-12);
            assert_eq!(labels[i], if score[i] >= resolved { "yes" } else { "no" });
        }
        assert_eq!(labels.iter().filter(|l| *l == "yes").count(), 1, "the top 15% of three designs is one");

        // The image-centroid cosine, computed here straight from CLIP, for each cluster's own centroid.
        let clip = ClipModel::load(&ModelFolder::open(CLIP_TINY).unwrap(), Device::Cpu, 1).unwrap();
        let pre = ClipPreprocess::new(clip.image_size() as u32, clip.mean(), clip.std()).unwrap();
        let files = bench.files(&up["images"]);
        let (dim, centroids) = vectors(&bench.table(&up["clusters"]), "centroid").unwrap();
        for (i, name) in ["c0_v1.png", "c1_v1.png", "c2_v1.png"].iter().enumerate() {
            let chw = pre.preprocess(&files[*name], &Default::default()).unwrap().chw;
            let embedding = &clip.encode_images(&chw, 1).unwrap()[0];
            assert!((cosine(embedding, &centroids[i * dim..(i + 1) * dim]) - s_c[i]).abs() < 1e-6);
            let text = &clip.encode_texts(&[PROMPTS[i]]).unwrap()[0];
            assert!((cosine(embedding, text) - s_p[i]).abs() < 1e-6);
        }
        assert_eq!(bench.memo_items("score"), 6, "three images and three prompts");

        // A new threshold: every embedding comes from the memo, so the model is never opened.
        let relabel = [("model", Value::from("models/absent")), ("threshold", threshold("value", 0.5))];
        let out2 = bench.run(&Score, &inputs, &relabel, &[("model", CLIP_TINY)]).unwrap();
        let t2 = bench.table(&out2["scores"]);
        assert_eq!(f64s(&t2, "score").unwrap(), score);
        assert_eq!(f64s(&t2, "threshold").unwrap(), [0.5; 3]);
        let expected: Vec<&str> = score.iter().map(|s| if *s >= 0.5 { "yes" } else { "no" }).collect();
        assert_eq!(strings(&t2, "label").unwrap(), expected);
        assert_eq!(bench.memo_items("score"), 6);
    }

    #[test]
    fn mismatched_inputs_are_reported() {
        let bench = Bench::new();
        let prompts = bench.put_table(&prompts_table(&PROMPTS));
        let mut p = vec![("model", Value::from(SD_TINY))];
        p.extend(small());
        let generated = bench.run(&Generate, &[("prompts", &prompts)], &p, &[]).unwrap();
        let other = bench
            .run(&Generate, &[("prompts", &prompts)], &[p.clone(), vec![("seed_base", Value::Int(1))]].concat(), &[])
            .unwrap();
        let clusters = bench.put_table(&clusters_table(3));
        let run = |images, clusters| {
            let inputs = [
                ("generations", &generated["generations"]),
                ("images", images),
                ("prompts", &prompts),
                ("clusters", clusters),
            ];
            bench.run(&Score, &inputs, &[("model", Value::from(CLIP_TINY))], &[]).unwrap_err().message
        };
        assert!(run(&other["images"], &clusters).contains("is not the one the table records"));
        let two = bench.put_table(&clusters_table(2));
        assert!(run(&generated["images"], &two).contains("cluster 2 has no centroid"));
    }
}
