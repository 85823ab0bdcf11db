-- Supplier master (routes/supplier-master.camel.yaml): the latest state of each supplier captured from the CRM (which
-- owns it), what the ERP was given of it and the ERP vendor it became. A captured state is kept only when its version
-- (the CRM's revision) is newer than the one kept: the ESB's write of the vendor number into the CRM is reported by
-- the capture again at the same revision, and is nothing new. Deliveries send the latest state and record its version
-- once the ERP has it and the CRM shows the vendor number, so an older or equal one is coalesced (skipped).
CREATE TABLE esb.supplier_master (
    -- the CRM's supplier number, the key across systems
    supplier_id        varchar(32)  PRIMARY KEY,
    version            bigint       NOT NULL,
    state              jsonb        NOT NULL,
    captured_at        timestamptz  NOT NULL,
    delivered_version  bigint,
    delivered_at       timestamptz,
    -- the ERP's vendor number, once known (from the ERP's upsert answer)
    erp_vendor_no      varchar(32),
    -- what the ERP did with the state first given it (CREATED, UPDATED, LINKED, STALE, NOT_CREATED; a DUPLICATE answer
    -- to a redelivery of the same state keeps the first answer)
    outcome            varchar(16),
    -- how the ERP found its vendor (CRM_REF, TAX_ID, NUMBER; null: created)
    matched_by         varchar(16)
);
CREATE INDEX supplier_master_undelivered ON esb.supplier_master (captured_at)
    WHERE delivered_version IS NULL OR delivered_version < version;
CREATE INDEX supplier_master_vendor ON esb.supplier_master (erp_vendor_no);
