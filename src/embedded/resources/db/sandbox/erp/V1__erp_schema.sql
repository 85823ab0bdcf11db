-- Sandbox ERP: the tables the ESB reaches through JDBC as role erp_app, in the ERP's own naming.
-- Runs through the superuser connection (schema erp is created by Flyway).

-- ---------------------------------------------------------------------------------------------------------
-- Simulator control: one row, read by the fault triggers below; never visible to erp_app.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE erp.sim_control (
    id          boolean      PRIMARY KEY DEFAULT true CHECK (id),
    mode        varchar(16)  NOT NULL DEFAULT 'normal' CHECK (mode IN ('normal', 'slow', 'failing', 'down')),
    latency_ms  integer      NOT NULL DEFAULT 0 CHECK (latency_ms >= 0),
    error_rate  numeric(4,3) NOT NULL DEFAULT 0 CHECK (error_rate BETWEEN 0 AND 1),
    upd_ts      timestamptz  NOT NULL DEFAULT now()
);
INSERT INTO erp.sim_control (id) VALUES (true);

COMMENT ON TABLE erp.sim_control IS
    'Sandbox fault injection: latency_ms delays and error_rate fails writes on the trigger tables with SQLSTATE 58030';

-- Statement-level: one delay / one dice roll per SQL statement (one JDBC round trip), however many rows and
-- however many trigger tables it touches (an upsert fires both the INSERT and the UPDATE statement triggers;
-- the transaction-local erp_sim.stmt_ts remembers that this statement was already checked).
-- SQLSTATE 58030 (class 58 "system error", io_error): Spring translates it to DataAccessResourceFailureException,
-- like a real database fault, while HikariCP keeps the connection (it evicts on class 08), so the ESB's
-- transaction can still roll back cleanly.
CREATE FUNCTION erp.sim_fault_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    ctl erp.sim_control%ROWTYPE;
BEGIN
    IF current_setting('erp_sim.stmt_ts', true) = statement_timestamp()::text THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('erp_sim.stmt_ts', statement_timestamp()::text, true);
    SELECT * INTO ctl FROM erp.sim_control WHERE id;
    IF FOUND THEN
        IF ctl.latency_ms > 0 THEN
            PERFORM pg_sleep(ctl.latency_ms / 1000.0);
        END IF;
        IF ctl.error_rate > 0 AND random() < ctl.error_rate THEN
            RAISE EXCEPTION 'ERP-SIM: simulated database failure (% on erp.%)', TG_OP, TG_TABLE_NAME
                USING ERRCODE = '58030', HINT = 'Sandbox ERP fault mode is failing; PUT /sandbox/erp/admin/faults {"mode":"normal"}';
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION erp.touch_upd_ts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.upd_ts := now();
    RETURN NEW;
END
$$;

-- ---------------------------------------------------------------------------------------------------------
-- Sales order staging: written by the ESB, numbered by the ERP.
-- ---------------------------------------------------------------------------------------------------------
CREATE SEQUENCE erp.so_no_seq;

CREATE TABLE erp.so_stage_hdr (
    stg_id        bigserial     PRIMARY KEY,
    ext_ref       varchar(64)   NOT NULL UNIQUE,
    ext_rev       integer       NOT NULL,
    src_sys       varchar(16)   NOT NULL,
    cust_no       varchar(32)   NOT NULL,
    cust_name     varchar(200),
    ord_date      date          NOT NULL,
    req_dlv_date  date,
    curr_cd       char(3)       NOT NULL,
    tot_amt       numeric(18,2) NOT NULL,
    so_no         varchar(16)   UNIQUE,
    stat_cd       varchar(4)    NOT NULL DEFAULT 'NEW'
                  CHECK (stat_cd IN ('NEW', 'REL', 'PRD', 'SHP', 'DLV', 'CNL', 'REJ')),
    crt_ts        timestamptz   DEFAULT now(),
    upd_ts        timestamptz
);
CREATE INDEX so_stage_hdr_stat_upd ON erp.so_stage_hdr (stat_cd, upd_ts);

CREATE TABLE erp.so_stage_line (
    stg_id     bigint        NOT NULL REFERENCES erp.so_stage_hdr ON DELETE CASCADE,
    line_no    integer       NOT NULL,
    item_no    varchar(32)   NOT NULL,
    item_desc  varchar(200),
    ord_qty    numeric(18,3) NOT NULL,
    unit_prc   numeric(18,4) NOT NULL,
    line_amt   numeric(18,2) NOT NULL,
    PRIMARY KEY (stg_id, line_no)
);

-- The ERP, not the caller, assigns the sales order number.
CREATE FUNCTION erp.assign_so_no() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.so_no := 'SO' || lpad(nextval('erp.so_no_seq')::text, 7, '0');
    RETURN NEW;
END
$$;

CREATE TRIGGER so_stage_hdr_so_no BEFORE INSERT ON erp.so_stage_hdr
    FOR EACH ROW EXECUTE FUNCTION erp.assign_so_no();
CREATE TRIGGER so_stage_hdr_upd_ts BEFORE UPDATE ON erp.so_stage_hdr
    FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();
CREATE TRIGGER so_stage_hdr_sim_fault BEFORE INSERT OR UPDATE ON erp.so_stage_hdr
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();
CREATE TRIGGER so_stage_line_sim_fault BEFORE INSERT OR UPDATE ON erp.so_stage_line
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();

-- ---------------------------------------------------------------------------------------------------------
-- Item master and stock.
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE erp.item_mst (
    item_no    varchar(32)  PRIMARY KEY,
    item_desc  varchar(200) NOT NULL,
    uom        varchar(8)   NOT NULL DEFAULT 'EA',
    item_grp   varchar(16)  NOT NULL
);

INSERT INTO erp.item_mst (item_no, item_desc, uom, item_grp) VALUES
    ('P-100',  'Hydraulic pump HP-10',            'EA', 'PUMP'),
    ('P-200',  'Hydraulic pump HP-20',            'EA', 'PUMP'),
    ('P-300',  'Gear pump GP-5',                  'EA', 'PUMP'),
    ('P-400',  'Centrifugal pump CP-40',          'EA', 'PUMP'),
    ('P-500',  'Pressure valve PV-1/2"',          'EA', 'VALVE'),
    ('P-600',  'Check valve CV-3/4"',             'EA', 'VALVE'),
    ('P-700',  'Ball valve BV-1"',                'EA', 'VALVE'),
    ('P-800',  'Solenoid valve SV-24V',           'EA', 'VALVE'),
    ('P-900',  'Hydraulic cylinder HC-50x300',    'EA', 'CYL'),
    ('P-1000', 'Hydraulic cylinder HC-80x500',    'EA', 'CYL'),
    ('P-1100', 'Hose assembly 1/2" x 2 m',        'EA', 'HOSE'),
    ('P-1200', 'Hose assembly 3/4" x 5 m',        'EA', 'HOSE'),
    ('P-1300', 'Hydraulic oil HLP 46',            'L',  'FLUID'),
    ('P-1400', 'Return filter RF-10',             'EA', 'FILTER'),
    ('P-1500', 'Suction strainer SS-2',           'EA', 'FILTER'),
    ('P-1600', 'Power unit PU-3kW',               'EA', 'UNIT'),
    ('P-1700', 'Power unit PU-7.5kW',             'EA', 'UNIT'),
    ('P-1800', 'Pressure gauge 0-250 bar',        'EA', 'INSTR'),
    ('P-1900', 'Seal kit SK-50',                  'KIT','SPARE'),
    ('P-2000', 'Installation service (per hour)', 'H',  'SERVICE');

CREATE TABLE erp.inv_stock (
    item_no  varchar(32)   NOT NULL REFERENCES erp.item_mst,
    whse_cd  varchar(8)    NOT NULL,
    qty_oh   numeric(18,3) NOT NULL DEFAULT 0,
    qty_rsv  numeric(18,3) NOT NULL DEFAULT 0,
    upd_ts   timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (item_no, whse_cd)
);
CREATE TRIGGER inv_stock_upd_ts BEFORE UPDATE ON erp.inv_stock
    FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();

INSERT INTO erp.inv_stock (item_no, whse_cd, qty_oh, qty_rsv)
SELECT item_no, 'W01', (row_number() OVER (ORDER BY item_no)) * 25, 0
FROM erp.item_mst WHERE item_grp <> 'SERVICE';
INSERT INTO erp.inv_stock (item_no, whse_cd, qty_oh, qty_rsv)
SELECT item_no, 'W02', 40, 0 FROM erp.item_mst WHERE item_grp IN ('PUMP', 'VALVE');

-- ---------------------------------------------------------------------------------------------------------
-- Production orders and shipments (ERP-owned, read by later flows).
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE erp.prd_ord (
    prd_no       varchar(16)   PRIMARY KEY,
    so_no        varchar(16),
    item_no      varchar(32)   NOT NULL,
    qty_plan     numeric(18,3) NOT NULL,
    qty_done     numeric(18,3) NOT NULL DEFAULT 0,
    qty_scrap    numeric(18,3) NOT NULL DEFAULT 0,
    stage_cd     varchar(8)    NOT NULL DEFAULT 'PLN',
    plan_end_ts  timestamptz,
    act_end_ts   timestamptz,
    upd_ts       timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX prd_ord_so_no ON erp.prd_ord (so_no);
CREATE INDEX prd_ord_upd_ts ON erp.prd_ord (upd_ts);
CREATE TRIGGER prd_ord_upd_ts BEFORE UPDATE ON erp.prd_ord
    FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();

CREATE TABLE erp.shp_hdr (
    shp_no      varchar(16)  PRIMARY KEY,
    so_no       varchar(16)  NOT NULL,
    carrier_cd  varchar(16),
    track_no    varchar(64),
    ship_ts     timestamptz,
    dlv_ts      timestamptz,
    upd_ts      timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX shp_hdr_so_no ON erp.shp_hdr (so_no);
CREATE INDEX shp_hdr_upd_ts ON erp.shp_hdr (upd_ts);
CREATE TRIGGER shp_hdr_upd_ts BEFORE UPDATE ON erp.shp_hdr
    FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();

-- ---------------------------------------------------------------------------------------------------------
-- Users and roles (provisioned by the ESB from HR events).
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE erp.sys_user (
    usr_id      varchar(32)  PRIMARY KEY,
    emp_no      varchar(32)  NOT NULL UNIQUE,
    full_nm     varchar(200) NOT NULL,
    email       varchar(200),
    dept_cd     varchar(16),
    active_flg  char(1)      NOT NULL DEFAULT 'Y' CHECK (active_flg IN ('Y', 'N')),
    crt_ts      timestamptz  NOT NULL DEFAULT now(),
    upd_ts      timestamptz
);
CREATE TRIGGER sys_user_upd_ts BEFORE UPDATE ON erp.sys_user
    FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();

CREATE TABLE erp.sys_role (
    role_cd    varchar(16)  PRIMARY KEY,
    role_desc  varchar(200) NOT NULL
);
INSERT INTO erp.sys_role (role_cd, role_desc) VALUES
    ('EMPLOYEE', 'Basic employee access (self service)'),
    ('SALES',    'Sales order entry and inquiry'),
    ('PROD',     'Production order processing'),
    ('WHSE',     'Warehouse and shipping'),
    ('FIN',      'Finance and invoicing'),
    ('ADMIN',    'System administration');

CREATE TABLE erp.sys_user_role (
    usr_id   varchar(32) NOT NULL REFERENCES erp.sys_user ON DELETE CASCADE,
    role_cd  varchar(16) NOT NULL REFERENCES erp.sys_role,
    PRIMARY KEY (usr_id, role_cd)
);

CREATE TRIGGER sys_user_sim_fault BEFORE INSERT OR UPDATE ON erp.sys_user
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();
CREATE TRIGGER sys_user_role_sim_fault BEFORE INSERT OR UPDATE ON erp.sys_user_role
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();

-- ---------------------------------------------------------------------------------------------------------
-- The ESB's login role: data access to the business tables only.
-- ---------------------------------------------------------------------------------------------------------
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'erp_app') THEN
        CREATE ROLE erp_app LOGIN PASSWORD 'erp_app';
    END IF;
END
$$;

GRANT USAGE ON SCHEMA erp TO erp_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON
    erp.so_stage_hdr, erp.so_stage_line, erp.item_mst, erp.inv_stock, erp.prd_ord, erp.shp_hdr,
    erp.sys_user, erp.sys_role, erp.sys_user_role
    TO erp_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA erp TO erp_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA erp GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO erp_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA erp GRANT USAGE, SELECT ON SEQUENCES TO erp_app;
REVOKE ALL ON FUNCTION erp.sim_fault_check() FROM PUBLIC;
