//! The error a stage returns: what went wrong, and what the user can do about it.

use std::fmt;

#[derive(Debug)]
pub struct StageError {
    pub message: String,
    pub help: Option<String>,
}

impl StageError {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), help: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Wraps any error with what was being done when it happened.
    pub fn wrap(context: impl fmt::Display, err: impl fmt::Display) -> Self {
        Self::new(format!("{context}: {err}"))
    }
}

impl fmt::Display for StageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StageError {}
