//! The shipped node kinds, one file each. Stages are the only place where the engine and
//! the domain libraries (imaging, catalogue, trends, models) meet.

mod cluster;
mod designs;
mod generate;
mod refine;
mod sample;
mod score;
pub mod tables;

use crate::engine::Registry;

/// Every node kind a pipeline file may name.
pub fn registry() -> Registry {
    Registry::new()
        .with(sample::Sample)
        .with(cluster::Cluster)
        .with(generate::Generate)
        .with(score::Score)
        .with(refine::Refine)
}
