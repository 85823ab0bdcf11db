-- Sandbox CRM: customer service cases (complaints) in the CRM's own naming, the status updates the ESB sends
-- back (PATCH .../cases/{id}), kept as a history so tests can assert their sequence, and the case webhook's
-- delivery attempts.

CREATE SEQUENCE sandbox_crm.case_seq START WITH 10001;

CREATE TABLE sandbox_crm.support_case (
    case_number             varchar(64)   PRIMARY KEY,
    account_no              varchar(32)   NOT NULL,
    account_name            varchar(200)  NOT NULL,
    account_tier            varchar(16),
    related_opportunity_id  varchar(64),
    category_code           varchar(16)   NOT NULL,
    priority                varchar(16)   NOT NULL,
    origin                  varchar(16)   NOT NULL,
    subject                 varchar(300),
    description             text          NOT NULL,
    product_sku             varchar(32),
    product_name            varchar(200),
    product_line            varchar(32),
    case_status             varchar(32)   NOT NULL DEFAULT 'New',
    assigned_team           varchar(64),
    assigned_to             varchar(128),
    resolution              text,
    escalated               boolean       NOT NULL DEFAULT false,
    routing_note            varchar(200),
    external_task_ref       varchar(64),
    esb_synced_at           timestamptz,
    opened_at               timestamptz   NOT NULL DEFAULT now(),
    last_modified           timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE sandbox_crm.case_status_history (
    id                 bigserial    PRIMARY KEY,
    case_number        varchar(64)  NOT NULL REFERENCES sandbox_crm.support_case ON DELETE CASCADE,
    case_status        varchar(32),
    assigned_team      varchar(64),
    assigned_to        varchar(128),
    resolution         text,
    escalated          boolean,
    routing_note       varchar(200),
    external_task_ref  varchar(64),
    esb_synced_at      timestamptz,
    received_at        timestamptz  NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX case_status_history_case ON sandbox_crm.case_status_history (case_number, id);

CREATE TABLE sandbox_crm.case_webhook_delivery (
    id           bigserial    PRIMARY KEY,
    event_id     varchar(64)  NOT NULL,
    case_number  varchar(64)  NOT NULL,
    attempt      integer      NOT NULL,
    http_status  integer,
    error        text,
    sent_at      timestamptz  NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX case_webhook_delivery_case ON sandbox_crm.case_webhook_delivery (case_number, id);
