//! Error type of the crate.

/// Everything that can go wrong when building a [`Graph`](crate::Graph) or validating
/// [`LeidenOptions`](crate::LeidenOptions). Bad input is always reported through this
/// type, never by panicking.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// An edge refers to a node id that is not in `0..n`.
    #[error("edge #{index}: node id {node} is out of range for a graph with {n} nodes")]
    NodeOutOfRange {
        /// Position of the offending edge in the input sequence (0-based).
        index: usize,
        /// The offending node id.
        node: u32,
        /// Number of nodes of the graph being built.
        n: usize,
    },
    /// An edge weight is NaN, infinite or negative.
    #[error("edge #{index} ({u}, {v}): weight {weight} is invalid (weights must be finite and >= 0)")]
    InvalidWeight {
        /// Position of the offending edge in the input sequence (0-based).
        index: usize,
        /// First endpoint.
        u: u32,
        /// Second endpoint.
        v: u32,
        /// The offending weight.
        weight: f64,
    },
    /// Summing duplicate edges (or all edges) overflowed `f64`.
    #[error("edge weights of node {node} overflow f64 when summed")]
    WeightOverflow {
        /// Smallest node id at which the overflow was detected.
        node: u32,
    },
    /// More nodes than `u32` ids (and `u32` community ids) can address.
    #[error("too many nodes: {n} (at most {max})", max = u32::MAX)]
    TooManyNodes {
        /// Requested number of nodes.
        n: usize,
    },
    /// A [`LeidenOptions`](crate::LeidenOptions) field has an invalid value.
    #[error("invalid Leiden option `{name}` = {value}: {reason}")]
    InvalidOption {
        /// Field name.
        name: &'static str,
        /// Offending value.
        value: f64,
        /// What is required.
        reason: &'static str,
    },
}
