-- Sandbox ERP: customer invoices and the payments received on them (issue 15, payments ERP -> CRM). Accounting issues
-- an invoice for a sales order (so_no; null: a direct invoice) to a customer, with a total, a currency and a due date,
-- books the payments received against it (erp.inv_pmt) and may cancel it. The ERP owns all of it; the ESB only reads
-- it (port erp.invoices-since) so the CRM's order and account show invoiced, partly paid, paid or overdue.
-- paid_amt is the sum of the invoice's payments, kept by the trigger on erp.inv_pmt (a payment's insert or delete
-- writes the header, so the invoice is captured again). inv_rev counts the ERP's revisions of an invoice and moves
-- exactly when one of its captured fields changes. Both tables are read-only for the ESB (erp_app).
-- Status codes (stat_cd): OPN issued and not cancelled (paid, partly paid or not: the amounts say), CNL cancelled.

CREATE SEQUENCE erp.inv_no_seq;

CREATE TABLE erp.inv_hdr (
    inv_no    varchar(16)   PRIMARY KEY DEFAULT 'IN' || lpad(nextval('erp.inv_no_seq')::text, 7, '0'),
    -- the sales order billed (erp.so_stage_hdr.so_no; its ext_ref is the CRM's order); null: a direct invoice
    so_no     varchar(16),
    cust_no   varchar(32)   NOT NULL,
    curr      char(3)       NOT NULL DEFAULT 'EUR',
    tot_amt   numeric(18,2) NOT NULL CHECK (tot_amt >= 0),
    paid_amt  numeric(18,2) NOT NULL DEFAULT 0 CHECK (paid_amt >= 0),
    inv_date  date          NOT NULL DEFAULT current_date,
    due_date  date          NOT NULL,
    stat_cd   varchar(4)    NOT NULL DEFAULT 'OPN' CHECK (stat_cd IN ('OPN', 'CNL')),
    inv_rev   integer       NOT NULL DEFAULT 1,
    crt_ts    timestamptz   NOT NULL DEFAULT now(),
    upd_ts    timestamptz   NOT NULL DEFAULT now(),
    chg_no    bigint        NOT NULL,
    chg_txid  bigint        NOT NULL,
    CHECK (due_date >= inv_date)
);
CREATE INDEX inv_hdr_chg_txid ON erp.inv_hdr (chg_txid);
CREATE INDEX inv_hdr_so_no ON erp.inv_hdr (so_no);

CREATE TABLE erp.inv_pmt (
    pmt_id    bigserial     PRIMARY KEY,
    inv_no    varchar(16)   NOT NULL REFERENCES erp.inv_hdr,
    pmt_amt   numeric(18,2) NOT NULL CHECK (pmt_amt > 0),
    pmt_date  date          NOT NULL DEFAULT current_date,
    crt_ts    timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX inv_pmt_inv_no ON erp.inv_pmt (inv_no);

CREATE FUNCTION erp.bump_inv_rev() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.so_no, NEW.cust_no, NEW.curr, NEW.tot_amt, NEW.paid_amt, NEW.inv_date, NEW.due_date, NEW.stat_cd)
            IS DISTINCT FROM (OLD.so_no, OLD.cust_no, OLD.curr, OLD.tot_amt, OLD.paid_amt, OLD.inv_date, OLD.due_date, OLD.stat_cd) THEN
        NEW.inv_rev := OLD.inv_rev + 1;
    ELSE
        NEW.inv_rev := OLD.inv_rev;
    END IF;
    RETURN NEW;
END
$$;

-- a payment booked or reversed: the header's paid amount is the sum of its payments
CREATE FUNCTION erp.inv_pmt_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    no varchar(16);
BEGIN
    FOR no IN SELECT DISTINCT n FROM (SELECT NEW.inv_no AS n WHERE TG_OP <> 'DELETE'
                                      UNION SELECT OLD.inv_no WHERE TG_OP <> 'INSERT') s LOOP
        UPDATE erp.inv_hdr SET paid_amt = (SELECT coalesce(sum(pmt_amt), 0) FROM erp.inv_pmt WHERE inv_no = no)
        WHERE inv_no = no;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER inv_hdr_chg BEFORE INSERT OR UPDATE ON erp.inv_hdr FOR EACH ROW EXECUTE FUNCTION erp.stamp_change();
CREATE TRIGGER inv_hdr_rev BEFORE UPDATE ON erp.inv_hdr FOR EACH ROW EXECUTE FUNCTION erp.bump_inv_rev();
CREATE TRIGGER inv_hdr_upd_ts BEFORE UPDATE ON erp.inv_hdr FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();
CREATE TRIGGER inv_pmt_written AFTER INSERT OR UPDATE OR DELETE ON erp.inv_pmt
    FOR EACH ROW EXECUTE FUNCTION erp.inv_pmt_written();
CREATE TRIGGER inv_hdr_sim_fault BEFORE INSERT OR UPDATE ON erp.inv_hdr
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();

-- the ESB reads invoices and payments; it never writes them (the schema's default privileges include writes)
REVOKE INSERT, UPDATE, DELETE ON erp.inv_hdr, erp.inv_pmt FROM erp_app;
GRANT SELECT ON erp.inv_hdr, erp.inv_pmt TO erp_app;
