-- Console logins (argon2 PHC strings, never the password), sessions kept in our own table
-- (tower-sessions' SQL store pins an older sqlx), and login failures counted per login
-- and per address so guessing slows down across processes.
ALTER TABLE users ADD COLUMN login TEXT;
ALTER TABLE users ADD COLUMN password_hash TEXT;
-- Set when an owner or admin disables the account: its sessions and tokens stop at once.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
CREATE UNIQUE INDEX users_login ON users (login);

CREATE TABLE console_sessions (
    -- SHA-256 of the cookie's value: a stolen database holds no usable session.
    id_hash      TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    csrf_token   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_user ON console_sessions (user_id);

CREATE TABLE login_failures (
    -- 'login:NAME' or 'addr:IP'.
    key        TEXT PRIMARY KEY,
    failures   BIGINT NOT NULL,
    last_at    BIGINT NOT NULL
);

-- The delist check counts the orders still to ship per product.
CREATE INDEX order_lines_product ON order_lines (product_id);
