//! Store programs beyond plain selling: the affiliate program (精选联盟, seed 001), the
//! fully-managed store (全托管, seed 002) and its security deposit (保证金).

pub mod affiliate;
pub mod deposit;
pub mod fully_managed;
