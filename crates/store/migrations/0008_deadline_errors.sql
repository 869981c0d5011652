-- A deadline whose action fails is set aside as 'failed' with the reason, instead of
-- blocking every other deadline claimed with it, round after round.
ALTER TABLE deadlines ADD COLUMN last_error TEXT;
