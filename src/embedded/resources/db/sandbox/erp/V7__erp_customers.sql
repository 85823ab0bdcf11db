-- Sandbox ERP: the customer master (issue 15). The ERP numbers its customers (C0000001, ...) and owns the credit
-- limit, the payment terms and the block (credit hold), which finance sets here; the name, tax id, addresses and
-- contacts come from the CRM through the ESB (port erp.upsert-customer), which keeps the CRM's account number
-- (crm_ref) and revision (crm_rev) with the customer. A customer may also be entered in the ERP first (no crm_ref):
-- the ESB then finds it by its tax id and links it, never creating a second one.
-- terms_rev counts what the ERP owns: it is 1 on creation and moves exactly when the customer number, credit limit,
-- its currency, the payment terms or the block change, never for what the ESB writes from the CRM.

CREATE SEQUENCE erp.cust_no_seq;

CREATE TABLE erp.cust_mst (
    cust_no    varchar(16)   PRIMARY KEY DEFAULT 'C' || lpad(nextval('erp.cust_no_seq')::text, 7, '0'),
    cust_nm    varchar(200)  NOT NULL,
    tax_id     varchar(32),
    crm_ref    varchar(32),
    crm_rev    integer,
    -- the CRM account is deactivated: the ERP keeps the customer (open orders, invoices) and flags it
    crm_act    char(1)       NOT NULL DEFAULT 'Y' CHECK (crm_act IN ('Y', 'N')),
    addr       jsonb         NOT NULL DEFAULT '[]'::jsonb,
    cntc       jsonb         NOT NULL DEFAULT '[]'::jsonb,
    cr_lmt     numeric(18,2) CHECK (cr_lmt >= 0),
    cr_curr    char(3)       NOT NULL DEFAULT 'EUR',
    pay_terms  varchar(16)   NOT NULL DEFAULT 'NET30',
    blk_flg    char(1)       NOT NULL DEFAULT 'N' CHECK (blk_flg IN ('Y', 'N')),
    terms_rev  integer       NOT NULL DEFAULT 1,
    crt_ts     timestamptz   NOT NULL DEFAULT now(),
    upd_ts     timestamptz   NOT NULL DEFAULT now(),
    chg_no     bigint        NOT NULL,
    chg_txid   bigint        NOT NULL
);
-- one customer per tax id and per CRM account: a second create of either fails (and is retried into a match)
CREATE UNIQUE INDEX cust_mst_tax_id ON erp.cust_mst (tax_id) WHERE tax_id IS NOT NULL;
CREATE UNIQUE INDEX cust_mst_crm_ref ON erp.cust_mst (crm_ref) WHERE crm_ref IS NOT NULL;
CREATE INDEX cust_mst_chg_txid ON erp.cust_mst (chg_txid);

CREATE FUNCTION erp.bump_terms_rev() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.cust_no, NEW.cr_lmt, NEW.cr_curr, NEW.pay_terms, NEW.blk_flg)
            IS DISTINCT FROM (OLD.cust_no, OLD.cr_lmt, OLD.cr_curr, OLD.pay_terms, OLD.blk_flg) THEN
        NEW.terms_rev := OLD.terms_rev + 1;
    ELSE
        NEW.terms_rev := OLD.terms_rev;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER cust_mst_chg BEFORE INSERT OR UPDATE ON erp.cust_mst FOR EACH ROW EXECUTE FUNCTION erp.stamp_change();
CREATE TRIGGER cust_mst_terms_rev BEFORE UPDATE ON erp.cust_mst FOR EACH ROW EXECUTE FUNCTION erp.bump_terms_rev();
CREATE TRIGGER cust_mst_upd_ts BEFORE UPDATE ON erp.cust_mst FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();
CREATE TRIGGER cust_mst_sim_fault BEFORE INSERT OR UPDATE ON erp.cust_mst
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();

-- the ESB reads customers and writes the CRM's side; nothing is ever deleted (the schema's default privileges include DELETE)
GRANT SELECT, INSERT, UPDATE ON erp.cust_mst TO erp_app;
REVOKE DELETE ON erp.cust_mst FROM erp_app;
GRANT USAGE, SELECT ON SEQUENCE erp.cust_no_seq TO erp_app;
