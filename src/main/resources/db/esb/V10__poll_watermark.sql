-- Watermarks of the pollers (routes/poll-template.camel.yaml): for a system that cannot push its changes, a poller
-- asks it on an interval for what changed since its watermark, hands each item on, and only then saves the new
-- watermark here, so a restart resumes where the last completed poll ended (at least once: the items of a poll
-- that failed before its save are asked for and handed on again).
CREATE TABLE poll_watermark (
    -- the poller's name (template parameter pollerId), e.g. oa-redmine.task-events
    poller_id   varchar(128) PRIMARY KEY,
    -- what the poller's fetch endpoint answered as the watermark: its own format (a timestamp, JSON text, ...)
    watermark   text         NOT NULL,
    -- items handed on by the last saved page, and by every page since the row was created
    last_items  integer      NOT NULL DEFAULT 0,
    total_items bigint       NOT NULL DEFAULT 0,
    -- when a page was last handed on and saved (also with no items: the poller is alive)
    polled_at   timestamptz  NOT NULL DEFAULT now()
);
