-- Sandbox CRM: the ERP's invoices on the CRM's order (opportunity) and account (issue 15, payments ERP -> CRM), so
-- sales and service see invoiced, partly paid, paid or overdue, and the open amount, before they call. Written by the
-- ESB only (PUT /invoices/{invoiceNo}), conditional on the ERP's version of the invoice: the newest version is kept,
-- an older one is refused (409 stale-update), the same one changes nothing.
-- OVERDUE is decided here on read, from the due date and the open amount (sandbox_crm.invoice_payment_status): an
-- invoice falls due at midnight without any change in the ERP and without a write; status keeps what the ERP reported.

CREATE TABLE sandbox_crm.invoice (
    invoice_no       varchar(32)   PRIMARY KEY,
    -- the CRM order billed (null: a direct invoice of the ERP) and the account billed (null: not known to the CRM)
    opportunity_id   varchar(64),
    account_no       varchar(32),
    erp_customer_no  varchar(32)   NOT NULL,
    erp_order_no     varchar(32),
    -- as the ERP reported it at its version (ISSUED, PARTLY_PAID, PAID, OVERDUE, CANCELLED)
    status           varchar(16)   NOT NULL CHECK (status IN ('ISSUED', 'PARTLY_PAID', 'PAID', 'OVERDUE', 'CANCELLED')),
    currency_code    char(3)       NOT NULL,
    total_amount     numeric(18,2) NOT NULL CHECK (total_amount >= 0),
    paid_amount      numeric(18,2) NOT NULL CHECK (paid_amount >= 0),
    open_amount      numeric(18,2) NOT NULL,
    issued_on        date          NOT NULL,
    due_date         date,
    erp_version      bigint        NOT NULL,
    erp_synced_at    timestamptz   NOT NULL DEFAULT clock_timestamp(),
    -- writes that changed the row (APPLIED), so tests can count them
    update_count     integer       NOT NULL DEFAULT 1,
    created_at       timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX invoice_opportunity ON sandbox_crm.invoice (opportunity_id);
CREATE INDEX invoice_account ON sandbox_crm.invoice (account_no);

-- the payment status the CRM shows on a day: cancelled and paid stay; open money past its due date is overdue;
-- otherwise partly paid or issued by the amounts (an OVERDUE the ERP reported is re-decided the same way)
CREATE FUNCTION sandbox_crm.invoice_payment_status(status varchar, paid numeric, open numeric, due date, on_day date)
    RETURNS varchar LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN status IN ('CANCELLED', 'PAID') THEN status
        WHEN open > 0 AND due IS NOT NULL AND due < on_day THEN 'OVERDUE'
        WHEN open <= 0 THEN 'PAID'
        WHEN paid > 0 THEN 'PARTLY_PAID'
        ELSE 'ISSUED'
    END
$$;
