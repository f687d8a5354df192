//! Prompt templates with named placeholders, checked once when parsed so a
//! typo in a pipeline's template is reported with its position instead of
//! reaching the image model as literal text.
//!
//! Syntax follows Python's `str.format`: `{name}` is a placeholder, `{{` and
//! `}}` are literal braces.

use super::error::TemplateError;
use super::prompt_parts::PromptParts;

/// The seed notebook's prompt.
pub const DEFAULT_TEMPLATE: &str =
    "{styles} {garments} in {colors}, {texture} texture, {adjectives}, fashion design sheet, clean studio background";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Styles,
    Garments,
    Colors,
    Texture,
    Adjectives,
}

impl Field {
    fn from_name(name: &str) -> Option<Self> {
        match name {
            "styles" => Some(Self::Styles),
            "garments" => Some(Self::Garments),
            "colors" => Some(Self::Colors),
            "texture" => Some(Self::Texture),
            "adjectives" => Some(Self::Adjectives),
            _ => None,
        }
    }

    fn text(self, parts: &PromptParts) -> String {
        match self {
            Self::Styles => parts.styles_text(),
            Self::Garments => parts.garments_text(),
            Self::Colors => parts.colors_text(),
            Self::Texture => parts.texture_text(),
            Self::Adjectives => parts.adjectives_text(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Text(String),
    Field(Field),
}

/// A parsed, valid template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptTemplate {
    segments: Vec<Segment>,
}

impl PromptTemplate {
    pub fn parse(template: &str) -> Result<Self, TemplateError> {
        let mut segments = Vec::new();
        let mut text = String::new();
        let mut chars = template.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            match c {
                '{' if chars.next_if(|&(_, c)| c == '{').is_some() => text.push('{'),
                '}' if chars.next_if(|&(_, c)| c == '}').is_some() => text.push('}'),
                '}' => {
                    return Err(TemplateError::UnmatchedBrace {
                        template: template.to_owned(),
                        span: (start, 1).into(),
                    })
                }
                '{' => {
                    let Some(length) = template[start..].find('}') else {
                        return Err(TemplateError::UnclosedBrace {
                            template: template.to_owned(),
                            span: (start, 1).into(),
                        });
                    };
                    let name = &template[start + 1..start + length];
                    let field = Field::from_name(name).ok_or_else(|| TemplateError::UnknownPlaceholder {
                        name: name.to_owned(),
                        template: template.to_owned(),
                        span: (start, length + 1).into(),
                    })?;
                    while chars.next_if(|&(i, _)| i <= start + length).is_some() {}
                    if !text.is_empty() {
                        segments.push(Segment::Text(std::mem::take(&mut text)));
                    }
                    segments.push(Segment::Field(field));
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            segments.push(Segment::Text(text));
        }
        Ok(Self { segments })
    }

    /// The prompt for `parts`.
    pub fn render(&self, parts: &PromptParts) -> String {
        self.segments
            .iter()
            .map(|segment| match segment {
                Segment::Text(text) => text.clone(),
                Segment::Field(field) => field.text(parts),
            })
            .collect()
    }
}

/// Parses `template` and renders it for `parts`.
pub fn build_prompt(template: &str, parts: &PromptParts) -> Result<String, TemplateError> {
    Ok(PromptTemplate::parse(template)?.render(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|&w| w.to_owned()).collect()
    }

    #[test]
    fn seed_template_exactly() {
        let parts = PromptParts {
            styles: words(&["minimalist", "chic"]),
            garments: words(&["blazer", "trousers"]),
            colors: words(&["black", "beige"]),
            textures: words(&["wool"]),
            adjectives: words(&["tailored", "structured"]),
        };
        assert_eq!(
            build_prompt(DEFAULT_TEMPLATE, &parts).unwrap(),
            "minimalist, chic blazer, trousers in black, beige, wool texture, tailored, structured, \
             fashion design sheet, clean studio background"
        );
    }

    #[test]
    fn fallbacks_fill_empty_parts() {
        assert_eq!(
            build_prompt(DEFAULT_TEMPLATE, &PromptParts::default()).unwrap(),
            "casual outfit in neutral tones, fabric texture, , fashion design sheet, clean studio background"
        );
    }

    #[test]
    fn escaped_braces_and_repeats() {
        let parts = PromptParts { colors: words(&["red"]), ..PromptParts::default() };
        assert_eq!(build_prompt("{{{colors}}} é {colors}}}", &parts).unwrap(), "{red} é red}");
    }

    #[test]
    fn unknown_placeholder_is_located() {
        let err = PromptTemplate::parse("{styles} in {colour}").unwrap_err();
        match err {
            TemplateError::UnknownPlaceholder { name, span, .. } => {
                assert_eq!(name, "colour");
                assert_eq!((span.offset(), span.len()), (12, 8));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unbalanced_braces() {
        assert!(matches!(PromptTemplate::parse("a {styles"), Err(TemplateError::UnclosedBrace { .. })));
        assert!(matches!(PromptTemplate::parse("a } b"), Err(TemplateError::UnmatchedBrace { .. })));
        assert!(matches!(PromptTemplate::parse("{}"), Err(TemplateError::UnknownPlaceholder { .. })));
    }
}
