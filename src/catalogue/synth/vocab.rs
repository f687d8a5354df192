//! The synthetic catalogue's vocabulary, modelled on the Kaggle file: article
//! types with their master/sub categories, who wears them, what they are used
//! for, the colours, brands and name words, and how skewed each choice is.

/// The 25 article types, most common first (their Zipf rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Article {
    Tshirts,
    Shirts,
    CasualShoes,
    Watches,
    SportsShoes,
    Kurtas,
    Tops,
    Handbags,
    Heels,
    Sunglasses,
    Wallets,
    FlipFlops,
    Sandals,
    Jeans,
    Backpacks,
    FormalShoes,
    Shorts,
    Trousers,
    Flats,
    Dresses,
    Caps,
    Sweaters,
    Jackets,
    Skirts,
    Belts,
}

/// A surface pattern; it shows in the image and in the display name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Pattern {
    Solid,
    Stripes,
    Checks,
    Dots,
}

type Weighted<T> = &'static [(T, u32)];

pub(crate) struct ArticleSpec {
    pub name: &'static str,
    pub master: &'static str,
    pub sub: &'static str,
    pub genders: Weighted<&'static str>,
    pub usages: Weighted<&'static str>,
    /// Colour bias; empty means the catalogue-wide colour distribution.
    pub colours: Weighted<&'static str>,
    pub patterns: Weighted<Pattern>,
    pub nouns: &'static [&'static str],
    pub brands: &'static [&'static str],
}

const APPAREL_BRANDS: &[&str] = &[
    "Roadster",
    "Nike",
    "Puma",
    "Adidas",
    "Arrow",
    "Peter England",
    "Wrangler",
    "Lee",
    "Levis",
    "Jealous 21",
    "Fabindia",
    "Biba",
    "W",
    "United Colors of Benetton",
    "Allen Solly",
    "Van Heusen",
    "Mast & Harbour",
    "Gini and Jony",
    "Scullers",
    "Locomotive",
];
const FOOTWEAR_BRANDS: &[&str] = &[
    "Puma", "Nike", "Adidas", "Red Tape", "Reebok", "Skechers", "Catwalk", "Bata", "Woodland", "Fila", "Crocs", "Lotto",
];
const ACCESSORY_BRANDS: &[&str] = &[
    "Fastrack",
    "Titan",
    "Baggit",
    "Lavie",
    "Wildcraft",
    "Hidesign",
    "Fossil",
    "Casio",
    "Ray-Ban",
    "Tommy Hilfiger",
    "Esprit",
    "Timex",
    "Puma",
    "Nike",
];

const PRINTED: Weighted<Pattern> =
    &[(Pattern::Solid, 50), (Pattern::Stripes, 20), (Pattern::Checks, 15), (Pattern::Dots, 15)];
const MOSTLY_PLAIN: Weighted<Pattern> = &[(Pattern::Solid, 85), (Pattern::Stripes, 15)];
const PLAIN: Weighted<Pattern> = &[(Pattern::Solid, 1)];

const CASUAL: Weighted<&str> = &[("Casual", 85), ("Sports", 6), ("Formal", 5), ("Party", 2), ("Ethnic", 2)];
const MEN_WOMEN: Weighted<&str> = &[("Men", 60), ("Women", 40)];
const ADULTS_KIDS: Weighted<&str> = &[("Men", 60), ("Women", 20), ("Boys", 8), ("Girls", 5), ("Unisex", 7)];
const WOMEN: Weighted<&str> = &[("Women", 95), ("Girls", 5)];
const DENIM: Weighted<&str> = &[("Blue", 50), ("Navy Blue", 20), ("Black", 20), ("Grey", 10)];
const LEATHER: Weighted<&str> = &[("Black", 50), ("Brown", 40), ("Maroon", 5), ("Beige", 5)];
const ANY: Weighted<&str> = &[];

macro_rules! spec {
    ($name:expr, $master:expr, $sub:expr, $genders:expr, $usages:expr, $colours:expr, $patterns:expr, $brands:expr, [$($noun:expr),+ $(,)?]) => {
        ArticleSpec {
            name: $name,
            master: $master,
            sub: $sub,
            genders: $genders,
            usages: $usages,
            colours: $colours,
            patterns: $patterns,
            nouns: &[$($noun),+],
            brands: $brands,
        }
    };
}

impl Article {
    pub(crate) const ALL: [Article; 25] = [
        Article::Tshirts,
        Article::Shirts,
        Article::CasualShoes,
        Article::Watches,
        Article::SportsShoes,
        Article::Kurtas,
        Article::Tops,
        Article::Handbags,
        Article::Heels,
        Article::Sunglasses,
        Article::Wallets,
        Article::FlipFlops,
        Article::Sandals,
        Article::Jeans,
        Article::Backpacks,
        Article::FormalShoes,
        Article::Shorts,
        Article::Trousers,
        Article::Flats,
        Article::Dresses,
        Article::Caps,
        Article::Sweaters,
        Article::Jackets,
        Article::Skirts,
        Article::Belts,
    ];

    #[rustfmt::skip] // a table: one article per entry
    pub(crate) fn spec(self) -> ArticleSpec {
        use Article::*;
        const A: &[&str] = APPAREL_BRANDS;
        const F: &[&str] = FOOTWEAR_BRANDS;
        const X: &[&str] = ACCESSORY_BRANDS;
        match self {
            Tshirts => spec!("Tshirts", "Apparel", "Topwear", ADULTS_KIDS, CASUAL, ANY, PRINTED, A,
                ["Tshirt", "Polo Tshirt", "Round Neck T-shirt", "V-Neck Tshirt"]),
            Shirts => spec!("Shirts", "Apparel", "Topwear", &[("Men", 85), ("Women", 10), ("Boys", 5)],
                &[("Casual", 60), ("Formal", 40)], ANY, PRINTED, A, ["Shirt", "Slim Fit Shirt", "Formal Shirt"]),
            Tops => spec!("Tops", "Apparel", "Topwear", WOMEN, &[("Casual", 85), ("Party", 15)], ANY, PRINTED, A,
                ["Top", "Sleeveless Top", "Tank Top"]),
            Kurtas => spec!("Kurtas", "Apparel", "Topwear", &[("Women", 85), ("Men", 15)], &[("Ethnic", 90), ("Casual", 10)],
                ANY, PRINTED, A, ["Kurta", "Printed Kurta", "Long Kurta"]),
            Dresses => spec!("Dresses", "Apparel", "Dress", &[("Women", 90), ("Girls", 10)], &[("Casual", 70), ("Party", 30)],
                ANY, PRINTED, A, ["Dress", "Maxi Dress", "Skater Dress"]),
            Jeans => spec!("Jeans", "Apparel", "Bottomwear", &[("Men", 70), ("Women", 30)], CASUAL, DENIM, PLAIN, A,
                ["Jeans", "Slim Fit Jeans", "Skinny Fit Jeans"]),
            Trousers => spec!("Trousers", "Apparel", "Bottomwear", MEN_WOMEN, &[("Formal", 50), ("Casual", 50)], ANY, PLAIN, A,
                ["Trousers", "Chinos", "Formal Trousers"]),
            Shorts => spec!("Shorts", "Apparel", "Bottomwear", &[("Men", 60), ("Women", 20), ("Boys", 10), ("Girls", 10)],
                &[("Casual", 70), ("Sports", 30)], ANY, PRINTED, A, ["Shorts", "Bermuda Shorts"]),
            Skirts => spec!("Skirts", "Apparel", "Bottomwear", &[("Women", 90), ("Girls", 10)], CASUAL, ANY, PRINTED, A,
                ["Skirt", "Flared Skirt", "Mini Skirt"]),
            Jackets => spec!("Jackets", "Apparel", "Topwear", MEN_WOMEN, CASUAL, ANY, MOSTLY_PLAIN, A,
                ["Jacket", "Denim Jacket", "Bomber Jacket"]),
            Sweaters => spec!("Sweaters", "Apparel", "Topwear", MEN_WOMEN, CASUAL, ANY, PRINTED, A,
                ["Sweater", "Cardigan", "Pullover Sweater"]),
            CasualShoes => spec!("Casual Shoes", "Footwear", "Shoes", &[("Men", 70), ("Women", 25), ("Unisex", 5)], CASUAL,
                ANY, PLAIN, F, ["Casual Shoes", "Sneakers", "Canvas Shoes"]),
            SportsShoes => spec!("Sports Shoes", "Footwear", "Shoes", &[("Men", 70), ("Women", 25), ("Unisex", 5)],
                &[("Sports", 90), ("Casual", 10)], ANY, PLAIN, F, ["Sports Shoes", "Running Shoes", "Training Shoes"]),
            FormalShoes => spec!("Formal Shoes", "Footwear", "Shoes", &[("Men", 1)], &[("Formal", 85), ("Casual", 15)], LEATHER,
                PLAIN, F, ["Formal Shoes", "Derby Shoes", "Oxford Shoes"]),
            Heels => spec!("Heels", "Footwear", "Shoes", &[("Women", 1)], &[("Casual", 70), ("Party", 30)], ANY, PLAIN, F,
                ["Heels", "Stilettos", "Pumps"]),
            Flats => spec!("Flats", "Footwear", "Shoes", WOMEN, CASUAL, ANY, PLAIN, F, ["Flats", "Ballerinas"]),
            Sandals => spec!("Sandals", "Footwear", "Sandal", MEN_WOMEN, CASUAL, LEATHER, PLAIN, F, ["Sandals", "Floaters"]),
            FlipFlops => spec!("Flip Flops", "Footwear", "Flip Flops", &[("Men", 50), ("Women", 45), ("Unisex", 5)], CASUAL,
                ANY, PLAIN, F, ["Flip Flops", "Slippers"]),
            Handbags => spec!("Handbags", "Accessories", "Bags", &[("Women", 1)], CASUAL, ANY, MOSTLY_PLAIN, X,
                ["Handbag", "Tote Bag", "Shoulder Bag"]),
            Backpacks => spec!("Backpacks", "Accessories", "Bags", &[("Unisex", 60), ("Men", 30), ("Women", 10)], CASUAL, ANY,
                MOSTLY_PLAIN, X, ["Backpack", "Laptop Backpack"]),
            Wallets => spec!("Wallets", "Accessories", "Wallets", &[("Men", 80), ("Women", 20)], CASUAL, LEATHER, PLAIN, X,
                ["Wallet", "Leather Wallet"]),
            Watches => spec!("Watches", "Accessories", "Watches", &[("Men", 55), ("Women", 40), ("Unisex", 5)],
                &[("Casual", 80), ("Formal", 10), ("Sports", 10)],
                &[("Black", 35), ("Silver", 30), ("White", 15), ("Brown", 15), ("Blue", 5)],
                PLAIN, X, ["Watch", "Analog Watch", "Chronograph Watch"]),
            Belts => spec!("Belts", "Accessories", "Belts", &[("Men", 90), ("Women", 10)], CASUAL, LEATHER, PLAIN, X,
                ["Belt", "Leather Belt", "Reversible Belt"]),
            Caps => spec!("Caps", "Accessories", "Headwear", &[("Unisex", 50), ("Men", 40), ("Women", 10)], CASUAL, ANY,
                MOSTLY_PLAIN, X, ["Cap", "Baseball Cap"]),
            Sunglasses => spec!("Sunglasses", "Accessories", "Eyewear", &[("Men", 50), ("Women", 35), ("Unisex", 15)], CASUAL,
                &[("Black", 50), ("Brown", 20), ("Grey", 15), ("Silver", 10), ("Blue", 5)], PLAIN, X,
                ["Sunglasses", "Aviator Sunglasses", "Wayfarer Sunglasses"]),
        }
    }
}

/// Base colours, most common first, with the RGB they are drawn in.
pub(crate) const COLOURS: [(&str, [u8; 3]); 15] = [
    ("Black", [32, 32, 34]),
    ("White", [246, 246, 242]),
    ("Blue", [38, 92, 200]),
    ("Brown", [122, 74, 40]),
    ("Grey", [128, 128, 132]),
    ("Red", [204, 32, 42]),
    ("Green", [40, 142, 62]),
    ("Pink", [240, 132, 172]),
    ("Navy Blue", [26, 36, 92]),
    ("Purple", [112, 52, 152]),
    ("Silver", [192, 192, 202]),
    ("Yellow", [244, 210, 52]),
    ("Beige", [226, 206, 172]),
    ("Maroon", [122, 22, 42]),
    ("Olive", [110, 116, 46]),
];

pub(crate) const SEASONS: Weighted<&str> = &[("Summer", 48), ("Fall", 26), ("Winter", 19), ("Spring", 7)];

pub(crate) const YEARS: Weighted<i32> = &[
    (2008, 2),
    (2009, 1),
    (2010, 5),
    (2011, 300),
    (2012, 360),
    (2013, 30),
    (2014, 10),
    (2015, 65),
    (2016, 135),
    (2017, 60),
    (2018, 6),
    (2019, 3),
];

/// Suffixes that put commas in display names (quoted in well-formed rows).
pub(crate) const COMMA_SUFFIXES: [&str; 3] = [", Pack of 2", ", Set of 3", ", Combo"];

/// Zipf weights `1 / rank^s` for `len` ranks.
pub(crate) fn zipf(len: usize, s: f64) -> Vec<f64> {
    (1..=len).map(|rank| 1.0 / (rank as f64).powf(s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_article_is_consistent() {
        for a in Article::ALL {
            let s = a.spec();
            let expected_master = match s.sub {
                "Topwear" | "Bottomwear" | "Dress" => "Apparel",
                "Shoes" | "Sandal" | "Flip Flops" => "Footwear",
                _ => "Accessories",
            };
            assert_eq!(s.master, expected_master, "{}", s.name);
            for (c, _) in s.colours {
                assert!(COLOURS.iter().any(|k| k.0 == *c), "{} colour {c}", s.name);
            }
            assert!(!s.genders.is_empty() && !s.usages.is_empty() && !s.patterns.is_empty());
        }
    }
}
