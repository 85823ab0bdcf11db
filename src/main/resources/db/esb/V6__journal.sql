-- Message journal: one row per hop of every message (received, validated, mapped, published, delivered, failed,
-- parked, replayed, discarded). Written in batches by io.conduit.esb.journal.JdbcJournal, deleted by age in
-- batches by JournalRetention.
CREATE TABLE esb.journal_entry (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz  NOT NULL,
    correlation_id varchar(128),
    event_id       varchar(128),
    flow           varchar(100) NOT NULL,
    route_id       varchar(200),
    step_id        varchar(200),
    hop            varchar(20)  NOT NULL,
    source         varchar(500),
    target         varchar(500),
    target_id      varchar(200),
    -- business keys known at this hop, e.g. {"crmOrderId": "OPP-4711", "erpOrderNo": "SO100023"}
    keys           jsonb        NOT NULL DEFAULT '{}'::jsonb,
    -- the values of keys, so a search by any key value is one GIN index lookup (key_values @> ARRAY[value])
    key_values     text[]       NOT NULL DEFAULT '{}',
    detail         text,
    -- the message at this hop, sensitive fields masked, truncated (esb.journal.payload.max-chars)
    payload        text,
    actor          varchar(200)
);

CREATE INDEX journal_entry_key_values_idx ON esb.journal_entry USING gin (key_values);
CREATE INDEX journal_entry_correlation_idx ON esb.journal_entry (correlation_id, at);
CREATE INDEX journal_entry_event_route_hop_idx ON esb.journal_entry (event_id, route_id, hop);
CREATE INDEX journal_entry_at_idx ON esb.journal_entry (at);
