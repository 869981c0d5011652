-- A store's suppliers and what they offer per SKU: restock suggestions rank them.
CREATE TABLE suppliers (
    id             TEXT PRIMARY KEY,
    store_id       TEXT NOT NULL REFERENCES stores(id),
    name           TEXT NOT NULL,
    lead_time_days BIGINT NOT NULL,
    on_time_rate   TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    UNIQUE (store_id, name)
);

CREATE TABLE supplier_offers (
    supplier_id TEXT NOT NULL REFERENCES suppliers(id),
    sku_id      TEXT NOT NULL REFERENCES skus(id),
    unit_cost   TEXT NOT NULL,
    PRIMARY KEY (supplier_id, sku_id)
);
CREATE INDEX supplier_offers_sku ON supplier_offers (sku_id);
