//! `PyError`, the reader's one error: the file, the 1-based line, and a message
//! that says what is wrong and, in parentheses, what to do, printed as
//! `models.py:12: <what> (<what to do>)`.

/// A refusal or a syntax error in a Python file, at a line of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct PyError {
    /// The file's label as given to [`crate::python::parse`].
    pub file: String,
    /// 1-based; 0 only when no line applies (a file that could not be parsed at all).
    pub line: usize,
    /// What went wrong, then what to do, in parentheses.
    pub message: String,
}

impl PyError {
    pub fn new(file: impl Into<String>, line: usize, message: impl Into<String>) -> PyError {
        PyError {
            file: file.into(),
            line,
            message: message.into(),
        }
    }
}
