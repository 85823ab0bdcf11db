-- Sandbox CRM: suppliers (issue 15, the supplier master). Purchasing keeps the suppliers it buys from here - legal
-- name, tax id, addresses, contacts, a rating (1-5) it picks the best supplier by - and deactivates one it no longer
-- buys from; the ERP's vendor number is written by the ESB only (read-only for the CRM's users), once the ERP has the
-- supplier as a vendor.

CREATE SEQUENCE sandbox_crm.supplier_seq START WITH 30001;

CREATE TABLE sandbox_crm.supplier (
    supplier_no        varchar(32)   PRIMARY KEY DEFAULT 'SUP-' || nextval('sandbox_crm.supplier_seq'),
    legal_name         varchar(200)  NOT NULL CHECK (legal_name ~ '\S'),
    -- compact, upper case, with its country prefix (the CRM normalises what purchasing types)
    tax_id             varchar(32)   CHECK (tax_id ~ '^[A-Z]{2}[A-Z0-9]{2,30}$'),
    -- [{"type": BILLING|SHIPPING|OTHER, "street", "postalCode", "city", "country"}]
    addresses          jsonb         NOT NULL DEFAULT '[]'::jsonb,
    -- [{"name", "role", "email", "phone"}]
    contacts           jsonb         NOT NULL DEFAULT '[]'::jsonb,
    -- 1 (worst) to 5 (best); null: not rated yet
    rating             smallint      CHECK (rating BETWEEN 1 AND 5),
    active             boolean       NOT NULL DEFAULT true,
    -- counts what purchasing owns: moves exactly when the legal name, tax id, addresses, contacts, rating or active
    -- change (never for the vendor number written by the ESB), stamped by the trigger below
    revision           integer       NOT NULL DEFAULT 1,
    -- the ERP's side, written by the ESB (PUT /suppliers/{no}/erp-vendor)
    erp_vendor_no      varchar(32),
    erp_linked_at      timestamptz,
    created_at         timestamptz   NOT NULL DEFAULT now(),
    last_modified      timestamptz   NOT NULL DEFAULT now(),
    -- change capture, as the accounts' (V6): the transaction that wrote the row last (read by /suppliers/changes)
    chg_no             bigint        NOT NULL,
    chg_txid           bigint        NOT NULL
);
CREATE INDEX supplier_chg_txid ON sandbox_crm.supplier (chg_txid);
CREATE INDEX supplier_tax_id ON sandbox_crm.supplier (tax_id);

CREATE SEQUENCE sandbox_crm.supplier_chg_seq;

CREATE FUNCTION sandbox_crm.stamp_supplier_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.chg_no := nextval('sandbox_crm.supplier_chg_seq');
    NEW.chg_txid := CAST(CAST(pg_current_xact_id() AS text) AS bigint);
    NEW.last_modified := now();
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.legal_name, NEW.tax_id, NEW.addresses, NEW.contacts, NEW.rating, NEW.active)
                IS DISTINCT FROM (OLD.legal_name, OLD.tax_id, OLD.addresses, OLD.contacts, OLD.rating, OLD.active) THEN
            NEW.revision := OLD.revision + 1;
        ELSE
            NEW.revision := OLD.revision;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER supplier_chg BEFORE INSERT OR UPDATE ON sandbox_crm.supplier
    FOR EACH ROW EXECUTE FUNCTION sandbox_crm.stamp_supplier_change();
