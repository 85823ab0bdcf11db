-- Sandbox CRM: customer accounts (issue 15, the customer master). Sales keep the legal name, the tax id, the addresses
-- and the contacts, and deactivate an account they no longer serve; the ERP's side of the customer - its customer
-- number, the credit limit, the payment terms and whether it is blocked - is written by the ESB only (read-only for
-- the CRM's users), so sales see it before they quote.

CREATE SEQUENCE sandbox_crm.account_seq START WITH 20001;

CREATE TABLE sandbox_crm.account (
    account_no         varchar(32)   PRIMARY KEY DEFAULT 'ACC-' || nextval('sandbox_crm.account_seq'),
    legal_name         varchar(200)  NOT NULL CHECK (legal_name ~ '\S'),
    -- compact, upper case, with its country prefix (the CRM normalises what sales type)
    tax_id             varchar(32)   CHECK (tax_id ~ '^[A-Z]{2}[A-Z0-9]{2,30}$'),
    -- [{"type": BILLING|SHIPPING|OTHER, "street", "postalCode", "city", "country"}]
    addresses          jsonb         NOT NULL DEFAULT '[]'::jsonb,
    -- [{"name", "role", "email", "phone"}]
    contacts           jsonb         NOT NULL DEFAULT '[]'::jsonb,
    active             boolean       NOT NULL DEFAULT true,
    -- counts what sales own: moves exactly when the legal name, tax id, addresses, contacts or active change
    -- (never for the ERP's side written by the ESB), stamped by the trigger below
    revision           integer       NOT NULL DEFAULT 1,
    -- the ERP's side, written by the ESB (PUT /accounts/{no}/erp-terms), conditional on the ERP's revision of it
    erp_customer_no    varchar(32),
    credit_limit       numeric(18,2) CHECK (credit_limit >= 0),
    credit_currency    char(3),
    payment_terms      varchar(32),
    blocked            boolean,
    erp_terms_version  bigint,
    erp_synced_at      timestamptz,
    created_at         timestamptz   NOT NULL DEFAULT now(),
    last_modified      timestamptz   NOT NULL DEFAULT now(),
    -- change capture, as the quotes' (V5): the transaction that wrote the row last (read by /accounts/changes)
    chg_no             bigint        NOT NULL,
    chg_txid           bigint        NOT NULL
);
CREATE INDEX account_chg_txid ON sandbox_crm.account (chg_txid);
CREATE INDEX account_tax_id ON sandbox_crm.account (tax_id);

CREATE SEQUENCE sandbox_crm.account_chg_seq;

CREATE FUNCTION sandbox_crm.stamp_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.chg_no := nextval('sandbox_crm.account_chg_seq');
    NEW.chg_txid := CAST(CAST(pg_current_xact_id() AS text) AS bigint);
    NEW.last_modified := now();
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.legal_name, NEW.tax_id, NEW.addresses, NEW.contacts, NEW.active)
                IS DISTINCT FROM (OLD.legal_name, OLD.tax_id, OLD.addresses, OLD.contacts, OLD.active) THEN
            NEW.revision := OLD.revision + 1;
        ELSE
            NEW.revision := OLD.revision;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER account_chg BEFORE INSERT OR UPDATE ON sandbox_crm.account
    FOR EACH ROW EXECUTE FUNCTION sandbox_crm.stamp_account_change();
