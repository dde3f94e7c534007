//! The one error type of a run, and the exit code it maps to.
//!
//! Exit codes: 0 success; 1 the input data has errors (the data-quality
//! table says where); 2 usage, model, template or file-system errors.

use std::fmt;

/// What kind of failure ended the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The input data has errors: exit 1.
    Data,
    /// Usage, model, template, output or other errors: exit 2.
    Usage,
}

/// A failure with its kind. Any `anyhow::Error` converts into a usage
/// failure, so only data errors are marked where they arise.
#[derive(Debug)]
pub struct Error {
    kind: Kind,
    source: anyhow::Error,
}

/// A result whose error carries its exit code.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The input data has errors.
    pub fn data(source: impl Into<anyhow::Error>) -> Self {
        Self {
            kind: Kind::Data,
            source: source.into(),
        }
    }

    /// A usage, model or system error.
    pub fn usage(source: impl Into<anyhow::Error>) -> Self {
        Self {
            kind: Kind::Usage,
            source: source.into(),
        }
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The process exit code: 1 for data errors, 2 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Data => 1,
            Kind::Usage => 2,
        }
    }

    /// The message with its causes, one chain (`a：b：c`).
    pub fn message(&self) -> String {
        format!("{:#}", self.source)
    }
}

impl From<anyhow::Error> for Error {
    fn from(source: anyhow::Error) -> Self {
        Self::usage(source)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.source)
    }
}

/// Mark a result's error as a data error.
pub trait DataContext<T> {
    fn data_error(self) -> Result<T>;
}

impl<T, E: Into<anyhow::Error>> DataContext<T> for std::result::Result<T, E> {
    fn data_error(self) -> Result<T> {
        self.map_err(Error::data)
    }
}
