-- API tokens get an id (to list and revoke one without knowing it), a name, an optional
-- expiry and the time they were last used (to within the one-minute token memory).
ALTER TABLE api_tokens ADD COLUMN id TEXT;
ALTER TABLE api_tokens ADD COLUMN name TEXT NOT NULL DEFAULT 'default';
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
-- Tokens made before this version: a UUID-shaped id from their hash (SQL has no portable
-- random UUID). The hash is of a 256-bit random token, so its digits reveal nothing.
UPDATE api_tokens SET id = substr(token_hash, 1, 8) || '-' || substr(token_hash, 9, 4)
    || '-7' || substr(token_hash, 14, 3) || '-8' || substr(token_hash, 18, 3)
    || '-' || substr(token_hash, 21, 12)
WHERE id IS NULL;
CREATE UNIQUE INDEX api_tokens_id ON api_tokens (id);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
