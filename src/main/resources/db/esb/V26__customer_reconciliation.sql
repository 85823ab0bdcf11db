-- Customer reconciliation (issue 15; io.conduit.esb.customers.CustomerReconciliation): a run reads what the CRM and the
-- ERP hold now, page by page through their ports crm.customers-page and erp.customers-page, and lists the customers
-- that differ. One run at a time (the partial unique index below); each run keeps its report and its differences.
CREATE TABLE esb.customer_reconciliation (
    id             uuid          PRIMARY KEY,
    -- RUNNING, DONE (the report is whole), FAILED (error says why; the differences found until then are kept)
    status         varchar(16)   NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
    -- the operator who asked for it
    requested_by   varchar(100),
    started_at     timestamptz   NOT NULL,
    -- moved on every page read: a RUNNING run without progress for minutes was abandoned (its ESB stopped)
    heartbeat_at   timestamptz   NOT NULL,
    finished_at    timestamptz,
    duration_ms    bigint,
    -- customers read from each system, CRM accounts found in both, CRM accounts merged into another (not compared)
    crm_customers  bigint        NOT NULL DEFAULT 0,
    erp_customers  bigint        NOT NULL DEFAULT 0,
    compared       bigint        NOT NULL DEFAULT 0,
    merged         bigint        NOT NULL DEFAULT 0,
    -- differences per kind {"MISSING_IN_ERP": n, ...}, and how many of the missing are parked for a person
    counts         jsonb         NOT NULL DEFAULT '{}'::jsonb,
    parked         bigint        NOT NULL DEFAULT 0,
    page_size      integer       NOT NULL,
    error          text
);
CREATE UNIQUE INDEX customer_reconciliation_one_running ON esb.customer_reconciliation ((true)) WHERE status = 'RUNNING';
CREATE INDEX customer_reconciliation_started ON esb.customer_reconciliation (started_at DESC);

-- The differences of a run, in the order found: MISSING_IN_ERP (a CRM account no ERP customer is linked to; note:
-- the parked conflict's reason when it is parked), UNKNOWN_CRM_ACCOUNT (an ERP customer linked to a CRM account the
-- CRM does not have), ERP_NUMBER_DIFFERS (the number the CRM shows is not the ERP's), FIELD_DIFFERS (an owned field:
-- the owner's value and the other system's).
CREATE TABLE esb.customer_reconciliation_difference (
    run_id       uuid          NOT NULL REFERENCES esb.customer_reconciliation (id) ON DELETE CASCADE,
    seq          integer       NOT NULL,
    kind         varchar(32)   NOT NULL,
    customer_id  varchar(32)   NOT NULL,
    field        varchar(32),
    -- CRM or ERP: the system that owns the field
    owner        varchar(8),
    owner_value  jsonb,
    other_value  jsonb,
    note         text,
    PRIMARY KEY (run_id, seq)
);

-- Working table of a running run: the ERP's customers read, keyed by CRM account, until the CRM's pages have come by
-- (matched) and the unmatched are reported; emptied when the run ends. Unlogged: lost in a crash with the run itself.
CREATE UNLOGGED TABLE esb.customer_reconciliation_erp (
    run_id       uuid          NOT NULL,
    customer_id  varchar(32)   NOT NULL,
    held         jsonb         NOT NULL,
    matched      boolean       NOT NULL DEFAULT false,
    PRIMARY KEY (run_id, customer_id)
);
