-- Site calendars (editable), platform rules, violation cases with their rectifications
-- and appeals, durable deadlines and the persisted sandbox clock.

ALTER TABLE sites ADD COLUMN weekend TEXT NOT NULL DEFAULT 'sat,sun';
ALTER TABLE sites ADD COLUMN calendar_seeded BIGINT NOT NULL DEFAULT 0;

CREATE TABLE site_days (
    site_code TEXT NOT NULL REFERENCES sites(code),
    day       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (site_code, day)
);

CREATE TABLE rules (
    code        TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    text        TEXT NOT NULL,
    severity    TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE violations (
    id                      TEXT PRIMARY KEY,
    store_id                TEXT NOT NULL REFERENCES stores(id),
    product_id              TEXT NOT NULL REFERENCES products(id),
    site_code               TEXT NOT NULL,
    rule_code               TEXT NOT NULL REFERENCES rules(code),
    severity                TEXT NOT NULL,
    details                 TEXT NOT NULL,
    evidence_ids            TEXT NOT NULL,
    state                   TEXT NOT NULL,
    outcome                 TEXT,
    resume_state            TEXT,
    rectify_due_at          BIGINT NOT NULL,
    rectified_at            BIGINT,
    rectify_deadline_passed BIGINT NOT NULL,
    review_due_at           BIGINT,
    review_overdue          BIGINT NOT NULL,
    appeal_due_at           BIGINT NOT NULL,
    created_by              TEXT NOT NULL,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    closed_at               BIGINT
);
CREATE INDEX violations_store_state ON violations (store_id, state, id);
CREATE INDEX violations_state ON violations (state, id);
CREATE INDEX violations_product ON violations (product_id, state);
CREATE INDEX violations_rule ON violations (rule_code, id);
CREATE INDEX violations_due ON violations (rectify_due_at);

CREATE TABLE rectifications (
    id           TEXT PRIMARY KEY,
    violation_id TEXT NOT NULL REFERENCES violations(id),
    plan         TEXT NOT NULL,
    evidence_ids TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at BIGINT NOT NULL
);
CREATE INDEX rectifications_violation ON rectifications (violation_id, id);

CREATE TABLE appeals (
    id            TEXT PRIMARY KEY,
    violation_id  TEXT NOT NULL REFERENCES violations(id),
    statement     TEXT NOT NULL,
    evidence_ids  TEXT NOT NULL,
    state         TEXT NOT NULL,
    submitted_by  TEXT NOT NULL,
    submitted_at  BIGINT NOT NULL,
    decided_by    TEXT,
    decided_at    BIGINT,
    decision_note TEXT
);
CREATE INDEX appeals_violation ON appeals (violation_id, id);

-- Durable deadlines: a worker fires each pending one once it is due. The partial index
-- holds only pending rows, so finding the due ones never scans fired history.
CREATE TABLE deadlines (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    due_at     BIGINT NOT NULL,
    state      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    fired_at   BIGINT,
    fired_by   TEXT
);
CREATE INDEX deadlines_pending_due ON deadlines (due_at, id) WHERE state = 'pending';
CREATE INDEX deadlines_subject ON deadlines (subject_id);

-- The sandbox clock (`serve --clock manual`), shared by every process on the database and
-- kept across restarts.
CREATE TABLE sandbox_clock (
    id     BIGINT PRIMARY KEY,
    now_us BIGINT NOT NULL
);
