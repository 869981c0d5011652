-- Monitoring intelligence (seed 000): the classified code of every stored reason text,
-- counters kept as events happen (benchmarks and the weekly review read a week's
-- counters, never the timeline), and each store's daily compliance score.

-- The classifier's code for the free text a reason came with (NULL: no text).
ALTER TABLE timeline ADD COLUMN classified_code TEXT;

-- Events per store, UTC hour, metric, category and code, incremented in the transaction
-- that writes the event. An hour is `at / 3_600_000_000` (microseconds), so a site's
-- local day or week is a range of hours whatever its zone.
CREATE TABLE monitoring_counts (
    store_id TEXT NOT NULL,
    hour     BIGINT NOT NULL,
    metric   TEXT NOT NULL,
    category TEXT NOT NULL,
    code     TEXT NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (store_id, hour, metric, category, code)
);
CREATE INDEX monitoring_counts_hour ON monitoring_counts (hour, metric);

-- The compliance score as it stood at the end of each local day of the store's site.
CREATE TABLE compliance_history (
    store_id    TEXT NOT NULL REFERENCES stores(id),
    day         TEXT NOT NULL,
    score       BIGINT NOT NULL,
    components  TEXT NOT NULL,
    computed_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, day)
);

-- The score's windows: a store's violations by creation and by closing.
CREATE INDEX violations_store_created ON violations (store_id, created_at);
CREATE INDEX violations_store_closed ON violations (store_id, closed_at);
CREATE INDEX tickets_store_due ON tickets (store_id, due_at);
CREATE INDEX aftersales_cases_store_due ON aftersales_cases (store_id, due_at);
CREATE INDEX orders_store_jit_due ON orders (store_id, jit_due_at);
CREATE INDEX order_lines_store_ship_by ON order_lines (store_id, ship_by);
-- Advice: the same main image in another store's listing.
CREATE INDEX evidence_sha256 ON evidence (sha256);
CREATE INDEX products_main_image ON products (main_image_id);
