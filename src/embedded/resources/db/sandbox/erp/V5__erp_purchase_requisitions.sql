-- Sandbox ERP: purchase requisitions and the budget lines they are charged to. MRP (or a person) raises a
-- requisition in status WAIT; the ERP's approval - through the ESB from the OA - releases it (REL, its estimated cost
-- committed on the budget line) or cancels it (CNL); the requester may withdraw it (WDR) while it waits.
-- Status codes (stat_cd): WAIT waiting for approval, REL released, CNL cancelled (rejected), WDR withdrawn.
-- Decision codes (dec_cd): APR approved, CHG approved with a changed quantity, REJ rejected.

CREATE TABLE erp.budget_line (
    bud_cd    varchar(16)   PRIMARY KEY,
    dept_cd   varchar(16)   NOT NULL,
    bud_desc  varchar(200)  NOT NULL,
    curr_cd   char(3)       NOT NULL DEFAULT 'EUR',
    bud_amt   numeric(18,2) NOT NULL CHECK (bud_amt >= 0),
    cmt_amt   numeric(18,2) NOT NULL DEFAULT 0,
    upd_ts    timestamptz   NOT NULL DEFAULT now()
);
CREATE TRIGGER budget_line_upd_ts BEFORE UPDATE ON erp.budget_line
    FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();

INSERT INTO erp.budget_line (bud_cd, dept_cd, bud_desc, bud_amt) VALUES
    ('PRD-2026', 'PRODUCTION',  'Production equipment and material 2026', 500000.00),
    ('MNT-2026', 'MAINTENANCE', 'Maintenance spare parts and services 2026', 80000.00),
    ('IT-2026',  'IT',          'IT hardware and services 2026',           60000.00);

-- The ERP numbers requisitions itself (PR0000001, ...), as it numbers sales orders.
CREATE SEQUENCE erp.req_no_seq;

CREATE TABLE erp.pur_req (
    req_no    varchar(16)   PRIMARY KEY DEFAULT 'PR' || lpad(nextval('erp.req_no_seq')::text, 7, '0'),
    rev_no    integer       NOT NULL DEFAULT 1,
    src_cd    varchar(8)    NOT NULL DEFAULT 'MRP',
    dept_cd   varchar(16)   NOT NULL,
    req_by    varchar(32),
    item_no   varchar(32)   NOT NULL REFERENCES erp.item_mst,
    req_qty   numeric(18,3) NOT NULL CHECK (req_qty > 0),
    need_dt   date          NOT NULL,
    supp_no   varchar(32),
    supp_nm   varchar(200),
    est_prc   numeric(18,4) NOT NULL CHECK (est_prc >= 0),
    est_amt   numeric(18,2) GENERATED ALWAYS AS (round(req_qty * est_prc, 2)) STORED,
    curr_cd   char(3)       NOT NULL DEFAULT 'EUR',
    bud_cd    varchar(16)   NOT NULL REFERENCES erp.budget_line,
    stat_cd   varchar(4)    NOT NULL DEFAULT 'WAIT' CHECK (stat_cd IN ('WAIT', 'REL', 'CNL', 'WDR')),
    -- the approval applied: dec_id is the caller's key of the decision, so the same decision twice is seen as such
    dec_id    varchar(64)   UNIQUE,
    dec_rev   integer,
    dec_cd    varchar(4)    CHECK (dec_cd IN ('APR', 'CHG', 'REJ')),
    -- an approval may lower the quantity, never raise it
    appr_qty  numeric(18,3) CHECK (appr_qty > 0 AND appr_qty <= req_qty),
    dec_by    varchar(128),
    dec_rsn   text,
    dec_ts    timestamptz,
    crt_ts    timestamptz   NOT NULL DEFAULT now(),
    upd_ts    timestamptz   NOT NULL DEFAULT now(),
    -- change capture as on stock, production and shipments (V4): stamped by erp.stamp_change()
    chg_no    bigint        NOT NULL,
    chg_txid  bigint        NOT NULL
);
CREATE INDEX pur_req_chg_txid ON erp.pur_req (chg_txid);

-- The revision counts what is being approved: it moves exactly when the requested goods, quantity, date, supplier,
-- price or budget change, never for a status or decision write, so an approval given for one revision can be told
-- from a requisition changed since. Once the requisition left WAIT, its subject is fixed: the ERP refuses the change
-- (SQLSTATE 55000 object_not_in_prerequisite_state), as it would refuse editing a released requisition.
CREATE FUNCTION erp.bump_req_rev() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.item_no, NEW.req_qty, NEW.need_dt, NEW.supp_no, NEW.est_prc, NEW.bud_cd, NEW.curr_cd)
            IS DISTINCT FROM (OLD.item_no, OLD.req_qty, OLD.need_dt, OLD.supp_no, OLD.est_prc, OLD.bud_cd, OLD.curr_cd) THEN
        IF OLD.stat_cd <> 'WAIT' THEN
            RAISE EXCEPTION 'Requisition % is in status % and can no longer be changed', OLD.req_no, OLD.stat_cd
                USING ERRCODE = '55000';
        END IF;
        NEW.rev_no := OLD.rev_no + 1;
    ELSE
        NEW.rev_no := OLD.rev_no;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER pur_req_chg BEFORE INSERT OR UPDATE ON erp.pur_req FOR EACH ROW EXECUTE FUNCTION erp.stamp_change();
CREATE TRIGGER pur_req_rev BEFORE UPDATE ON erp.pur_req FOR EACH ROW EXECUTE FUNCTION erp.bump_req_rev();
CREATE TRIGGER pur_req_upd_ts BEFORE UPDATE ON erp.pur_req FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();

-- writes are faulted like the other trigger tables
CREATE TRIGGER pur_req_sim_fault BEFORE INSERT OR UPDATE ON erp.pur_req
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();
CREATE TRIGGER budget_line_sim_fault BEFORE INSERT OR UPDATE ON erp.budget_line
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();

-- the ESB reads requisitions and writes decisions; nothing is ever deleted (the schema's default privileges include DELETE)
GRANT SELECT, INSERT, UPDATE ON erp.pur_req, erp.budget_line TO erp_app;
REVOKE DELETE ON erp.pur_req, erp.budget_line FROM erp_app;
GRANT USAGE, SELECT ON SEQUENCE erp.req_no_seq TO erp_app;
