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
        let mut specs = vec![params::model("model", "CLIP model folder, the one the catalogue was embedded with")];
        specs.extend(params::weights());
        specs.extend([Threshold::param(), params::device()]);
        specs
    }
    fn check(&self, params: &Params) -> Vec<(String, String)> {
        params::check_device(params)
    }
    fn externals(&self, params: &Params) -> Vec<External> {
        params::model_externals(params, &[("model", "clip")])
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
        let embedder = Embedder::new(ctx, "model", params::parse_device(p)?)?;
        let judge = Judge::new(embedder, &inputs.table("clusters")?, weights)?;
        let images = inputs.bundle_index("images")?;
        let scores = judge.score(ctx, &versions, &texts, |item| read_image(inputs, &images, item))?;
        tracing::debug!(node = ctx.node, computed = judge.embedder.computed(), "CLIP embeddings");

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
