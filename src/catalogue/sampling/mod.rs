//! Stratified proportional sampling, with the notebook's semantics (Step 2.1):
//!
//! - Filters first; then, if no more than `n` rows remain, all of them.
//! - Otherwise group by the strata columns that exist (missing values form
//!   their own group) and draw `min(k, len(g))` rows without replacement from
//!   each group, `k = max(1, round(len(g) * n / total))`, Python rounding.
//! - Drop repeated ids; if that leaves `n` or more, keep a random `n`;
//!   if fewer, top up at random from the rows (distinct ids) not yet taken.
//! - No strata column present: a plain random sample of `n`.
//!
//! Randomness: groups are visited in sorted key order, as pandas' `groupby`
//! does, and each group draws from its own ChaCha8 stream derived from
//! (seed, group key), so a stratum's draw depends only on the seed, its key,
//! its quota and its members, not on which other strata exist. Trimming and
//! topping up use streams of their own. pandas' exact picks (numpy's RNG) are
//! not reproduced; only the sizes are.
//!
//! Output order: the chosen rows in catalogue order (ascending index), so the
//! sample is a set and its order carries no randomness.

mod round;
mod spec;
mod strata;

use std::collections::HashSet;

use super::column::Column;
use super::load::{Catalogue, Product};
use super::seeding::{choose, derive_rng};
use super::style::{Style, Value};

pub use spec::{SampleError, SampleSpec};

/// The rows chosen, and how they were chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// Indices into [`Catalogue::products`], ascending.
    pub rows: Vec<usize>,
    /// Rows that passed the filters.
    pub population: usize,
    /// Strata columns actually used (requested and present).
    pub strata_columns: Vec<Column>,
    /// Per-stratum draw in sorted key order; empty when no stratified draw ran.
    pub strata: Vec<Stratum>,
    /// Rows from the stratified draw after dropping repeated ids (before trimming or topping up).
    pub drawn: usize,
    /// Rows added at random because the stratified draw fell short of `n`.
    pub topped_up: usize,
}

/// One stratum's share of the stratified draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stratum {
    /// The value of each strata column, `None` for missing.
    pub key: Vec<Option<String>>,
    /// Rows in the stratum.
    pub size: usize,
    /// `max(1, round(size * n / population))`.
    pub quota: usize,
    /// `min(quota, size)`: rows drawn before de-duplication and trimming.
    pub taken: usize,
}

impl Sample {
    /// The chosen products, in catalogue order.
    pub fn products<'a>(&'a self, catalogue: &'a Catalogue) -> impl Iterator<Item = &'a Product> + 'a {
        self.rows.iter().filter_map(|&i| catalogue.products.get(i))
    }
}

/// Draws a stratified sample of `spec.n` rows from `catalogue`.
pub fn sample(catalogue: &Catalogue, spec: &SampleSpec) -> Result<Sample, SampleError> {
    if let Some(&column) = spec.filters.keys().find(|c| !catalogue.has_column(**c)) {
        return Err(SampleError::FilterColumnAbsent { column });
    }
    let style = |i: usize| &catalogue.products[i].style;
    let population: Vec<usize> = (0..catalogue.products.len()).filter(|&i| passes(style(i), spec)).collect();
    let mut columns: Vec<Column> = Vec::new();
    for &c in &spec.strata {
        if catalogue.has_column(c) && !columns.contains(&c) {
            columns.push(c);
        }
    }
    let mut out = Sample {
        rows: Vec::new(),
        population: population.len(),
        strata_columns: columns.clone(),
        strata: Vec::new(),
        drawn: 0,
        topped_up: 0,
    };
    let n = spec.n;
    if population.len() <= n {
        out.drawn = population.len();
        out.rows = population;
        return Ok(out);
    }
    if columns.is_empty() {
        out.rows = choose(&mut derive_rng(spec.seed, &[b"simple"]), &population, n);
        out.drawn = out.rows.len();
        out.rows.sort_unstable();
        return Ok(out);
    }

    let mut drawn = Vec::new();
    for (key, members) in strata::group(&population, style, &columns) {
        let quota = round::quota(members.len(), n, population.len());
        let mut rng = derive_rng(spec.seed, &[b"stratum", &strata::key_bytes(&key)]);
        let picked = choose(&mut rng, &members, quota);
        out.strata.push(Stratum { key: strata::key_text(&key), size: members.len(), quota, taken: picked.len() });
        drawn.extend(picked);
    }
    let mut ids = HashSet::new();
    let drawn = distinct_ids(&drawn, style, &mut ids);
    out.drawn = drawn.len();
    out.rows = if drawn.len() >= n {
        choose(&mut derive_rng(spec.seed, &[b"trim"]), &drawn, n)
    } else {
        let remainder = distinct_ids(&population, style, &mut ids);
        let topup = choose(&mut derive_rng(spec.seed, &[b"top-up"]), &remainder, n - drawn.len());
        out.topped_up = topup.len();
        drawn.into_iter().chain(topup).collect()
    };
    out.rows.sort_unstable();
    Ok(out)
}

/// Rows whose id is not yet in `seen`, first occurrence only; records their ids.
fn distinct_ids<'a>(rows: &[usize], style: impl Fn(usize) -> &'a Style, seen: &mut HashSet<i64>) -> Vec<usize> {
    rows.iter().copied().filter(|&i| seen.insert(style(i).id)).collect()
}

fn passes(style: &Style, spec: &SampleSpec) -> bool {
    spec.filters.iter().all(|(&column, allowed)| match style.value(column) {
        None => false,
        Some(Value::Text(v)) => allowed.iter().any(|a| a == v),
        Some(Value::Int(v)) => allowed.iter().any(|a| a.trim().parse() == Ok(v)),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::PathBuf;

    use super::*;
    use crate::catalogue::report::IngestReport;

    const TYPES: [(&str, usize); 5] = [("Tshirts", 40), ("Shirts", 20), ("Watches", 10), ("Heels", 5), ("Belts", 1)];
    const COLOURS: [Option<&str>; 5] = [Some("Black"), Some("White"), Some("Blue"), Some("Navy Blue"), None];
    const GENDERS: [&str; 3] = ["Men", "Women", "Unisex"];

    /// A skewed catalogue of `len` rows, with some missing colours.
    fn catalogue(len: usize) -> Catalogue {
        let weights: usize = TYPES.iter().map(|t| t.1).sum();
        let mut x: u64 = 12345;
        let mut next = |m: usize| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((x >> 33) % m as u64) as usize
        };
        let products = (0..len)
            .map(|i| {
                let mut pick = next(weights);
                let article = TYPES
                    .iter()
                    .find(|t| {
                        let hit = pick < t.1;
                        pick = pick.saturating_sub(t.1);
                        hit
                    })
                    .map_or("Tshirts", |t| t.0);
                let mut style = Style::new(1000 + i as i64);
                style.article_type = Some(article.into());
                style.base_colour = COLOURS[next(COLOURS.len())].map(str::to_owned);
                style.gender = Some(GENDERS[next(GENDERS.len())].into());
                style.master_category = Some(if article == "Watches" { "Accessories" } else { "Apparel" }.into());
                style.year = Some(2010 + next(5) as i32);
                Product { style, image: PathBuf::from(format!("{i}.jpg")) }
            })
            .collect();
        Catalogue { columns: Column::ALL.to_vec(), products, report: IngestReport::default() }
    }

    /// A catalogue with `count` rows of each article type and nothing else.
    fn build(types: &[(&str, usize)]) -> Catalogue {
        let mut cat = catalogue(0);
        for &(article, count) in types {
            for _ in 0..count {
                let mut style = Style::new(cat.products.len() as i64);
                style.article_type = Some(article.into());
                cat.products.push(Product { style, image: PathBuf::new() });
            }
        }
        cat
    }

    fn ids(cat: &Catalogue, s: &Sample) -> Vec<i64> {
        s.products(cat).map(|p| p.style.id).collect()
    }

    fn per_stratum(cat: &Catalogue, s: &Sample) -> HashMap<Vec<Option<String>>, usize> {
        let mut counts = HashMap::new();
        for p in s.products(cat) {
            let key = strata::key_text(&strata::key_of(&p.style, &s.strata_columns));
            *counts.entry(key).or_default() += 1;
        }
        counts
    }

    #[test]
    fn exact_size_whether_trimmed_or_topped_up() {
        let cat = catalogue(2000);
        let mut trimmed = 0;
        for n in [1, 7, 30, 100, 1999].into_iter().chain((300..700).step_by(37)) {
            let s = sample(&cat, &SampleSpec::new(n, 42)).unwrap();
            assert_eq!(s.rows.len(), n, "n={n}");
            let mut unique = ids(&cat, &s);
            unique.dedup();
            assert_eq!(unique.len(), n, "ids unique for n={n}");
            assert!(s.rows.windows(2).all(|w| w[0] < w[1]), "catalogue order");
            trimmed += usize::from(s.drawn > n);
            assert_eq!(s.topped_up, n.saturating_sub(s.drawn));
        }
        assert!(trimmed > 0, "the trimming path ran");
    }

    #[test]
    fn tops_up_when_rounding_falls_short() {
        // ten strata of 5, n = 25: each quota is round(2.5) = 2, so 20 drawn and 5 topped up
        let types: Vec<(String, usize)> = (0..10).map(|i| (format!("T{i}"), 5)).collect();
        let types: Vec<(&str, usize)> = types.iter().map(|(t, c)| (t.as_str(), *c)).collect();
        let cat = build(&types);
        let s = sample(&cat, &SampleSpec::new(25, 1).with_strata([Column::ArticleType])).unwrap();
        assert!(s.strata.iter().all(|st| st.quota == 2 && st.taken == 2));
        assert_eq!((s.drawn, s.topped_up, s.rows.len()), (20, 5, 25));
        // three strata of 3, n = 4 of 9: each round(1.333) = 1, so 3 drawn and 1 topped up
        let cat = build(&[("A", 3), ("B", 3), ("C", 3)]);
        let s = sample(&cat, &SampleSpec::new(4, 1).with_strata([Column::ArticleType])).unwrap();
        assert_eq!((s.drawn, s.topped_up, s.rows.len()), (3, 1, 4));
    }

    #[test]
    fn quotas_follow_the_notebook_formula() {
        let cat = catalogue(2000);
        let n = 300;
        let s = sample(&cat, &SampleSpec::new(n, 42)).unwrap();
        let frac = n as f64 / 2000.0;
        assert!(!s.strata.is_empty());
        for st in &s.strata {
            let exact = st.size as f64 * frac;
            let formula = (exact.round_ties_even() as usize).max(1);
            assert_eq!(st.quota, formula, "{:?}", st.key);
            assert_eq!(st.taken, formula.min(st.size), "{:?}", st.key);
            assert!((st.taken as f64 - exact).abs() <= 1.0, "{:?}: {} vs {exact}", st.key, st.taken);
        }
        assert_eq!(s.drawn, s.strata.iter().map(|st| st.taken).sum::<usize>());
    }

    #[test]
    fn every_stratum_represented_when_n_allows() {
        let cat = catalogue(2000);
        // 75 strata, most of them small: below n = 746 the max(1, ·) quotas
        // overshoot n and trimming may drop a stratum; at 746 the draw fits.
        let s = sample(&cat, &SampleSpec::new(746, 7)).unwrap();
        assert!(s.drawn <= 746, "no trimming at this n");
        let counts = per_stratum(&cat, &s);
        for st in &s.strata {
            let got = counts.get(&st.key).copied().unwrap_or(0);
            assert!(got >= st.taken && got >= 1, "{:?}: {got} < {}", st.key, st.taken);
        }
        assert_eq!(counts.len(), s.strata.len());
    }

    #[test]
    fn missing_values_form_their_own_stratum_last() {
        let cat = catalogue(600);
        let s = sample(&cat, &SampleSpec::new(60, 1).with_strata([Column::BaseColour])).unwrap();
        let keys: Vec<Option<String>> = s.strata.iter().map(|st| st.key[0].clone()).collect();
        assert_eq!(
            keys,
            vec![Some("Black".into()), Some("Blue".into()), Some("Navy Blue".into()), Some("White".into()), None]
        );
    }

    #[test]
    fn deterministic_per_seed_and_seed_sensitive() {
        let cat = catalogue(1500);
        let a = sample(&cat, &SampleSpec::new(200, 42)).unwrap();
        let b = sample(&cat, &SampleSpec::new(200, 42)).unwrap();
        let c = sample(&cat, &SampleSpec::new(200, 43)).unwrap();
        assert_eq!(a, b);
        assert_ne!(a.rows, c.rows);
    }

    #[test]
    fn stratum_draw_ignores_other_strata() {
        // Shirts keeps quota 5 of 10 in both catalogues (frac = 0.5), so it
        // must draw the same rows whether or not the Tshirts stratum exists.
        let spec = |n| SampleSpec::new(n, 5).with_strata([Column::ArticleType]);
        let with = build(&[("Shirts", 10), ("Belts", 10), ("Tshirts", 20)]);
        let without = build(&[("Shirts", 10), ("Belts", 10)]);
        let shirts = |cat: &Catalogue, s: &Sample| -> Vec<i64> {
            s.products(cat).filter(|p| p.style.article_type.as_deref() == Some("Shirts")).map(|p| p.style.id).collect()
        };
        let a = sample(&with, &spec(20)).unwrap();
        let b = sample(&without, &spec(10)).unwrap();
        assert_eq!(shirts(&with, &a).len(), 5);
        assert_eq!(shirts(&with, &a), shirts(&without, &b));
    }

    #[test]
    fn small_population_returns_everything() {
        let cat = catalogue(50);
        for n in [50, 51, 1000] {
            let s = sample(&cat, &SampleSpec::new(n, 3)).unwrap();
            assert_eq!(s.rows, (0..50).collect::<Vec<_>>());
            assert!(s.strata.is_empty());
        }
    }

    #[test]
    fn filters_apply_before_sampling() {
        let cat = catalogue(1000);
        let spec = SampleSpec::new(40, 9)
            .with_filter(Column::MasterCategory, ["Accessories"])
            .with_filter(Column::Year, ["2011", "2012"]);
        let s = sample(&cat, &spec).unwrap();
        let expected = cat
            .products
            .iter()
            .filter(|p| p.style.article_type.as_deref() == Some("Watches") && matches!(p.style.year, Some(2011 | 2012)))
            .count();
        assert_eq!(s.population, expected);
        assert_eq!(s.rows.len(), 40.min(expected));
        assert!(s.products(&cat).all(|p| p.style.article_type.as_deref() == Some("Watches")));
    }

    #[test]
    fn filter_on_absent_column_is_an_error() {
        let mut cat = catalogue(10);
        cat.columns.retain(|c| *c != Column::Usage);
        let err = sample(&cat, &SampleSpec::new(5, 1).with_filter(Column::Usage, ["Casual"])).unwrap_err();
        assert_eq!(err, SampleError::FilterColumnAbsent { column: Column::Usage });
        assert!(err.to_string().contains("`usage`"), "{err}");
    }

    #[test]
    fn absent_strata_columns_are_skipped() {
        let mut cat = catalogue(500);
        cat.columns = vec![Column::Id, Column::Gender];
        let s = sample(&cat, &SampleSpec::new(50, 2)).unwrap();
        assert_eq!(s.strata_columns, vec![Column::Gender]);
        assert_eq!(s.strata.len(), 3);
        cat.columns = vec![Column::Id];
        let s = sample(&cat, &SampleSpec::new(50, 2)).unwrap();
        assert!(s.strata_columns.is_empty() && s.strata.is_empty());
        assert_eq!(s.rows.len(), 50);
    }

    #[test]
    fn repeated_ids_are_sampled_once() {
        let mut cat = catalogue(300);
        for (i, p) in cat.products.iter_mut().enumerate() {
            p.style.id = (i / 2) as i64;
        }
        for n in [20, 140, 149] {
            let s = sample(&cat, &SampleSpec::new(n, 4)).unwrap();
            let mut got = ids(&cat, &s);
            got.sort_unstable();
            got.dedup();
            assert_eq!(got.len(), n, "n={n}");
        }
    }
}
