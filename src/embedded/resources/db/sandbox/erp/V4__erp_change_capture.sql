-- Sandbox ERP: change tracking on stock, production orders and shipments, so the ESB can read changes incrementally.
-- Every insert or update stamps the row with
--   chg_no   : a change counter from one sequence (orders changes, lets a reader skip a stale version), and
--   chg_txid : the id of the writing transaction (pg_current_xact_id()), which tells the reader when the row is
--              safe to read: every transaction with an id below pg_snapshot_xmin(pg_current_snapshot()) has ended,
--              so a row stamped below that horizon is committed (or gone) and no later commit can appear below it.
-- Production codes (stage_cd): PLN planned, REL released, WIP in work, QC quality check, FIN finished, CLS closed.

CREATE SEQUENCE erp.chg_seq;

CREATE FUNCTION erp.stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.chg_no := nextval('erp.chg_seq');
    NEW.chg_txid := CAST(CAST(pg_current_xact_id() AS text) AS bigint);
    IF TG_OP = 'INSERT' THEN
        NEW.upd_ts := coalesce(NEW.upd_ts, now());
    END IF;
    RETURN NEW;
END
$$;

ALTER TABLE erp.inv_stock ADD COLUMN chg_no bigint, ADD COLUMN chg_txid bigint;
ALTER TABLE erp.prd_ord   ADD COLUMN chg_no bigint, ADD COLUMN chg_txid bigint;
ALTER TABLE erp.shp_hdr   ADD COLUMN chg_no bigint, ADD COLUMN chg_txid bigint;

CREATE TRIGGER inv_stock_chg BEFORE INSERT OR UPDATE ON erp.inv_stock FOR EACH ROW EXECUTE FUNCTION erp.stamp_change();
CREATE TRIGGER prd_ord_chg   BEFORE INSERT OR UPDATE ON erp.prd_ord   FOR EACH ROW EXECUTE FUNCTION erp.stamp_change();
CREATE TRIGGER shp_hdr_chg   BEFORE INSERT OR UPDATE ON erp.shp_hdr   FOR EACH ROW EXECUTE FUNCTION erp.stamp_change();

-- stamp what is already there
UPDATE erp.inv_stock SET qty_oh = qty_oh;
UPDATE erp.prd_ord SET qty_done = qty_done;
UPDATE erp.shp_hdr SET so_no = so_no;

ALTER TABLE erp.inv_stock ALTER COLUMN chg_no SET NOT NULL, ALTER COLUMN chg_txid SET NOT NULL;
ALTER TABLE erp.prd_ord   ALTER COLUMN chg_no SET NOT NULL, ALTER COLUMN chg_txid SET NOT NULL;
ALTER TABLE erp.shp_hdr   ALTER COLUMN chg_no SET NOT NULL, ALTER COLUMN chg_txid SET NOT NULL;

CREATE INDEX inv_stock_chg_txid ON erp.inv_stock (chg_txid);
CREATE INDEX prd_ord_chg_txid   ON erp.prd_ord (chg_txid);
CREATE INDEX shp_hdr_chg_txid   ON erp.shp_hdr (chg_txid);

-- stock writes are faulted like the other trigger tables
CREATE TRIGGER inv_stock_sim_fault BEFORE INSERT OR UPDATE ON erp.inv_stock
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();

GRANT USAGE, SELECT ON SEQUENCE erp.chg_seq TO erp_app;
