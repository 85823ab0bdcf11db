-- Payment status (routes/payment-status.camel.yaml): the latest state of each ERP invoice captured (the ERP owns it),
-- and what the CRM was given of it. A captured state is kept only when its version is newer than the one kept;
-- deliveries send the latest state and record its version, so an older or equal one is coalesced (skipped) and a
-- burst of payments costs the CRM one call per invoice.
CREATE TABLE esb.payment_status (
    -- the ERP's invoice number: the key of the Kafka message and of the delivery
    invoice_id          varchar(32)  PRIMARY KEY,
    version             bigint       NOT NULL,
    state               jsonb        NOT NULL,
    captured_at         timestamptz  NOT NULL,
    delivered_version   bigint,
    delivered_at        timestamptz,
    -- what the CRM answered last (APPLIED, DUPLICATE, ALREADY_NEWER) and the payment status it showed then
    outcome             varchar(16),
    crm_payment_status  varchar(16)
);
CREATE INDEX payment_status_undelivered ON esb.payment_status (captured_at)
    WHERE delivered_version IS NULL OR delivered_version < version;
