-- Messages that kept failing: kept with their reason and original payload until replayed or discarded.
CREATE TABLE parked_message (
    id             uuid PRIMARY KEY,
    flow           varchar(64)  NOT NULL,
    route_id       varchar(128) NOT NULL,
    failed_endpoint varchar(1024),
    reason         text         NOT NULL,
    exception_type varchar(256) NOT NULL,
    payload        text,
    headers        jsonb        NOT NULL DEFAULT '{}'::jsonb,
    event_id       varchar(128),
    correlation_id varchar(128),
    business_key   varchar(256),
    attempts       integer      NOT NULL DEFAULT 0,
    status         varchar(16)  NOT NULL DEFAULT 'PARKED',
    parked_at      timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT parked_message_status CHECK (status IN ('PARKED', 'REPLAYED', 'DISCARDED'))
);

CREATE INDEX parked_message_flow_status ON parked_message (flow, status, parked_at);
CREATE INDEX parked_message_business_key ON parked_message (business_key);
CREATE INDEX parked_message_correlation ON parked_message (correlation_id);
