-- The stock page lists a store's SKUs below their safety threshold: read per store, not
-- over every store's SKUs.
CREATE INDEX skus_store ON skus (store_id);
