//! Black-box API tests: each scenario talks HTTP to a real server on a free port, backed
//! by a fresh SQLite database and, when MARKETDESK_TEST_POSTGRES_URL is set, again by a
//! fresh PostgreSQL database. One binary for all of them keeps link times down.

mod helpers;

mod aftersales;
mod auth;
mod bad_input;
mod batch;
mod bounds;
mod channel_receivers;
mod channels;
mod clock;
mod console;
mod csv_exports;
mod editing;
mod evidence;
mod files;
mod filters;
mod idempotency;
mod inbox;
mod isolation;
mod lifecycle;
mod live_streams;
mod low_stock;
mod monitoring;
mod monitoring_mail;
mod notification_language;
mod openapi;
mod order_batch;
mod order_list;
mod product_csv;
mod product_reads;
mod product_search;
mod programs_affiliate;
mod programs_deposit;
mod programs_fully_managed;
mod request_shapes;
mod retention;
mod review;
mod rules_announcements;
mod staff;
mod state_machine;
mod stock;
mod stock_ledger;
mod store_standing;
mod team;
mod token_lifecycle;
mod users;
mod violation_appeals;
mod violation_races;
mod violations;
mod webhook_targets;
mod webhooks;
