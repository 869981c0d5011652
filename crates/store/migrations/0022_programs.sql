-- Store programs (seeds 001 and 002): the affiliate program (精选联盟) and leaving it; the
-- fully-managed store (全托管), its application, its products' fulfilment and JIT orders;
-- the security deposit (保证金) and its refund.

-- The affiliate (creator) who brought an order, and a JIT order's inbound at the
-- platform's warehouse: due 48 h after the order, received, or flagged overdue.
ALTER TABLE orders ADD COLUMN affiliate_id TEXT;
ALTER TABLE orders ADD COLUMN jit_due_at BIGINT;
ALTER TABLE orders ADD COLUMN inbound_at BIGINT;
ALTER TABLE orders ADD COLUMN jit_overdue_at BIGINT;
CREATE INDEX orders_store_affiliate ON orders (store_id, affiliate_id);

-- A fully-managed store's products: stocked at the warehouse (备仓) or JIT, and the
-- qualification documents a special category asks for. NULL fulfilment: not fully managed.
ALTER TABLE products ADD COLUMN fulfilment TEXT;
ALTER TABLE products ADD COLUMN qualification_ids TEXT NOT NULL DEFAULT '[]';

-- A store opened through the program: the self-operated store it was opened from, and
-- where it stands (awaiting_deposit, closed; NULL: open).
ALTER TABLE stores ADD COLUMN parent_store_id TEXT;
ALTER TABLE stores ADD COLUMN program_state TEXT;

CREATE TABLE affiliate_enrolments (
    product_id          TEXT PRIMARY KEY REFERENCES products(id),
    store_id            TEXT NOT NULL REFERENCES stores(id),
    commission_percent  TEXT NOT NULL,
    enrolled_at         BIGINT NOT NULL,
    enrolled_by         TEXT NOT NULL,
    left_at             BIGINT,
    exit_id             TEXT
);
CREATE INDEX affiliate_enrolments_store ON affiliate_enrolments (store_id, product_id);

CREATE TABLE affiliate_campaigns (
    id          TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL REFERENCES stores(id),
    name        TEXT NOT NULL,
    starts_at   BIGINT NOT NULL,
    ends_at     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX affiliate_campaigns_store ON affiliate_campaigns (store_id, ends_at);

CREATE TABLE affiliate_campaign_products (
    campaign_id TEXT NOT NULL REFERENCES affiliate_campaigns(id),
    product_id  TEXT NOT NULL REFERENCES products(id),
    PRIMARY KEY (campaign_id, product_id)
);
CREATE INDEX affiliate_campaign_products_product ON affiliate_campaign_products (product_id);

CREATE TABLE affiliate_exits (
    id                  TEXT PRIMARY KEY,
    store_id            TEXT NOT NULL REFERENCES stores(id),
    state               TEXT NOT NULL,
    exit_at             BIGINT NOT NULL,
    product_ids         TEXT NOT NULL,
    buyer_notice        TEXT NOT NULL,
    compensation_kind   TEXT NOT NULL,
    compensation_amount TEXT,
    currency            TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    created_by          TEXT NOT NULL,
    cancelled_at        BIGINT,
    ran_at              BIGINT
);
CREATE INDEX affiliate_exits_store ON affiliate_exits (store_id, id);

-- One notice per affected buyer, sent when the exit was confirmed.
CREATE TABLE affiliate_exit_notices (
    id        TEXT PRIMARY KEY,
    exit_id   TEXT NOT NULL REFERENCES affiliate_exits(id),
    buyer_id  TEXT NOT NULL,
    order_ids TEXT NOT NULL,
    sent_at   BIGINT NOT NULL
);
CREATE INDEX affiliate_exit_notices_exit ON affiliate_exit_notices (exit_id, buyer_id);

-- The compensation promised per affected order.
CREATE TABLE affiliate_exit_compensations (
    id        TEXT PRIMARY KEY,
    exit_id   TEXT NOT NULL REFERENCES affiliate_exits(id),
    order_id  TEXT NOT NULL REFERENCES orders(id),
    buyer_id  TEXT,
    kind      TEXT NOT NULL,
    amount    TEXT,
    currency  TEXT NOT NULL
);
CREATE INDEX affiliate_exit_compensations_exit ON affiliate_exit_compensations (exit_id, order_id);

CREATE TABLE fm_applications (
    id                  TEXT PRIMARY KEY,
    store_id            TEXT NOT NULL REFERENCES stores(id),
    company_name        TEXT NOT NULL,
    registration_number TEXT NOT NULL,
    entity              TEXT NOT NULL,
    contact_email       TEXT NOT NULL,
    document_ids        TEXT NOT NULL,
    state               TEXT NOT NULL,
    submitted_at        BIGINT NOT NULL,
    submitted_by        TEXT NOT NULL,
    review_due_at       BIGINT NOT NULL,
    review_late_at      BIGINT,
    missing             TEXT NOT NULL DEFAULT '[]',
    decided_at          BIGINT,
    decided_by          TEXT,
    decision_note       TEXT,
    managed_store_id    TEXT
);
CREATE INDEX fm_applications_store ON fm_applications (store_id, id);
CREATE INDEX fm_applications_state ON fm_applications (state, review_due_at);

CREATE TABLE fm_application_messages (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES fm_applications(id),
    at             BIGINT NOT NULL,
    author_id      TEXT NOT NULL,
    author_role    TEXT NOT NULL,
    body           TEXT NOT NULL,
    evidence_ids   TEXT NOT NULL
);
CREATE INDEX fm_application_messages_app ON fm_application_messages (application_id, id);

-- Special categories (特殊类目): closed to fully-managed stores, or open with a qualification.
CREATE TABLE special_categories (
    category    TEXT PRIMARY KEY,
    rule        TEXT NOT NULL,
    note        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL
);

-- The deposit ledger: history, so a trigger refuses updates and deletes.
CREATE TABLE deposit_entries (
    id                TEXT PRIMARY KEY,
    store_id          TEXT NOT NULL REFERENCES stores(id),
    at                BIGINT NOT NULL,
    kind              TEXT NOT NULL,
    amount            TEXT NOT NULL,
    currency          TEXT NOT NULL,
    reason            TEXT NOT NULL,
    settles           TEXT,
    refund_request_id TEXT,
    reference         TEXT,
    actor_id          TEXT NOT NULL
);
CREATE INDEX deposit_entries_store ON deposit_entries (store_id, id);

-- Penalties a store owes (欠款) until a deduction settles them.
CREATE TABLE store_penalties (
    id            TEXT PRIMARY KEY,
    store_id      TEXT NOT NULL REFERENCES stores(id),
    amount        TEXT NOT NULL,
    currency      TEXT NOT NULL,
    reason        TEXT NOT NULL,
    violation_id  TEXT,
    created_at    BIGINT NOT NULL,
    created_by    TEXT NOT NULL,
    settled_at    BIGINT,
    settled_by_entry TEXT
);
CREATE INDEX store_penalties_store ON store_penalties (store_id, settled_at);

CREATE TABLE deposit_refunds (
    id               TEXT PRIMARY KEY,
    store_id         TEXT NOT NULL REFERENCES stores(id),
    state            TEXT NOT NULL,
    reason           TEXT NOT NULL,
    amount           TEXT NOT NULL,
    currency         TEXT NOT NULL,
    requested_at     BIGINT NOT NULL,
    requested_by     TEXT NOT NULL,
    decided_at       BIGINT,
    decided_by       TEXT,
    decision_note    TEXT,
    deducted         TEXT,
    refund_amount    TEXT,
    due_at           BIGINT,
    paid_at          BIGINT,
    payout_reference TEXT,
    late_at          BIGINT
);
CREATE INDEX deposit_refunds_store ON deposit_refunds (store_id, id);
