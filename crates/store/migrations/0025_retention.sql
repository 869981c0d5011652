-- Retention finds old rows by age without scanning. (An event's deliveries are found by
-- the unique (event_id, channel, recipient) index.)
CREATE INDEX outbox_dispatched ON outbox (dispatched_at);
CREATE INDEX idempotency_created ON idempotency (created_at);
CREATE INDEX console_sessions_seen ON console_sessions (last_seen_at);
