//! The shipped node kinds, one file each. Stages are the only place where the engine and
//! the domain libraries (imaging, catalogue, trends, models) meet.

mod cluster;
mod designs;
mod embed;
mod generate;
pub mod model_params;
mod prompt;
mod refine;
mod sample;
mod score;
pub mod tables;

use crate::engine::Registry;

/// Every node kind a pipeline file may name.
pub fn registry() -> Registry {
    Registry::new()
        .with(sample::Sample)
        .with(embed::Embed)
        .with(cluster::Cluster)
        .with(prompt::Prompt)
        .with(generate::Generate)
        .with(score::Score)
        .with(refine::Refine)
}
