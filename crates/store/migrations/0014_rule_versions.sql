-- Rule clauses are living data: an admin edits or retires a clause, each edit is a new
-- version kept for good, and a violation keeps the version it was decided under. `rules`
-- holds each clause's current version; `rule_versions` every version ever published.
ALTER TABLE rules ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
-- A JSON array of site codes the clause applies to; empty: every site.
ALTER TABLE rules ADD COLUMN sites TEXT NOT NULL DEFAULT '[]';
ALTER TABLE rules ADD COLUMN retired_at BIGINT;

CREATE TABLE rule_versions (
    code        TEXT NOT NULL REFERENCES rules(code),
    version     BIGINT NOT NULL,
    title       TEXT NOT NULL,
    text        TEXT NOT NULL,
    severity    TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    sites       TEXT NOT NULL,
    retired_at  BIGINT,
    changed_by  TEXT NOT NULL,
    changed_at  BIGINT NOT NULL,
    PRIMARY KEY (code, version)
);
INSERT INTO rule_versions (code, version, title, text, severity, reason_code, sites, retired_at, changed_by, changed_at)
    SELECT code, 1, title, text, severity, reason_code, '[]', NULL, 'system', created_at FROM rules;

ALTER TABLE violations ADD COLUMN rule_version BIGINT NOT NULL DEFAULT 1;

-- Announcements (公告): a changed, new or retired clause, or a notice an admin writes, for
-- the sellers of the sites it names (empty: every site).
CREATE TABLE announcements (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    sites        TEXT NOT NULL,
    rule_code    TEXT,
    rule_version BIGINT,
    created_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
