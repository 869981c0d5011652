//! Monitoring intelligence (seed 000, "智能诊断工具"): the compliance score, category
//! benchmarks and rectification advice, as pure rules over counts and snapshots the
//! service reads. The reason classifier is a crate of its own (`marketdesk-classify`):
//! it carries a trained model and a segmenter, which core's rules do not need.

pub mod advice;
pub mod benchmark;
pub mod compliance;
pub mod counters;
pub mod schedule;
