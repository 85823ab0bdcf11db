-- Sandbox ERP: products and prices (issue 15, the product catalogue). Product management keeps the item master
-- (erp.item_mst: description, unit, group, list price, whether it is still sold) and price lists with dated lines
-- (erp.prc_lst, erp.prc_lst_line: a price for an item from valid_from to valid_to, both inclusive, either open). The
-- ERP owns all of it; the ESB only reads it (port erp.catalogue-since) for the CRM's catalogue.
-- item_rev counts the ERP's revisions of an item and moves exactly when one of its catalogue fields changes;
-- rev of a price list moves when its header or any of its lines changes (a line's insert, update or delete writes the
-- header, so the list is captured again, whole). Both are stamped by the change counter of V4 (chg_no, chg_txid).

ALTER TABLE erp.item_mst
    ADD COLUMN list_prc    numeric(18,4) CHECK (list_prc >= 0),
    ADD COLUMN curr        char(3)       NOT NULL DEFAULT 'EUR',
    -- N: no longer sold (kept: orders and invoices name it; never deleted)
    ADD COLUMN active_flg  char(1)       NOT NULL DEFAULT 'Y' CHECK (active_flg IN ('Y', 'N')),
    ADD COLUMN item_rev    integer       NOT NULL DEFAULT 1,
    ADD COLUMN upd_ts      timestamptz   NOT NULL DEFAULT now(),
    ADD COLUMN chg_no      bigint,
    ADD COLUMN chg_txid    bigint;

CREATE FUNCTION erp.bump_item_rev() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.item_desc, NEW.uom, NEW.item_grp, NEW.list_prc, NEW.curr, NEW.active_flg)
            IS DISTINCT FROM (OLD.item_desc, OLD.uom, OLD.item_grp, OLD.list_prc, OLD.curr, OLD.active_flg) THEN
        NEW.item_rev := OLD.item_rev + 1;
    ELSE
        NEW.item_rev := OLD.item_rev;
    END IF;
    RETURN NEW;
END
$$;

-- stamp what is there (the seeded items: the catalogue's first capture reports them)
CREATE TRIGGER item_mst_chg BEFORE INSERT OR UPDATE ON erp.item_mst FOR EACH ROW EXECUTE FUNCTION erp.stamp_change();
UPDATE erp.item_mst SET item_desc = item_desc;
ALTER TABLE erp.item_mst ALTER COLUMN chg_no SET NOT NULL, ALTER COLUMN chg_txid SET NOT NULL;
CREATE INDEX item_mst_chg_txid ON erp.item_mst (chg_txid);
CREATE TRIGGER item_mst_item_rev BEFORE UPDATE ON erp.item_mst FOR EACH ROW EXECUTE FUNCTION erp.bump_item_rev();
CREATE TRIGGER item_mst_upd_ts BEFORE UPDATE ON erp.item_mst FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();
CREATE TRIGGER item_mst_sim_fault BEFORE INSERT OR UPDATE ON erp.item_mst
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();

CREATE TABLE erp.prc_lst (
    prc_lst_cd  varchar(32)   PRIMARY KEY CHECK (prc_lst_cd ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,31}$'),
    prc_lst_nm  varchar(200)  NOT NULL,
    curr        char(3)       NOT NULL DEFAULT 'EUR',
    active_flg  char(1)       NOT NULL DEFAULT 'Y' CHECK (active_flg IN ('Y', 'N')),
    rev         integer       NOT NULL DEFAULT 1,
    crt_ts      timestamptz   NOT NULL DEFAULT now(),
    upd_ts      timestamptz   NOT NULL DEFAULT now(),
    chg_no      bigint        NOT NULL,
    chg_txid    bigint        NOT NULL
);
CREATE INDEX prc_lst_chg_txid ON erp.prc_lst (chg_txid);

CREATE TABLE erp.prc_lst_line (
    prc_lst_cd  varchar(32)   NOT NULL REFERENCES erp.prc_lst,
    item_no     varchar(32)   NOT NULL REFERENCES erp.item_mst,
    unit_prc    numeric(18,4) NOT NULL CHECK (unit_prc >= 0),
    -- null: since always / until further notice
    valid_from  date,
    valid_to    date,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
-- one price of an item per list and start day
CREATE UNIQUE INDEX prc_lst_line_start ON erp.prc_lst_line (prc_lst_cd, item_no, coalesce(valid_from, DATE '-infinity'));

-- the header's revision: its own fields, or any write of a line (bump_rev = true)
CREATE FUNCTION erp.bump_prc_lst_rev() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('erp_sim.prc_lst_line_write', true) = 'Y'
            OR (NEW.prc_lst_nm, NEW.curr, NEW.active_flg) IS DISTINCT FROM (OLD.prc_lst_nm, OLD.curr, OLD.active_flg) THEN
        NEW.rev := OLD.rev + 1;
    ELSE
        NEW.rev := OLD.rev;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION erp.prc_lst_line_written() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    code varchar(32);
BEGIN
    FOR code IN SELECT DISTINCT c FROM (SELECT NEW.prc_lst_cd AS c WHERE TG_OP <> 'DELETE'
                                        UNION SELECT OLD.prc_lst_cd WHERE TG_OP <> 'INSERT') s LOOP
        PERFORM set_config('erp_sim.prc_lst_line_write', 'Y', true);
        UPDATE erp.prc_lst SET prc_lst_nm = prc_lst_nm WHERE prc_lst_cd = code;
        PERFORM set_config('erp_sim.prc_lst_line_write', 'N', true);
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER prc_lst_chg BEFORE INSERT OR UPDATE ON erp.prc_lst FOR EACH ROW EXECUTE FUNCTION erp.stamp_change();
CREATE TRIGGER prc_lst_rev BEFORE UPDATE ON erp.prc_lst FOR EACH ROW EXECUTE FUNCTION erp.bump_prc_lst_rev();
CREATE TRIGGER prc_lst_upd_ts BEFORE UPDATE ON erp.prc_lst FOR EACH ROW EXECUTE FUNCTION erp.touch_upd_ts();
CREATE TRIGGER prc_lst_line_written AFTER INSERT OR UPDATE OR DELETE ON erp.prc_lst_line
    FOR EACH ROW EXECUTE FUNCTION erp.prc_lst_line_written();
CREATE TRIGGER prc_lst_sim_fault BEFORE INSERT OR UPDATE ON erp.prc_lst
    FOR EACH STATEMENT EXECUTE FUNCTION erp.sim_fault_check();

-- the ESB reads products and prices; it never writes them (the schema's default privileges include writes)
REVOKE INSERT, UPDATE, DELETE ON erp.prc_lst, erp.prc_lst_line FROM erp_app;
GRANT SELECT ON erp.prc_lst, erp.prc_lst_line TO erp_app;
