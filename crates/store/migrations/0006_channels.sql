-- Notification channels beyond the inbox: contact details, preferences, the rule table,
-- webhook subscriptions and one delivery row per event, channel and recipient.

ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;

-- Per-user channel choices and quiet hours (civil times in `time_zone`, which defaults to
-- the user's store's site zone). Users without a row get every channel the rule names.
CREATE TABLE notification_prefs (
    user_id       TEXT PRIMARY KEY REFERENCES users(id),
    email_enabled BIGINT NOT NULL,
    sms_enabled   BIGINT NOT NULL,
    quiet_start   TEXT,
    quiet_end     TEXT,
    time_zone     TEXT NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- Admin overrides of the built-in rule table (marketdesk-core notify::default_rule).
CREATE TABLE notification_rules (
    event_type   TEXT PRIMARY KEY,
    severity     TEXT NOT NULL,
    to_owner     BIGINT NOT NULL,
    to_staff     BIGINT NOT NULL,
    to_reviewers BIGINT NOT NULL,
    channels     TEXT NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- The signing secret must stay readable to sign with (as at every webhook provider), so
-- it is not hashed; it is shown once at creation and never listed.
CREATE TABLE webhook_subscriptions (
    id          TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL REFERENCES stores(id),
    url         TEXT NOT NULL,
    event_types TEXT NOT NULL,
    secret      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    deleted_at  BIGINT
);
CREATE INDEX webhook_subscriptions_store ON webhook_subscriptions (store_id);

-- One row per event, channel and recipient: its id is the stable message id receivers
-- deduplicate on (webhook-id, Message-ID, the SMS request's message_id). A sender claims a
-- due row by pushing next_attempt_at forward (a lease), sends outside any transaction and
-- records the outcome; a crashed sender's lease simply expires.
CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    store_id        TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    channel         TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    target          TEXT NOT NULL,
    severity        TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    delivered_at    BIGINT,
    UNIQUE (event_id, channel, recipient)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE INDEX deliveries_store ON deliveries (store_id, id);

-- The delivery log: every attempt and what the far side answered.
CREATE TABLE delivery_attempts (
    id          TEXT PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES deliveries(id),
    at          BIGINT NOT NULL,
    ok          BIGINT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id);
