//! One synthetic product: its metadata row, drawn from the vocabulary with
//! the Kaggle file's skew, and what its picture should look like.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::vocab::{zipf, Article, Pattern, COLOURS, COMMA_SUFFIXES, SEASONS, YEARS};
use crate::catalogue::seeding::derive_rng;

/// Share of rows whose name carries a (quoted) comma.
const COMMA_NAME_RATE: f64 = 0.02;

/// A synthetic product.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    pub id: i64,
    pub article: Article,
    pub gender: &'static str,
    /// Index into [`COLOURS`]: the colour it is drawn in.
    pub colour: usize,
    /// Whether `baseColour` is filled in (the real file misses a few).
    pub colour_listed: bool,
    pub season: Option<&'static str>,
    pub year: Option<i32>,
    pub usage: Option<&'static str>,
    /// Display name without any comma suffix.
    pub name: Option<String>,
    /// `", Pack of 2"`-style suffix, if the name has commas.
    pub suffix: Option<&'static str>,
    pub pattern: Pattern,
    /// Seeds the picture's jitter and noise.
    pub look_seed: u64,
}

/// Weights shared by every item of one catalogue.
pub(crate) struct Weights {
    articles: Vec<f64>,
    colours: Vec<f64>,
}

impl Weights {
    pub(crate) fn new() -> Self {
        Weights { articles: zipf(Article::ALL.len(), 1.0), colours: zipf(COLOURS.len(), 0.9) }
    }
}

pub(crate) fn item(seed: u64, index: usize, id: i64, weights: &Weights) -> Item {
    let mut rng = derive_rng(seed, &[b"item", &(index as u64).to_le_bytes()]);
    let article = Article::ALL[pick_index(&mut rng, &weights.articles)];
    let spec = article.spec();
    let gender = *pick(&mut rng, spec.genders);
    let colour = if spec.colours.is_empty() {
        pick_index(&mut rng, &weights.colours)
    } else {
        let name = *pick(&mut rng, spec.colours);
        COLOURS.iter().position(|c| c.0 == name).unwrap_or(0)
    };
    let pattern = *pick(&mut rng, spec.patterns);
    let colour_listed = !rng.random_bool(0.0004);
    let season = (!rng.random_bool(0.0005)).then(|| *pick(&mut rng, SEASONS));
    let year = (!rng.random_bool(0.0001)).then(|| *pick(&mut rng, YEARS));
    let usage = (!rng.random_bool(0.006)).then(|| *pick(&mut rng, spec.usages));
    let brand = spec.brands[rng.random_range(0..spec.brands.len())];
    let noun = spec.nouns[rng.random_range(0..spec.nouns.len())];
    let mut words = vec![brand, gender];
    if colour_listed {
        words.push(COLOURS[colour].0);
    }
    match pattern {
        Pattern::Solid if rng.random_bool(0.3) => words.push("Solid"),
        Pattern::Solid => {}
        Pattern::Stripes => words.push("Striped"),
        Pattern::Checks => words.push("Checked"),
        Pattern::Dots => words.push("Polka Dot"),
    }
    words.push(noun);
    let name = (!rng.random_bool(0.0002)).then(|| words.join(" "));
    let suffix = rng.random_bool(COMMA_NAME_RATE).then(|| COMMA_SUFFIXES[rng.random_range(0..COMMA_SUFFIXES.len())]);
    Item {
        id,
        article,
        gender,
        colour,
        colour_listed,
        season,
        year,
        usage,
        name,
        suffix,
        pattern,
        look_seed: rng.random(),
    }
}

/// The item's ten `styles.csv` cells, `None` for empty.
pub(crate) fn cells(item: &Item) -> [Option<String>; 10] {
    let spec = item.article.spec();
    let name = item.name.as_ref().map(|n| format!("{n}{}", item.suffix.unwrap_or("")));
    [
        Some(item.id.to_string()),
        Some(item.gender.to_owned()),
        Some(spec.master.to_owned()),
        Some(spec.sub.to_owned()),
        Some(spec.name.to_owned()),
        item.colour_listed.then(|| COLOURS[item.colour].0.to_owned()),
        item.season.map(str::to_owned),
        item.year.map(|y| y.to_string()),
        item.usage.map(str::to_owned),
        name,
    ]
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|i| i.1).sum();
    let mut x = rng.random_range(0..total.max(1));
    for (item, w) in items {
        if x < *w {
            return item;
        }
        x -= w;
    }
    &items[items.len() - 1].0
}

fn pick_index(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_item_different_seed_different_items() {
        let w = Weights::new();
        assert_eq!(item(1, 5, 100, &w), item(1, 5, 100, &w));
        let a: Vec<_> = (0..20).map(|i| item(1, i, 0, &w).article).collect();
        let b: Vec<_> = (0..20).map(|i| item(2, i, 0, &w).article).collect();
        assert_ne!(a, b);
    }

    #[test]
    fn names_agree_with_cells() {
        let w = Weights::new();
        for i in 0..200 {
            let it = item(9, i, i as i64, &w);
            let cells = cells(&it);
            if let (Some(name), true) = (&cells[9], it.colour_listed) {
                assert!(name.contains(COLOURS[it.colour].0), "{name}");
                assert!(name.contains(it.gender), "{name}");
            }
            assert_eq!(cells[4].as_deref(), Some(it.article.spec().name));
        }
    }

    #[test]
    fn distribution_is_skewed() {
        let w = Weights::new();
        let items: Vec<Item> = (0..3000).map(|i| item(3, i, 0, &w)).collect();
        let count = |a| items.iter().filter(|it| it.article == a).count();
        assert!(count(Article::Tshirts) > 8 * count(Article::Belts).max(1));
        assert!(count(Article::Belts) > 0);
    }
}
