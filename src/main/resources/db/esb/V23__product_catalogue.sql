-- Product catalogue (routes/product-catalogue.camel.yaml): the latest state of each product and price list captured
-- from the ERP (which owns them), and what the CRM was given of it. A captured state is kept only when its version is
-- newer than the one kept; deliveries send the latest state and record its version, so an older or equal one is
-- coalesced (skipped) and a burst of changes costs the CRM one call per record.
CREATE TABLE esb.product_catalogue (
    -- kind and id: product:<productId> or price-list:<priceListId>, the key of the Kafka message and the delivery
    record_key          varchar(80)  PRIMARY KEY,
    kind                varchar(16)  NOT NULL CHECK (kind IN ('product', 'price-list')),
    record_id           varchar(32)  NOT NULL,
    version             bigint       NOT NULL,
    state               jsonb        NOT NULL,
    captured_at         timestamptz  NOT NULL,
    delivered_version   bigint,
    delivered_at        timestamptz,
    -- what the CRM answered last (APPLIED, DUPLICATE, ALREADY_NEWER)
    outcome             varchar(16),
    -- the open CRM quotes the last delivery flagged for a price review
    flagged_quotes      jsonb
);
CREATE INDEX product_catalogue_undelivered ON esb.product_catalogue (captured_at)
    WHERE delivered_version IS NULL OR delivered_version < version;
