//! keytool's operations on the model (placeholder, filled in next).

/// What to do when an alias already holds a different certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportPolicy {
    /// Refuse (an error naming the alias).
    #[default]
    Refuse,
    /// Replace the entry.
    Replace,
}

/// What an import did with one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// Added under the alias.
    Added {
        /// The alias used.
        alias: String,
    },
}
