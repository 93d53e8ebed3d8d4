//! Acting on a finished run: explanations, third-party list assessment, takedown and
//! indicator exports, and the hashed disclosure dataset.

pub mod assess;
pub mod baseline;
pub mod disclosure;
pub mod explain;
pub mod export;
