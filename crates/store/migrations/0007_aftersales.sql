-- After-sales (seed 003): tickets, cases, refunds, refund-only policies, return
-- warehouses and reshipments. Amounts are decimal text in the order's currency.

CREATE TABLE aftersales_settings (
    store_id           TEXT PRIMARY KEY REFERENCES stores(id),
    negotiated_enabled BIGINT NOT NULL,
    uploads_labels     BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

CREATE TABLE refund_policies (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id),
    reason     TEXT NOT NULL,
    ceiling    TEXT NOT NULL,
    ratio      BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX refund_policies_store ON refund_policies (store_id, id);

CREATE TABLE tickets (
    id                    TEXT PRIMARY KEY,
    store_id              TEXT NOT NULL REFERENCES stores(id),
    order_id              TEXT NOT NULL REFERENCES orders(id),
    order_line_id         TEXT,
    kind                  TEXT NOT NULL,
    state                 TEXT NOT NULL,
    on_timeout            TEXT NOT NULL,
    buyer_address         TEXT,
    address_visible_until BIGINT,
    reshipment_agreed     BIGINT,
    tracking_number       TEXT,
    due_at                BIGINT NOT NULL,
    answered_at           BIGINT,
    created_by            TEXT NOT NULL,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE INDEX tickets_store ON tickets (store_id, id);

CREATE TABLE ticket_messages (
    id           TEXT PRIMARY KEY,
    ticket_id    TEXT NOT NULL REFERENCES tickets(id),
    author_id    TEXT NOT NULL,
    author_role  TEXT NOT NULL,
    body         TEXT NOT NULL,
    evidence_ids TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);

CREATE TABLE aftersales_cases (
    id               TEXT PRIMARY KEY,
    store_id         TEXT NOT NULL REFERENCES stores(id),
    order_id         TEXT NOT NULL REFERENCES orders(id),
    order_line_id    TEXT,
    case_type        TEXT NOT NULL,
    state            TEXT NOT NULL,
    reason           TEXT NOT NULL,
    quantity         BIGINT,
    requested_amount TEXT NOT NULL,
    refund_amount    TEXT,
    currency         TEXT NOT NULL,
    policy_id        TEXT,
    decided_by       TEXT,
    due_at           BIGINT,
    label_mode       TEXT,
    label_due_at     BIGINT,
    carrier          TEXT,
    tracking_number  TEXT,
    label_file_id    TEXT,
    warehouse_id     TEXT,
    evidence_ids     TEXT NOT NULL,
    note             TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX aftersales_cases_store ON aftersales_cases (store_id, id);
CREATE INDEX aftersales_cases_order ON aftersales_cases (order_id);

CREATE TABLE refunds (
    id            TEXT PRIMARY KEY,
    store_id      TEXT NOT NULL,
    case_id       TEXT NOT NULL REFERENCES aftersales_cases(id),
    order_id      TEXT NOT NULL REFERENCES orders(id),
    order_line_id TEXT NOT NULL REFERENCES order_lines(id),
    amount        TEXT NOT NULL,
    currency      TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX refunds_line ON refunds (order_line_id);
CREATE INDEX refunds_case ON refunds (case_id);

-- Names are unique per store across countries (the seed: the same warehouse set up in two
-- countries needs two names).
CREATE TABLE return_warehouses (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id),
    country    TEXT NOT NULL,
    name       TEXT NOT NULL,
    address    TEXT NOT NULL,
    is_default BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (store_id, name)
);

CREATE TABLE warehouse_products (
    warehouse_id TEXT NOT NULL REFERENCES return_warehouses(id),
    product_id   TEXT NOT NULL REFERENCES products(id),
    store_id     TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (warehouse_id, product_id)
);
CREATE INDEX warehouse_products_product ON warehouse_products (product_id);

CREATE TABLE reshipments (
    id              TEXT PRIMARY KEY,
    store_id        TEXT NOT NULL REFERENCES stores(id),
    order_id        TEXT NOT NULL REFERENCES orders(id),
    state           TEXT NOT NULL,
    reason          TEXT NOT NULL,
    carrier         TEXT,
    tracking_number TEXT,
    due_at          BIGINT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    decided_at      BIGINT
);
CREATE INDEX reshipments_store ON reshipments (store_id, id);
