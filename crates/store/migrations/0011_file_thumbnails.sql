-- A picture's thumbnail (a PNG blob, content-addressed like the file) and its size in
-- pixels, made once at upload; null for documents.
ALTER TABLE evidence ADD COLUMN thumbnail_sha256 TEXT;
ALTER TABLE evidence ADD COLUMN width BIGINT;
ALTER TABLE evidence ADD COLUMN height BIGINT;
