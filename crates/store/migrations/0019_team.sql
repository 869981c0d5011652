-- 子账号: a seller account's team role (owner, operations, customer_service, finance).
-- NULL for accounts made before teams existed: the store's first sellers, its owners.
ALTER TABLE users ADD COLUMN team_role TEXT;

-- An owner's invitation to join the store's team. The link's token is e-mailed and
-- never stored: only its SHA-256. Used once (accepted_at), withdrawn (revoked_at), or
-- dead after expires_at.
CREATE TABLE team_invites (
    id          TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL REFERENCES stores(id),
    email       TEXT NOT NULL,
    team_role   TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    invited_by  TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    accepted_at BIGINT,
    user_id     TEXT REFERENCES users(id),
    revoked_at  BIGINT
);
CREATE INDEX team_invites_store ON team_invites (store_id, id);
