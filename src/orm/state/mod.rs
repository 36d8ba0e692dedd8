//! Instances of models and their states, and the identity map that holds
//! one object per row.

pub(crate) mod identity;
pub mod instance;
