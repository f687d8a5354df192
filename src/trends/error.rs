//! Typed errors of the trends library: bad numeric input or parameters
//! ([`TrendsError`]) and bad prompt templates ([`TemplateError`]), kept apart
//! because the first is a caller bug and the second is a user's config mistake.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// Invalid arrays or parameters passed to the trends maths.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum TrendsError {
    #[error("input has no rows")]
    #[diagnostic(code(t2d::trends::empty_input))]
    EmptyInput,

    #[error("input rows have no columns")]
    #[diagnostic(code(t2d::trends::no_features))]
    NoFeatures,

    #[error("input has a non-finite value at row {row}, column {column}")]
    #[diagnostic(code(t2d::trends::non_finite))]
    NonFinite { row: usize, column: usize },

    #[error("{labels} labels given for {rows} rows")]
    #[diagnostic(code(t2d::trends::label_length))]
    LabelLength { labels: usize, rows: usize },

    #[error("the silhouette needs 2 to {max} distinct labels (rows - 1), found {found}")]
    #[diagnostic(code(t2d::trends::label_count))]
    LabelCount { found: usize, max: usize },

    #[error("k_min must be at least 2, got {0}")]
    #[diagnostic(code(t2d::trends::k_min))]
    KMinTooSmall(usize),

    #[error("k_min ({k_min}) is greater than k_max ({k_max})")]
    #[diagnostic(code(t2d::trends::k_range))]
    KRange { k_min: usize, k_max: usize },

    #[error("{k} clusters requested from {points} points")]
    #[diagnostic(code(t2d::trends::too_many_clusters))]
    TooManyClusters { k: usize, points: usize },

    #[error("the silhouette sample of {sample} points must exceed k_max ({k_max})")]
    #[diagnostic(
        code(t2d::trends::sample_too_small),
        help("the silhouette is undefined when every point is its own cluster")
    )]
    SampleTooSmall { sample: usize, k_max: usize },

    #[error("k-means needs at least one iteration")]
    #[diagnostic(code(t2d::trends::no_iterations))]
    NoIterations,

    #[error("no K in {k_min}..={k_max} split the data into two or more clusters")]
    #[diagnostic(code(t2d::trends::no_valid_k), help("this happens when all points are identical"))]
    NoValidK { k_min: usize, k_max: usize },

    #[error("expected vectors of length {expected}, found {found}")]
    #[diagnostic(code(t2d::trends::dimension))]
    Dimension { expected: usize, found: usize },

    #[error("an image must have shape (height, width, 3) with at least one pixel, got {shape:?}")]
    #[diagnostic(code(t2d::trends::image_shape))]
    ImageShape { shape: Vec<usize> },

    #[error("a colour palette needs at least one colour")]
    #[diagnostic(code(t2d::trends::empty_palette))]
    EmptyPalette,

    #[error("cannot choose {wanted} distinct items from {available}")]
    #[diagnostic(code(t2d::trends::choose_too_many))]
    ChooseTooMany { wanted: usize, available: usize },
}

/// A prompt template that cannot be filled.
#[derive(Debug, Clone, PartialEq, Eq, Error, Diagnostic)]
pub enum TemplateError {
    #[error("unknown placeholder {{{name}}} in the prompt template")]
    #[diagnostic(
        code(t2d::trends::unknown_placeholder),
        help("known placeholders: {{styles}}, {{garments}}, {{colors}}, {{texture}}, {{adjectives}}")
    )]
    UnknownPlaceholder {
        name: String,
        #[source_code]
        template: String,
        #[label("unknown")]
        span: SourceSpan,
    },

    #[error("'{{' without a closing '}}' in the prompt template")]
    #[diagnostic(code(t2d::trends::unclosed_brace), help("write '{{{{' for a literal brace"))]
    UnclosedBrace {
        #[source_code]
        template: String,
        #[label("opened here")]
        span: SourceSpan,
    },

    #[error("'}}' without an opening '{{' in the prompt template")]
    #[diagnostic(code(t2d::trends::unmatched_brace), help("write '}}}}' for a literal brace"))]
    UnmatchedBrace {
        #[source_code]
        template: String,
        #[label("here")]
        span: SourceSpan,
    },
}
