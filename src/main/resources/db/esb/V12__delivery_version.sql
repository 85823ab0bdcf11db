-- Versioned delivery (io.conduit.esb.delivery): per ledger (a target record kind, e.g. the CRM opportunity's
-- status) and business key, the newest source version that target has been given. A delivery takes the row's lock
-- for the length of its call, so two deliveries of one record never overlap; one older than the row's version is
-- not sent (SUPERSEDED). One row per record ever delivered (an order, a case, an item at a warehouse).
CREATE TABLE delivery_version (
    ledger        varchar(64)  NOT NULL,
    business_key  varchar(200) NOT NULL,
    -- the source's version (order revision, ERP change number); null when the ledger orders by time only
    version       bigint,
    -- the source's time of the state (ties of version broken by it); null when the ledger has none
    version_at    timestamptz,
    event_id      varchar(128),
    delivered_at  timestamptz,
    PRIMARY KEY (ledger, business_key)
);
