-- The language a person reads marketdesk in: zh-CN or en. NULL: their site's default
-- (CN → zh-CN, else en), so a store moved to another site follows it.
ALTER TABLE users ADD COLUMN language TEXT;
