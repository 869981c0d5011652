-- The buyer an order was placed for, as the platform's own reference: buyers never log in
-- here, but customer service and sellers look up a buyer's orders.
ALTER TABLE orders ADD COLUMN buyer_id TEXT;
CREATE INDEX orders_store_buyer ON orders (store_id, buyer_id, id);
