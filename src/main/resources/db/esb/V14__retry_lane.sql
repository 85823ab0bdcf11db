-- The retry lane: a message whose delivery failed for a reason that may pass (the target down, a timeout) waits
-- here for its next attempt instead of holding up its Kafka partition or JMS queue. RetryLane runs due messages
-- through the route that received them; when they keep failing past esb.retry.give-up-after they are parked.
CREATE TABLE retry_message (
    id               uuid          PRIMARY KEY,
    flow             varchar(64)   NOT NULL,
    route_id         varchar(128)  NOT NULL,
    from_route_id    varchar(128)  NOT NULL,
    failed_endpoint  varchar(1024),
    reason           text          NOT NULL,
    exception_type   varchar(256)  NOT NULL,
    payload          text,
    headers          jsonb         NOT NULL DEFAULT '{}'::jsonb,
    event_id         varchar(128),
    correlation_id   varchar(128),
    business_key     varchar(256),
    -- attempts so far (the first and every redelivery, in the consumer and here)
    attempts         integer       NOT NULL,
    -- rounds run from this lane
    rounds           integer       NOT NULL DEFAULT 0,
    first_failed_at  timestamptz   NOT NULL DEFAULT now(),
    retry_at         timestamptz   NOT NULL,
    -- a runner that took the message (another replica skips it until then)
    claimed_until    timestamptz
);
CREATE INDEX retry_message_due ON retry_message (retry_at);
CREATE INDEX retry_message_business_key ON retry_message (business_key);
