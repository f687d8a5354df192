//! Parity with the Python reference: fixtures written by
//! `tests/fixtures/trends/make_goldens.py` (scikit-learn, `collections`, and
//! the seed notebook's own helpers).

use std::path::PathBuf;

use ndarray::Array2;
use serde::Deserialize;

use super::{build_prompt, most_common, silhouette_samples, silhouette_score, Palette, PromptParts, DEFAULT_TEMPLATE};

#[derive(Deserialize)]
struct Goldens {
    silhouette: Vec<SilhouetteCase>,
    most_common: Vec<CounterCase>,
    nearest_colour: Vec<NearestCase>,
    prompts: Vec<PromptCase>,
}

#[derive(Deserialize)]
struct SilhouetteCase {
    name: String,
    file: String,
    rows: usize,
    cols: usize,
    labelings: Vec<Labeling>,
}

#[derive(Deserialize)]
struct Labeling {
    name: String,
    labels: Vec<usize>,
    score: f64,
    samples: Vec<f64>,
}

#[derive(Deserialize)]
struct CounterCase {
    items: Vec<String>,
    n: usize,
    expected: Vec<(String, usize)>,
}

#[derive(Deserialize)]
struct NearestCase {
    rgb: [f32; 3],
    name: String,
}

#[derive(Deserialize)]
struct PromptCase {
    styles: Vec<String>,
    garments: Vec<String>,
    image_colours: Vec<String>,
    textures: Vec<String>,
    adjectives: Vec<String>,
    prompt: String,
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trends")
}

fn goldens() -> Goldens {
    let text = std::fs::read_to_string(fixtures().join("goldens.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn load_matrix(file: &str, rows: usize, cols: usize) -> Array2<f32> {
    let bytes = std::fs::read(fixtures().join(file)).unwrap();
    let values: Vec<f32> = bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    Array2::from_shape_vec((rows, cols), values).unwrap()
}

#[test]
fn silhouette_matches_sklearn() {
    for case in goldens().silhouette {
        let x = load_matrix(&case.file, case.rows, case.cols);
        for labeling in &case.labelings {
            let what = format!("{}/{}", case.name, labeling.name);
            let score = silhouette_score(x.view(), &labeling.labels).unwrap();
            assert!((score - labeling.score).abs() <= 1e-6, "{what}: {score} vs {}", labeling.score);
            let samples = silhouette_samples(x.view(), &labeling.labels).unwrap();
            for (i, (got, want)) in samples.iter().zip(&labeling.samples).enumerate() {
                assert!((got - want).abs() <= 1e-6, "{what}[{i}]: {got} vs {want}");
            }
        }
    }
}

#[test]
fn most_common_matches_python_counter() {
    for case in goldens().most_common {
        assert_eq!(most_common(&case.items, case.n), case.expected, "{:?}", case.items);
    }
}

#[test]
fn nearest_colour_matches_the_seed() {
    let palette = Palette::basic();
    for case in goldens().nearest_colour {
        assert_eq!(palette.nearest(case.rgb), case.name, "{:?}", case.rgb);
    }
}

#[test]
fn prompts_match_the_seed() {
    for case in goldens().prompts {
        let parts = PromptParts::from_seed_rules(
            &case.styles,
            &case.garments,
            &case.image_colours,
            &case.textures,
            &case.adjectives,
        );
        assert_eq!(build_prompt(DEFAULT_TEMPLATE, &parts).unwrap(), case.prompt);
    }
}
