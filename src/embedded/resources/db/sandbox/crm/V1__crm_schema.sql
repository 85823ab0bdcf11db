-- Sandbox CRM: opportunities as the CRM stores them, the ERP status the ESB reports back, and webhook traffic.

CREATE SEQUENCE sandbox_crm.opportunity_seq START WITH 1001;

CREATE TABLE sandbox_crm.opportunity (
    opportunity_id  varchar(64)   PRIMARY KEY,
    account_no      varchar(32)   NOT NULL,
    account_name    varchar(200)  NOT NULL,
    currency_code   char(3)       NOT NULL,
    amount          numeric(18,2) NOT NULL,
    close_date      date,
    delivery_date   date,
    stage           varchar(32)   NOT NULL DEFAULT 'Prospecting',
    revision        integer       NOT NULL DEFAULT 1,
    products        jsonb         NOT NULL DEFAULT '[]'::jsonb,
    erp_order_no    varchar(32),
    erp_status      varchar(32),
    erp_synced_at   timestamptz,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    last_modified   timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX opportunity_stage ON sandbox_crm.opportunity (stage);

-- Every status update the ESB sent (PATCH .../opportunities/{id}), so tests can count them.
CREATE TABLE sandbox_crm.erp_status_history (
    id              bigserial    PRIMARY KEY,
    opportunity_id  varchar(64)  NOT NULL REFERENCES sandbox_crm.opportunity ON DELETE CASCADE,
    erp_order_no    varchar(32),
    erp_status      varchar(32),
    erp_synced_at   timestamptz,
    received_at     timestamptz  NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX erp_status_history_opportunity ON sandbox_crm.erp_status_history (opportunity_id, id);

-- Webhook events as sent (json keeps the exact text, so a resend is byte for byte the same event).
CREATE TABLE sandbox_crm.webhook_event (
    event_id        varchar(64)  PRIMARY KEY,
    event_type      varchar(64)  NOT NULL,
    opportunity_id  varchar(64)  NOT NULL REFERENCES sandbox_crm.opportunity ON DELETE CASCADE,
    revision        integer      NOT NULL,
    payload         json         NOT NULL,
    created_at      timestamptz  NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX webhook_event_opportunity ON sandbox_crm.webhook_event (opportunity_id, created_at);

-- One row per delivery attempt; attempt numbers continue across resends of the same event.
CREATE TABLE sandbox_crm.webhook_delivery (
    id              bigserial    PRIMARY KEY,
    event_id        varchar(64)  NOT NULL REFERENCES sandbox_crm.webhook_event ON DELETE CASCADE,
    opportunity_id  varchar(64)  NOT NULL,
    attempt         integer      NOT NULL,
    resend          boolean      NOT NULL DEFAULT false,
    http_status     integer,
    error           text,
    sent_at         timestamptz  NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX webhook_delivery_event ON sandbox_crm.webhook_delivery (event_id, attempt);
CREATE INDEX webhook_delivery_opportunity ON sandbox_crm.webhook_delivery (opportunity_id, id);
