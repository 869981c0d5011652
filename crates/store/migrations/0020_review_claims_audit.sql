-- A reviewer's claim on a violation case: one holder at a time, until expires_at (30
-- minutes after the claim), so two reviewers never work on the same case.
CREATE TABLE review_claims (
    violation_id TEXT PRIMARY KEY REFERENCES violations(id),
    reviewer_id  TEXT NOT NULL REFERENCES users(id),
    claimed_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);

-- The audit log: one row per state-changing request of platform staff, through the API
-- or the console. Append-only: a trigger refuses updates and deletes (as the timeline).
CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    status      BIGINT NOT NULL,
    subject_id  TEXT,
    -- JSON arrays of what each change found and left: [{"subject", "what", "before", "after"}].
    changes     TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
