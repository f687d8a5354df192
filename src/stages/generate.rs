//! `generate`: one SD-Turbo design per cluster prompt (or several candidates), the seed
//! notebook's Step 4. Designs are memoised per prompt × seed × model × settings, so changing one
//! cluster's prompt regenerates that cluster only.

use std::collections::BTreeMap;

use super::designs::designer::{DesignRequest, Designer};
use super::designs::params::{self, GenSettings};
use super::designs::prompts_table::prompt_texts;
use super::designs::version_tables::generations_table;
use super::designs::versions::{image_name, seed_for, Version};
use crate::engine::{
    Artifact, ArtifactKind, BundleFile, External, InputSlot, Inputs, OutputSlot, Outputs, ParamSpec, Params, Stage,
    StageContext, StageError,
};

pub struct Generate;

impl Stage for Generate {
    fn kind(&self) -> &'static str {
        "generate"
    }
    fn version(&self) -> u32 {
        1
    }
    fn doc(&self) -> &'static str {
        "SD-Turbo designs (v1) from each cluster's prompt; seed = seed_base + cluster + 1000·candidate"
    }
    fn inputs(&self) -> Vec<InputSlot> {
        vec![InputSlot { name: "prompts", doc: "table (cluster, prompt, …) from the prompt node" }]
    }
    fn outputs(&self) -> Vec<OutputSlot> {
        vec![
            OutputSlot::new("generations", ArtifactKind::Table)
                .doc("cluster, candidate, round (1), prompt, seed, image, image_digest"),
            OutputSlot::new("images", ArtifactKind::Bundle)
                .doc("c{cluster}_v1.png (c{cluster}_v1_k{candidate}.png with several candidates)"),
        ]
    }
    fn params(&self) -> Vec<ParamSpec> {
        let mut specs = vec![params::model("model", "SD-Turbo model folder (models/sd-turbo, models/sd-turbo-tiny)")];
        specs.extend(params::generation());
        specs.extend([
            ParamSpec::int("seed_base").range(0.0, 1e15).default(42).doc("seed = seed_base + cluster + 1000·candidate"),
            ParamSpec::int("candidates").range(1.0, 100.0).default(1).doc("designs per cluster"),
            params::device(),
        ]);
        specs
    }
    fn check(&self, params: &Params) -> Vec<(String, String)> {
        params::check_device(params)
    }
    fn externals(&self, params: &Params) -> Vec<External> {
        params::model_externals(params, &[("model", "sd-turbo")])
    }

    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        let prompts = prompt_texts(&inputs.table("prompts")?)?;
        let p = ctx.params;
        let (seed_base, candidates) = (p.int("seed_base")?, p.usize("candidates")?);
        let mut versions: Vec<Version> = Vec::new();
        for (&cluster, prompt) in &prompts {
            for candidate in 0..candidates as i32 {
                versions.push(Version {
                    cluster,
                    candidate,
                    round: 1,
                    prompt: prompt.clone(),
                    seed: seed_for(seed_base, cluster, candidate, 1),
                    image: image_name(cluster, 1, candidate, candidates),
                    image_digest: String::new(),
                });
            }
        }
        let designer = Designer::new(ctx, "model", GenSettings::from_params(p)?, params::parse_device(p)?)?;
        let requests: Vec<DesignRequest> = versions
            .iter()
            .map(|v| DesignRequest { name: v.image.clone(), prompt: v.prompt.clone(), seed: v.seed })
            .collect();
        let designs = designer.make(ctx, &requests)?;
        tracing::debug!(node = ctx.node, generated = designer.generated(), total = designs.len(), "designs");

        let mut images = BTreeMap::new();
        for (version, design) in versions.iter_mut().zip(designs) {
            version.image_digest = design.digest.hex();
            images.insert(version.image.clone(), BundleFile { kind: ArtifactKind::Png, bytes: design.png });
        }
        Ok(BTreeMap::from([
            ("generations".to_string(), Artifact::Table(generations_table(&versions)?)),
            ("images".to_string(), Artifact::Bundle(images)),
        ]))
    }
}
