-- The order list filters by state within a store, newest first.
CREATE INDEX orders_store_state ON orders (store_id, state, id);
