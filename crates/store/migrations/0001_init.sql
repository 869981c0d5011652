-- marketdesk schema, one text for SQLite and PostgreSQL. The few statements whose
-- dialects differ (the timeline's immutability trigger, PostgreSQL's extended statistics)
-- are applied by src/dialect.rs after these migrations.
-- Instants are BIGINT microseconds since the Unix epoch (UTC); money is decimal TEXT.

CREATE TABLE sites (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    currency    TEXT NOT NULL,
    time_zone   TEXT NOT NULL
);

CREATE TABLE stores (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    site_code       TEXT NOT NULL REFERENCES sites(code),
    fulfilment_mode TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    store_id    TEXT REFERENCES stores(id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE products (
    id                  TEXT PRIMARY KEY,
    store_id            TEXT NOT NULL REFERENCES stores(id),
    title               TEXT NOT NULL,
    category            TEXT NOT NULL,
    state               TEXT NOT NULL,
    delist_kind         TEXT,
    reason_code         TEXT,
    reason_text         TEXT,
    review_return_state TEXT,
    review_return_kind  TEXT,
    currency            TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    version             BIGINT NOT NULL
);
-- Keyset pages are `ORDER BY id DESC` within a store; each filter the list page offers
-- gets an index that ends in id, so a filtered page is an index range scan.
CREATE INDEX products_store_id ON products (store_id, id);
CREATE INDEX products_store_state ON products (store_id, state, id);
CREATE INDEX products_store_kind ON products (store_id, delist_kind, id);
CREATE INDEX products_store_reason ON products (store_id, reason_code, id);
CREATE INDEX products_store_category ON products (store_id, category, id);
CREATE INDEX products_store_updated ON products (store_id, updated_at);

CREATE TABLE skus (
    id          TEXT PRIMARY KEY,
    product_id  TEXT NOT NULL REFERENCES products(id),
    store_id    TEXT NOT NULL,
    code        TEXT NOT NULL,
    price       TEXT NOT NULL,
    currency    TEXT NOT NULL,
    stock       BIGINT NOT NULL,
    position    BIGINT NOT NULL,
    UNIQUE (store_id, code)
);
CREATE INDEX skus_product ON skus (product_id, position);

-- Tab counts of the product list, kept in the transaction of each change so a list
-- page never counts a million rows.
CREATE TABLE product_counts (
    store_id    TEXT NOT NULL,
    state       TEXT NOT NULL,
    delist_kind TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (store_id, state, delist_kind)
);

CREATE TABLE timeline (
    id          TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL,
    product_id  TEXT NOT NULL,
    at          BIGINT NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    delist_kind TEXT,
    reason_code TEXT,
    reason_text TEXT,
    evidence_ids TEXT NOT NULL
);
CREATE INDEX timeline_product ON timeline (product_id, id);

CREATE TABLE outbox (
    id            TEXT PRIMARY KEY,
    store_id      TEXT NOT NULL,
    event_type    TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    payload       TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    dispatched_at BIGINT
);
CREATE INDEX outbox_pending ON outbox (dispatched_at, id);

CREATE TABLE evidence (
    id           TEXT PRIMARY KEY,
    store_id     TEXT,
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    filename     TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE TABLE idempotency (
    user_id      TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       BIGINT,
    body         TEXT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
