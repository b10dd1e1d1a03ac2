//! The EMR data screen: the mapping matrix (EMR status values × business states × facility,
//! with counts, suggestions and the interviews' "done means" candidates), as
//! `crate::mapping::MappingMatrix` computes it.

pub use crate::mapping::{Cell, FieldRows, MappingMatrix, StateCandidate, StateColumn, Suggestion, ValueRow};

use crate::error::Result;
use crate::model::Model;

/// The mapping matrix of the project.
pub fn matrix(m: &Model) -> Result<MappingMatrix> {
    Ok(crate::mapping::matrix(m))
}
