//! marketdesk's domain: the rules of domain.md as pure functions over parsed types.
//!
//! Nothing here does I/O or knows about SQL, HTTP or tokio, so every rule can be
//! tested (and property-tested) without a database.

#[macro_use]
mod names;

pub mod aftersales;
pub mod calendar;
pub mod credentials;
pub mod deadline;
pub mod id;
pub mod language;
pub mod listing;
pub mod money;
pub mod monitoring;
pub mod notify;
pub mod order;
pub mod programs;
pub mod reason;
pub mod review_claim;
pub mod role;
pub mod rules;
pub mod site;
pub mod stock;
pub mod store_standing;
pub mod team;
pub mod validation;
pub mod violation;

pub use language::Language;
pub use listing::{Action, DelistKind, Label, ListingStatus, State, TransitionError};
pub use money::Money;
pub use order::OrderState;
pub use reason::ReasonCode;
pub use role::{FulfilmentMode, Role};
pub use site::Site;
pub use validation::{FieldError, Invalid};
