-- Sandbox ERP: business trip commitments. An approved trip (from the OA, through the ESB) commits its estimated cost
-- on a cost centre - a budget line of erp.budget_line, as a released requisition commits its cost (V5) - with the
-- travel advance to pay out noted beside it; a trip cancelled after approval releases it. One commitment per trip.
-- Status codes (stat_cd): BKD booked, RLS released.

-- cost centres for travel, one per department that travels
INSERT INTO erp.budget_line (bud_cd, dept_cd, bud_desc, bud_amt) VALUES
    ('TRV-SALES', 'SALES',      'Travel: sales 2026',      60000.00),
    ('TRV-PRD',   'PRODUCTION', 'Travel: production 2026', 20000.00),
    ('TRV-IT',    'IT',         'Travel: IT 2026',         15000.00),
    ('TRV-FIN',   'FINANCE',    'Travel: finance 2026',    10000.00);

CREATE TABLE erp.trip_cmt (
    trip_id   varchar(64)   PRIMARY KEY,
    -- the approval booked: the caller's key of the decision (<trip>@<revision>), so the same booking twice is seen as such
    dec_id    varchar(80)   UNIQUE,
    trip_rev  integer,
    emp_no    varchar(32),
    bud_cd    varchar(16)   REFERENCES erp.budget_line,
    cmt_amt   numeric(18,2) NOT NULL DEFAULT 0 CHECK (cmt_amt >= 0),
    adv_amt   numeric(18,2) NOT NULL DEFAULT 0 CHECK (adv_amt >= 0 AND adv_amt <= cmt_amt),
    curr_cd   char(3),
    from_dt   date,
    to_dt     date,
    trip_txt  varchar(300),
    stat_cd   varchar(4)    NOT NULL CHECK (stat_cd IN ('BKD', 'RLS')),
    bkd_ts    timestamptz,
    rls_rsn   text,
    rls_ts    timestamptz,
    crt_ts    timestamptz   NOT NULL DEFAULT now(),
    upd_ts    timestamptz   NOT NULL DEFAULT now(),
    -- a booked commitment names its decision and cost centre; a release that came before any booking (the trip was
    -- cancelled while its approval was being applied) is a row RLS without them, so the late booking books nothing
    CHECK (bkd_ts IS NULL OR (dec_id IS NOT NULL AND bud_cd IS NOT NULL AND curr_cd IS NOT NULL)),
    CHECK (stat_cd = 'RLS' OR bkd_ts IS NOT NULL)
);
CREATE TRIGGER trip_cmt_upd_ts BEFORE UPDATE ON erp.trip_cmt FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();
CREATE TRIGGER trip_cmt_sim_fault BEFORE INSERT OR UPDATE ON erp.trip_cmt
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();

-- the ESB books and releases; nothing is ever deleted
GRANT SELECT, INSERT, UPDATE ON erp.trip_cmt TO erp_app;
REVOKE DELETE ON erp.trip_cmt FROM erp_app;
