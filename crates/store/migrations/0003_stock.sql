-- Stock: reservations, a movement ledger, safety thresholds and pre-sale; orders.
-- `skus.stock` is the quantity on hand; available = stock - reserved.

ALTER TABLE skus ADD COLUMN reserved BIGINT NOT NULL DEFAULT 0;
ALTER TABLE skus ADD COLUMN safety_threshold BIGINT;
ALTER TABLE skus ADD COLUMN low_alerted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE skus ADD COLUMN presale_cap BIGINT;
ALTER TABLE skus ADD COLUMN presale_sold BIGINT NOT NULL DEFAULT 0;
ALTER TABLE skus ADD COLUMN presale_ship_by BIGINT;
ALTER TABLE stores ADD COLUMN safety_threshold BIGINT NOT NULL DEFAULT 5;

CREATE TABLE stock_movements (
    id             TEXT PRIMARY KEY,
    store_id       TEXT NOT NULL,
    sku_id         TEXT NOT NULL REFERENCES skus(id),
    kind           TEXT NOT NULL,
    on_hand_delta  BIGINT NOT NULL,
    reserved_delta BIGINT NOT NULL,
    on_hand_after  BIGINT NOT NULL,
    reserved_after BIGINT NOT NULL,
    reason         TEXT,
    order_id       TEXT,
    actor_id       TEXT NOT NULL,
    at             BIGINT NOT NULL
);
CREATE INDEX stock_movements_sku ON stock_movements (sku_id, id);

CREATE TABLE orders (
    id         TEXT PRIMARY KEY,
    store_id   TEXT NOT NULL REFERENCES stores(id),
    state      TEXT NOT NULL,
    currency   TEXT NOT NULL,
    total      TEXT NOT NULL,
    placed_by  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX orders_store ON orders (store_id, id);

CREATE TABLE order_lines (
    id         TEXT PRIMARY KEY,
    order_id   TEXT NOT NULL REFERENCES orders(id),
    store_id   TEXT NOT NULL,
    sku_id     TEXT NOT NULL REFERENCES skus(id),
    product_id TEXT NOT NULL,
    quantity   BIGINT NOT NULL,
    unit_price TEXT NOT NULL,
    amount     TEXT NOT NULL,
    presale    BIGINT NOT NULL,
    ship_by    BIGINT,
    shipped_late BIGINT NOT NULL,
    position   BIGINT NOT NULL
);
CREATE INDEX order_lines_order ON order_lines (order_id, position);
CREATE INDEX order_lines_sku ON order_lines (sku_id, id);
