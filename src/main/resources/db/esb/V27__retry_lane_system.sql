-- The connected system whose call a retry-lane message failed on (esb.systems.<name>; null: not a guarded call, or
-- a message that entered the lane before this column). When a system answers its probes again only its messages,
-- and those of no known system, are made due at once; the others keep their round.
ALTER TABLE esb.retry_message ADD COLUMN target_system varchar(64);
