-- Parking and replay (issue 7). A parked message now knows the route whose consumer received it (the route a
-- replay runs it through again), the parked message it is a failed replay of, and how it was resolved: replayed
-- (outcome) or discarded (reason), by whom and when, and an operator's edited payload. A replay claims a message
-- with PARKED -> REPLAYING (one UPDATE), so it is replayed at most once.

ALTER TABLE parked_message
    ADD COLUMN from_route_id  varchar(128),
    ADD COLUMN replay_of      uuid REFERENCES parked_message (id),
    ADD COLUMN resolved_by    varchar(128),
    ADD COLUMN resolved_at    timestamptz,
    ADD COLUMN resolution     text,
    ADD COLUMN edited_payload text,
    ADD COLUMN edited_by      varchar(128),
    ADD COLUMN replay_job_id  uuid;

-- messages parked before this version: the failing route is the best guess of the receiving route
UPDATE parked_message SET from_route_id = route_id WHERE from_route_id IS NULL;
ALTER TABLE parked_message ALTER COLUMN from_route_id SET NOT NULL;

ALTER TABLE parked_message DROP CONSTRAINT parked_message_status;
ALTER TABLE parked_message ADD CONSTRAINT parked_message_status
    CHECK (status IN ('PARKED', 'REPLAYING', 'REPLAYED', 'DISCARDED'));

CREATE INDEX parked_message_event ON parked_message (event_id, from_route_id);
CREATE INDEX parked_message_status_time ON parked_message (status, parked_at);
CREATE INDEX parked_message_replay_of ON parked_message (replay_of);

-- A bulk replay running in the background; its counts are updated as it goes.
CREATE TABLE replay_job (
    id            uuid         PRIMARY KEY,
    -- the ParkedFilter as JSON
    filter        jsonb        NOT NULL,
    requested_by  varchar(128) NOT NULL,
    status        varchar(16)  NOT NULL DEFAULT 'RUNNING' CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
    total         bigint       NOT NULL DEFAULT 0,
    delivered     bigint       NOT NULL DEFAULT 0,
    parked_again  bigint       NOT NULL DEFAULT 0,
    skipped       bigint       NOT NULL DEFAULT 0,
    -- why a job FAILED (e.g. interrupted by a restart)
    detail        text,
    started_at    timestamptz  NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
CREATE INDEX replay_job_started ON replay_job (started_at DESC);
