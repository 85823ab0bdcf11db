-- Inventory, production and shipment feedback (ERP -> CRM).
--
-- cdc_watermark: how far the ERP change capture has read, as an ERP transaction-id horizon: every ERP change
--   written by a transaction with an id below horizon_txid has been captured. Advanced only after the batch is
--   recorded in erp_feedback and published to Kafka; a crash in between repeats the batch, which is harmless
--   because erp_feedback and the CRM delivery are idempotent by (entity, key, change counter).
-- erp_feedback: the latest captured state per ERP row (stock per item and warehouse, production order, shipment):
--   the canonical event, the ERP change counter, and what was last delivered to the CRM. The status query of a
--   CRM order and the "latest wins" coalescing read it.

CREATE TABLE cdc_watermark (
    source         varchar(64)  PRIMARY KEY,
    horizon_txid   bigint       NOT NULL,
    last_rows      integer      NOT NULL DEFAULT 0,
    advanced_at    timestamptz  NOT NULL DEFAULT now()
);
INSERT INTO cdc_watermark (source, horizon_txid) VALUES ('erp-feedback', 0);

CREATE TABLE erp_feedback (
    entity            varchar(16)   NOT NULL CHECK (entity IN ('STOCK', 'PRODUCTION', 'SHIPMENT')),
    entity_key        varchar(128)  NOT NULL,
    kafka_key         varchar(128)  NOT NULL,
    crm_order_ref     varchar(64),
    erp_order_no      varchar(32),
    chg_no            bigint        NOT NULL,
    changed_at        timestamptz   NOT NULL,
    event             text          NOT NULL,
    captured_at       timestamptz   NOT NULL DEFAULT clock_timestamp(),
    delivered_chg_no  bigint,
    delivered_at      timestamptz,
    PRIMARY KEY (entity, entity_key)
);
CREATE INDEX erp_feedback_crm_order ON erp_feedback (crm_order_ref, entity, chg_no);
CREATE INDEX erp_feedback_undelivered ON erp_feedback (captured_at)
    WHERE delivered_chg_no IS NULL OR delivered_chg_no < chg_no;
