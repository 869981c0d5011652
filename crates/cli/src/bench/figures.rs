//! The figures every section prints: percentiles of sorted timings, milliseconds, and the
//! disk's own limit on durable commits.

use std::io::Write;
use std::time::{Duration, Instant};

/// The physical limit of a durable single-writer commit: how often this disk can make a
/// small write durable.
pub(crate) fn fsync_rate(dir: &std::path::Path, n: usize) -> anyhow::Result<f64> {
    let path = dir.join("fsync-probe");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .open(&path)?;
    let block = [7u8; 4096];
    let start = Instant::now();
    for _ in 0..n {
        f.write_all(&block)?;
        f.sync_data()?;
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    drop(f);
    std::fs::remove_file(path)?;
    Ok(rate)
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
