//! What the design stages (`generate`, `score`, `refine`) share: the seed notebook's Steps 4–9
//! as plain functions (scores, thresholds, prompt refinement, picks, deliverables) and the two
//! memoised model services ([`designer::Designer`], [`embedder::Embedder`]).

pub mod archive;
pub mod deliverables;
pub mod designer;
pub mod embedder;
pub mod feedback;
pub mod judge;
pub mod params;
pub mod pick;
pub mod prompt_rules;
pub mod prompts_table;
pub mod scoring;
#[cfg(test)]
pub mod testing;
pub mod threshold;
pub mod version_tables;
pub mod versions;
