-- The in-app inbox (站内信): one message per event and recipient, written by the outbox
-- dispatcher. The unique key makes redelivery of an event harmless.
CREATE TABLE inbox (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    store_id    TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    severity    TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    subject_id  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT,
    UNIQUE (event_id, user_id)
);
CREATE INDEX inbox_user ON inbox (user_id, id);
CREATE INDEX inbox_unread ON inbox (user_id, read_at);
