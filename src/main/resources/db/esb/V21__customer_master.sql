-- Customer master (routes/customer-master.camel.yaml): the latest state of each customer as each system owns it,
-- captured from the CRM (its fields) and the ERP (its fields), and what each target was given of the other side.
-- A captured state is kept only when its version is newer and what the system owns differs from the state kept
-- (*_owned: the owner's fields, mappings/esb/customer-owned-fields.jsonata): a system's write of the other side's
-- fields (the ERP number in the CRM, the CRM's name in the ERP) is reported by its capture again, and is nothing new.
-- Deliveries send the latest state and record its version; an older or equal one is coalesced (skipped).
CREATE TABLE esb.customer_master (
    -- the CRM's account number, the key across systems
    customer_id            varchar(32)  PRIMARY KEY,
    -- the ERP's number of the customer, once known (from the ERP's upsert answer or its capture)
    erp_customer_no        varchar(32),
    crm_version            bigint,
    crm_owned              jsonb,
    crm_state              jsonb,
    crm_captured_at        timestamptz,
    crm_delivered_version  bigint,
    crm_delivered_at       timestamptz,
    -- what the ERP answered last (CREATED, UPDATED, LINKED, DUPLICATE, STALE, NOT_CREATED)
    crm_outcome            varchar(16),
    erp_version            bigint,
    erp_owned              jsonb,
    erp_state              jsonb,
    erp_captured_at        timestamptz,
    erp_delivered_version  bigint,
    erp_delivered_at       timestamptz,
    -- what the CRM answered last (APPLIED, DUPLICATE, ALREADY_NEWER)
    erp_outcome            varchar(16)
);
CREATE INDEX customer_master_erp_no ON esb.customer_master (erp_customer_no);
