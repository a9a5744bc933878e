//! Warnings and errors about pages and manifests, each naming a file and line.

use std::fmt;

use crate::model::Source;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The descriptor was built, but a human should look (a contradiction, a guess).
    Warning,
    /// The page (or manifest) could not be turned into a descriptor.
    Error,
}

/// One finding, printed as `page:line: warning: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// Where.
    pub source: Source,
    /// What is wrong and, where possible, what was expected.
    pub message: String,
    /// What the warning is about, for the manifest to acknowledge it (`column:处理建议` is
    /// silenced by `ignored_columns = ["处理建议"]`); empty for warnings that must be settled.
    pub subjects: Vec<String>,
}

impl Diagnostic {
    /// An error at `page:line`.
    pub fn error(page: &str, line: u32, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            source: Source {
                page: page.to_owned(),
                line,
            },
            message: message.into(),
            subjects: Vec::new(),
        }
    }

    /// A warning at `source`.
    pub fn warning(source: Source, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            source,
            message: message.into(),
            subjects: Vec::new(),
        }
    }

    /// The same diagnostic, about `subjects` (see [`Diagnostic::subjects`]).
    pub fn about(mut self, subjects: Vec<String>) -> Self {
        self.subjects = subjects;
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{}: {label}: {}", self.source, self.message)
    }
}
