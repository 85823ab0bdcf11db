-- Sandbox CRM: quotes. A salesperson quotes a customer (for an opportunity, or on its own) with lines at list price
-- and one discount; the CRM's own rule (esb.sandbox.crm.quotes.*: a discount above the allowed one, or a margin below
-- the minimum) puts a quote it must not send as it is into approval status PENDING, and a PENDING or REJECTED quote
-- cannot be won. Sales management's decision comes back from the OA through the ESB (approval columns below).
-- status:          OPEN (being negotiated), WON, LOST, WITHDRAWN (the salesperson took it back)
-- approval_status: NONE (within the rule), PENDING, APPROVED, REJECTED

CREATE SEQUENCE sandbox_crm.quote_seq START WITH 5001;

CREATE TABLE sandbox_crm.quote (
    quote_no               varchar(16)   PRIMARY KEY DEFAULT 'Q-' || nextval('sandbox_crm.quote_seq'),
    -- the opportunity it belongs to, if any (a quote may come first)
    opportunity_id         varchar(64)   REFERENCES sandbox_crm.opportunity,
    account_no             varchar(32)   NOT NULL,
    account_name           varchar(200)  NOT NULL,
    salesperson            varchar(128)  NOT NULL,
    -- the sales team, e.g. SALES-DACH: who approves depends on it
    department             varchar(32)   NOT NULL,
    currency_code          char(3)       NOT NULL DEFAULT 'EUR',
    -- [{"sku", "description", "quantity", "unitPrice", "unitCost"}] at list price
    lines                  jsonb         NOT NULL,
    list_total             numeric(18,2) NOT NULL CHECK (list_total > 0),
    cost_total             numeric(18,2) NOT NULL CHECK (cost_total >= 0),
    discount_pct           numeric(5,2)  NOT NULL DEFAULT 0 CHECK (discount_pct >= 0 AND discount_pct < 100),
    net_total              numeric(18,2) GENERATED ALWAYS AS (round(list_total * (100 - discount_pct) / 100, 2)) STORED,
    -- (net - cost) / net, in percent
    margin_pct             numeric(9,2)  GENERATED ALWAYS AS (round((list_total * (100 - discount_pct) / 100 - cost_total)
                                             * 100 / (list_total * (100 - discount_pct) / 100), 2)) STORED,
    -- counts what is quoted: moves exactly when the lines or the discount change (never for an approval or a status)
    revision               integer       NOT NULL DEFAULT 1,
    status                 varchar(16)   NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'WON', 'LOST', 'WITHDRAWN')),
    approval_status        varchar(16)   NOT NULL DEFAULT 'NONE'
                           CHECK (approval_status IN ('NONE', 'PENDING', 'APPROVED', 'REJECTED')),
    -- why the CRM asks for approval ("discount 15.00 % above 10.00 %"), as the salesperson sees it
    approval_reason        varchar(300),
    -- the decision applied: its id (the caller's key, so the same decision twice is seen as such) and revision
    approval_decision_id   varchar(80)   UNIQUE,
    approval_revision      integer,
    approver               varchar(128),
    approval_comment       text,
    -- the discount approved (CHANGED: lower than asked; the quote's discount is set to it)
    approved_discount_pct  numeric(5,2),
    approved_at            timestamptz,
    won_at                 timestamptz,
    created_at             timestamptz   NOT NULL DEFAULT now(),
    last_modified          timestamptz   NOT NULL DEFAULT now(),
    -- change capture, as the sandbox ERP's: the transaction that wrote the row last (read by /quotes/changes)
    chg_no                 bigint        NOT NULL,
    chg_txid               bigint        NOT NULL
);
CREATE INDEX quote_chg_txid ON sandbox_crm.quote (chg_txid);
CREATE INDEX quote_opportunity ON sandbox_crm.quote (opportunity_id);

CREATE SEQUENCE sandbox_crm.quote_chg_seq;

-- every write is stamped with its transaction id: a reader takes the rows of transactions below the oldest one still
-- running (the horizon), so a row written by a transaction that commits late is never skipped
CREATE FUNCTION sandbox_crm.stamp_quote_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.chg_no := nextval('sandbox_crm.quote_chg_seq');
    NEW.chg_txid := CAST(CAST(pg_current_xact_id() AS text) AS bigint);
    NEW.last_modified := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER quote_chg BEFORE INSERT OR UPDATE ON sandbox_crm.quote
    FOR EACH ROW EXECUTE FUNCTION sandbox_crm.stamp_quote_change();
