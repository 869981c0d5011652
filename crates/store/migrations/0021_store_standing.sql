-- A store's standing (店铺状态): merchant operations may suspend a store with a reason and
-- reinstate it. NULL suspended_at: active.
ALTER TABLE stores ADD COLUMN suspended_at BIGINT;
ALTER TABLE stores ADD COLUMN suspension_reason TEXT;

-- The store's own timeline (suspensions and reinstatements, with who and why). History:
-- a trigger refuses updates and deletes, as on the product timeline.
CREATE TABLE store_timeline (
    id          TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL REFERENCES stores(id),
    at          BIGINT NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    action      TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX store_timeline_store ON store_timeline (store_id, id);
