-- The instant the write an Idempotency-Key guards committed, set in that write's own
-- transaction. A claim with it set and no saved answer is never run again: the change
-- happened, only its answer was lost.
ALTER TABLE idempotency ADD COLUMN applied_at BIGINT;
