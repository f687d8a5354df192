//! `generate`: one SD-Turbo design per cluster prompt (or several candidates), the seed
//! notebook's Step 4. Designs are memoised per prompt × seed × model × settings, so changing one
//! cluster's prompt regenerates that cluster only.

use std::collections::BTreeMap;

use super::designs::designer::{DesignRequest, Designer};
use super::designs::feedback::plan_first_round;
use super::designs::params::{self, GenSettings};
use super::designs::prompts_table::prompt_texts;
use super::designs::version_tables::generations_table;
use super::model_params::{check_device, device, device_param, model_external, model_param, SD_HELP};
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
        let mut specs = vec![model_param("model", "models/sd-turbo", "SD-Turbo model folder")];
        specs.extend(params::generation());
        specs.extend([
            ParamSpec::int("seed_base").range(0.0, 1e15).default(42).doc("seed = seed_base + cluster + 1000·candidate"),
            ParamSpec::int("candidates").range(1.0, 100.0).default(1).doc("designs per cluster"),
            device_param(),
        ]);
        specs
    }
    fn check(&self, params: &Params) -> Vec<(String, String)> {
        check_device(params)
    }
    fn externals(&self, params: &Params) -> Vec<External> {
        vec![model_external(params, "model", SD_HELP)]
    }

    fn run(&self, ctx: &StageContext, inputs: &Inputs) -> Result<Outputs, StageError> {
        let prompts = prompt_texts(&inputs.table("prompts")?)?;
        let p = ctx.params;
        let mut versions = plan_first_round(&prompts, p.int("seed_base")?, p.usize("candidates")?);
        let designer = Designer::new(ctx, "model", GenSettings::from_params(p)?, device(ctx)?)?;
        let requests: Vec<DesignRequest> = versions.iter().map(DesignRequest::of).collect();
        let designs = designer.make(ctx, &requests)?;
        ctx.note(designer.summary());

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::store::Store;
    use crate::engine::Value;
    use crate::stages::designs::testing::{prompts_table, small, Bench, PROMPTS, SD_TINY};
    use crate::stages::designs::version_tables::read_generations;

    fn params(extra: &[(&'static str, Value)]) -> Vec<(&'static str, Value)> {
        let mut p = vec![("model", Value::from(SD_TINY))];
        p.extend(small());
        p.extend(extra.iter().cloned());
        p
    }

    #[test]
    fn one_design_per_cluster_and_a_changed_prompt_regenerates_only_its_cluster() {
        let bench = Bench::new();
        let prompts = bench.put_table(&prompts_table(&PROMPTS));
        let out = bench.run(&Generate, &[("prompts", &prompts)], &params(&[]), &[]).unwrap();
        let versions = read_generations(&bench.table(&out["generations"])).unwrap();
        let rows: Vec<(i32, i32, i32, i64, &str)> =
            versions.iter().map(|v| (v.cluster, v.candidate, v.round, v.seed, v.image.as_str())).collect();
        assert_eq!(rows, [(0, 0, 1, 42, "c0_v1.png"), (1, 0, 1, 43, "c1_v1.png"), (2, 0, 1, 44, "c2_v1.png")]);
        let files = bench.files(&out["images"]);
        for v in &versions {
            assert_eq!(v.prompt, PROMPTS[v.cluster as usize]);
            assert_eq!(blake3::hash(&files[&v.image]).to_hex().as_str(), v.image_digest);
            let png = image::load_from_memory(&files[&v.image]).unwrap();
            assert_eq!((png.width(), png.height()), (64, 96));
        }
        assert_eq!(bench.memo_items("generate"), 3);

        let again = bench.run(&Generate, &[("prompts", &prompts)], &params(&[]), &[]).unwrap();
        assert_eq!(again, out, "same prompts and settings give the same bytes");

        let mut changed = PROMPTS;
        changed[1] = "minimalist linen dress in beige, fashion design sheet";
        let changed = bench.put_table(&prompts_table(&changed));
        let out2 = bench.run(&Generate, &[("prompts", &changed)], &params(&[]), &[]).unwrap();
        assert_eq!(bench.memo_items("generate"), 4, "only cluster 1 is generated again");
        let (before, after) = (&out["images"].members, &out2["images"].members);
        let digest =
            |m: &Option<BTreeMap<String, crate::engine::store::MemberRef>>, n: &str| m.as_ref().unwrap()[n].digest;
        assert_eq!(digest(before, "c0_v1.png"), digest(after, "c0_v1.png"));
        assert_ne!(digest(before, "c1_v1.png"), digest(after, "c1_v1.png"));
    }

    #[test]
    fn candidates_have_their_own_seeds_and_names_and_lost_designs_are_made_again() {
        let bench = Bench::new();
        let prompts = bench.put_table(&prompts_table(&PROMPTS[..1]));
        let p = params(&[("candidates", Value::Int(2)), ("seed_base", Value::Int(7))]);
        let out = bench.run(&Generate, &[("prompts", &prompts)], &p, &[]).unwrap();
        let versions = read_generations(&bench.table(&out["generations"])).unwrap();
        let rows: Vec<(i32, i64, &str)> = versions.iter().map(|v| (v.candidate, v.seed, v.image.as_str())).collect();
        assert_eq!(rows, [(0, 7, "c0_v1_k0.png"), (1, 1007, "c0_v1_k1.png")]);
        assert_ne!(versions[0].image_digest, versions[1].image_digest);

        // The memo still points at the PNGs, but the objects are gone (say, `t2d gc`): they are made again.
        for member in out["images"].members.as_ref().unwrap().values() {
            std::fs::remove_file(bench.store.locate_object(&member.digest)).unwrap();
        }
        let again = bench.run(&Generate, &[("prompts", &prompts)], &p, &[]).unwrap();
        assert_eq!(again, out);
        assert!(bench.files(&again["images"]).len() == 2);
    }

    #[test]
    fn a_missing_model_folder_says_how_to_make_one() {
        let externals =
            Generate.externals(&Params([("model".to_string(), Value::from("models/nope"))].into_iter().collect()));
        let help = externals[0].help.clone().unwrap();
        assert!(help.contains("just models") && help.contains("--tiny"), "{help}");
        let bench = Bench::new();
        let prompts = bench.put_table(&prompts_table(&PROMPTS[..1]));
        let err = bench.run(&Generate, &[("prompts", &prompts)], &[("model", Value::from("models/nope"))], &[]);
        assert!(err.unwrap_err().message.contains("models/nope"));
    }
}
