-- Sandbox ERP: the vendors purchasing orders from (issue 15, the supplier master). The ERP numbers its vendors
-- (V0000001, ...) and owns its purchasing terms (pay_terms, the currency); the name, tax id, addresses, contacts,
-- rating and whether purchasing still buys from the supplier come from the CRM through the ESB (port
-- erp.upsert-vendor), which keeps the CRM's supplier number (crm_ref) and revision (crm_rev) with the vendor. A vendor
-- may also be entered in the ERP first (no crm_ref): the ESB then finds it by its tax id and links it, never creating
-- a second one.

CREATE SEQUENCE erp.vend_no_seq;

CREATE TABLE erp.vend_mst (
    vend_no    varchar(16)   PRIMARY KEY DEFAULT 'V' || lpad(nextval('erp.vend_no_seq')::text, 7, '0'),
    vend_nm    varchar(200)  NOT NULL,
    tax_id     varchar(32),
    crm_ref    varchar(32),
    crm_rev    integer,
    -- the CRM supplier is deactivated: the ERP keeps the vendor (open purchase orders, invoices) and flags it
    crm_act    char(1)       NOT NULL DEFAULT 'Y' CHECK (crm_act IN ('Y', 'N')),
    -- the CRM's rating, 1-5 (null: not rated): purchasing's pick of the best vendor
    rating     smallint      CHECK (rating BETWEEN 1 AND 5),
    addr       jsonb         NOT NULL DEFAULT '[]'::jsonb,
    cntc       jsonb         NOT NULL DEFAULT '[]'::jsonb,
    -- the ERP's own: never written by the ESB
    pay_terms  varchar(16)   NOT NULL DEFAULT 'NET30',
    curr       char(3)       NOT NULL DEFAULT 'EUR',
    crt_ts     timestamptz   NOT NULL DEFAULT now(),
    upd_ts     timestamptz   NOT NULL DEFAULT now(),
    chg_no     bigint        NOT NULL,
    chg_txid   bigint        NOT NULL
);
-- one vendor per tax id and per CRM supplier: a second create of either fails (and is retried into a match)
CREATE UNIQUE INDEX vend_mst_tax_id ON erp.vend_mst (tax_id) WHERE tax_id IS NOT NULL;
CREATE UNIQUE INDEX vend_mst_crm_ref ON erp.vend_mst (crm_ref) WHERE crm_ref IS NOT NULL;

CREATE TRIGGER vend_mst_chg BEFORE INSERT OR UPDATE ON erp.vend_mst FOR EACH ROW EXECUTE FUNCTION erp.stamp_change();
CREATE TRIGGER vend_mst_upd_ts BEFORE UPDATE ON erp.vend_mst FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();
CREATE TRIGGER vend_mst_sim_fault BEFORE INSERT OR UPDATE ON erp.vend_mst
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();

-- the ESB writes the CRM's side; nothing is ever deleted (the schema's default privileges include DELETE)
GRANT SELECT, INSERT, UPDATE ON erp.vend_mst TO erp_app;
REVOKE DELETE ON erp.vend_mst FROM erp_app;
GRANT USAGE, SELECT ON SEQUENCE erp.vend_no_seq TO erp_app;
