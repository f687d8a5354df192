//! The tables the design stages exchange: `generations` (generate), `scores` (score) and
//! `rounds` (refine), written and read back as [`Version`]s and [`Scored`]s.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field};

use super::versions::{Label, Score, Scored, Version};
use crate::engine::StageError;
use crate::stages::tables::{batch, f64s, i32s, i64s, strings};

fn int32(values: impl Iterator<Item = i32>) -> ArrayRef {
    Arc::new(Int32Array::from(values.collect::<Vec<_>>()))
}

fn float64(values: impl Iterator<Item = f64>) -> ArrayRef {
    Arc::new(Float64Array::from(values.collect::<Vec<_>>()))
}

fn utf8<'a>(values: impl Iterator<Item = &'a str>) -> ArrayRef {
    Arc::new(StringArray::from(values.collect::<Vec<_>>()))
}

/// `cluster, candidate, round, prompt, seed, image, image_digest`.
pub fn generations_table(versions: &[Version]) -> Result<RecordBatch, StageError> {
    let (fields, columns) = version_columns(versions);
    batch(fields, columns, "generations")
}

fn version_columns(versions: &[Version]) -> (Vec<Field>, Vec<ArrayRef>) {
    let fields = vec![
        Field::new("cluster", DataType::Int32, false),
        Field::new("candidate", DataType::Int32, false),
        Field::new("round", DataType::Int32, false),
        Field::new("prompt", DataType::Utf8, false),
        Field::new("seed", DataType::Int64, false),
        Field::new("image", DataType::Utf8, false),
        Field::new("image_digest", DataType::Utf8, false),
    ];
    let columns = vec![
        int32(versions.iter().map(|v| v.cluster)),
        int32(versions.iter().map(|v| v.candidate)),
        int32(versions.iter().map(|v| v.round)),
        utf8(versions.iter().map(|v| v.prompt.as_str())),
        Arc::new(Int64Array::from(versions.iter().map(|v| v.seed).collect::<Vec<_>>())) as ArrayRef,
        utf8(versions.iter().map(|v| v.image.as_str())),
        utf8(versions.iter().map(|v| v.image_digest.as_str())),
    ];
    (fields, columns)
}

pub fn read_generations(table: &RecordBatch) -> Result<Vec<Version>, StageError> {
    let (clusters, candidates, rounds) = (i32s(table, "cluster")?, i32s(table, "candidate")?, i32s(table, "round")?);
    let (prompts, seeds) = (strings(table, "prompt")?, i64s(table, "seed")?);
    let (images, digests) = (strings(table, "image")?, strings(table, "image_digest")?);
    Ok((0..table.num_rows())
        .map(|i| Version {
            cluster: clusters[i],
            candidate: candidates[i],
            round: rounds[i],
            prompt: prompts[i].clone(),
            seed: seeds[i],
            image: images[i].clone(),
            image_digest: digests[i].clone(),
        })
        .collect())
}

fn score_columns(scored: &[Scored]) -> (Vec<Field>, Vec<ArrayRef>) {
    let fields = vec![
        Field::new("score", DataType::Float64, false),
        Field::new("s_centroid", DataType::Float64, false),
        Field::new("s_prompt", DataType::Float64, false),
        Field::new("label", DataType::Utf8, false),
    ];
    let columns = vec![
        float64(scored.iter().map(|s| s.score.score)),
        float64(scored.iter().map(|s| s.score.s_centroid)),
        float64(scored.iter().map(|s| s.score.s_prompt)),
        utf8(scored.iter().map(|s| s.label.as_str())),
    ];
    (fields, columns)
}

/// `cluster, candidate, round, score, s_centroid, s_prompt, label, threshold` (the resolved threshold, every row).
pub fn scores_table(scored: &[Scored], threshold: f64) -> Result<RecordBatch, StageError> {
    let mut fields = vec![
        Field::new("cluster", DataType::Int32, false),
        Field::new("candidate", DataType::Int32, false),
        Field::new("round", DataType::Int32, false),
    ];
    let mut columns = vec![
        int32(scored.iter().map(|s| s.version.cluster)),
        int32(scored.iter().map(|s| s.version.candidate)),
        int32(scored.iter().map(|s| s.version.round)),
    ];
    let (more_fields, more_columns) = score_columns(scored);
    fields.extend(more_fields);
    columns.extend(more_columns);
    fields.push(Field::new("threshold", DataType::Float64, false));
    columns.push(float64(scored.iter().map(|_| threshold)));
    batch(fields, columns, "scores")
}

/// The `scores` table joined back onto the versions it judged, and the threshold it used.
pub fn join_scores(versions: &[Version], table: &RecordBatch) -> Result<(Vec<Scored>, f64), StageError> {
    let (clusters, candidates, rounds) = (i32s(table, "cluster")?, i32s(table, "candidate")?, i32s(table, "round")?);
    let (scores, s_centroid, s_prompt) = (f64s(table, "score")?, f64s(table, "s_centroid")?, f64s(table, "s_prompt")?);
    let (labels, thresholds) = (strings(table, "label")?, f64s(table, "threshold")?);
    let mut by_id = BTreeMap::new();
    for i in 0..table.num_rows() {
        let label = Label::parse(&labels[i])
            .ok_or_else(|| StageError::new(format!("scores table: label `{}` is neither yes nor no", labels[i])))?;
        let score = Score { score: scores[i], s_centroid: s_centroid[i], s_prompt: s_prompt[i] };
        by_id.insert((clusters[i], rounds[i], candidates[i]), (score, label));
    }
    let threshold = match thresholds.first() {
        Some(first) if thresholds.iter().all(|t| t == first) => *first,
        Some(_) => return Err(StageError::new("scores table: rows disagree on the threshold")),
        None => return Err(StageError::new("scores table is empty: nothing was scored")),
    };
    let scored = versions
        .iter()
        .map(|v| {
            let (score, label) = by_id.get(&v.id()).copied().ok_or_else(|| {
                StageError::new(format!(
                    "scores table has no row for cluster {} round {} candidate {}",
                    v.cluster, v.round, v.candidate
                ))
                .with_help("bind `scores` to the score node that judged these `generations`")
            })?;
            Ok(Scored { version: v.clone(), score, label })
        })
        .collect::<Result<Vec<_>, StageError>>()?;
    Ok((scored, threshold))
}

/// Every version with its score: `cluster, candidate, round, prompt, seed, score, s_centroid, s_prompt,
/// label, image, image_digest, picked`.
pub fn rounds_table(scored: &[Scored], picked: &[bool]) -> Result<RecordBatch, StageError> {
    let versions: Vec<Version> = scored.iter().map(|s| s.version.clone()).collect();
    let (vf, vc) = version_columns(&versions);
    let (sf, sc) = score_columns(scored);
    // version columns: cluster, candidate, round, prompt, seed | image, image_digest
    let mut fields: Vec<Field> = vf[..5].to_vec();
    let mut columns: Vec<ArrayRef> = vc[..5].to_vec();
    fields.extend(sf);
    columns.extend(sc);
    fields.extend(vf[5..].iter().cloned());
    columns.extend(vc[5..].iter().cloned());
    fields.push(Field::new("picked", DataType::Boolean, false));
    columns.push(Arc::new(BooleanArray::from(picked.to_vec())));
    batch(fields, columns, "rounds")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(cluster: i32, round: i32) -> Version {
        Version {
            cluster,
            candidate: 0,
            round,
            prompt: format!("p{cluster}"),
            seed: 42 + i64::from(cluster),
            image: format!("c{cluster}_v{round}.png"),
            image_digest: "d".into(),
        }
    }

    #[test]
    fn generations_and_scores_round_trip() {
        let versions = vec![version(0, 1), version(1, 1)];
        assert_eq!(read_generations(&generations_table(&versions).unwrap()).unwrap(), versions);
        let scored: Vec<Scored> = versions
            .iter()
            .zip([0.8, 0.6])
            .map(|(v, s)| Scored {
                version: v.clone(),
                score: Score { score: s, s_centroid: s, s_prompt: 0.1 },
                label: Label::of(s, 0.7),
            })
            .collect();
        let (joined, threshold) = join_scores(&versions, &scores_table(&scored, 0.7).unwrap()).unwrap();
        assert_eq!((joined, threshold), (scored.clone(), 0.7));
        let err = join_scores(&[version(2, 1)], &scores_table(&scored, 0.7).unwrap()).unwrap_err();
        assert!(err.message.contains("no row for cluster 2"), "{}", err.message);
        let rounds = rounds_table(&scored, &[true, false]).unwrap();
        let names: Vec<String> = rounds.schema().fields().iter().map(|f| f.name().clone()).collect();
        assert_eq!(
            names,
            [
                "cluster",
                "candidate",
                "round",
                "prompt",
                "seed",
                "score",
                "s_centroid",
                "s_prompt",
                "label",
                "image",
                "image_digest",
                "picked"
            ]
        );
    }
}
