-- What a seller edits to rectify a listing: a description, attributes (a JSON object of
-- name → value), a main image and a gallery (uploaded file ids, a JSON array); SKU
-- attributes. A timeline row of an edit names each field it changed, before → after
-- (a JSON array), and a rectification cites the edits it made (timeline ids).
ALTER TABLE products ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
ALTER TABLE products ADD COLUMN main_image_id TEXT;
ALTER TABLE products ADD COLUMN gallery TEXT NOT NULL DEFAULT '[]';
ALTER TABLE skus ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
ALTER TABLE timeline ADD COLUMN changes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE rectifications ADD COLUMN edit_ids TEXT NOT NULL DEFAULT '[]';
-- A removed SKU keeps its row for the ledger and the orders that name it; it is no
-- longer listed or sold, and its code stays taken so history never means two things.
ALTER TABLE skus ADD COLUMN removed_at BIGINT;
