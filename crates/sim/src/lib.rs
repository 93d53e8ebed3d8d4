pub mod eval;
pub mod simulate;
