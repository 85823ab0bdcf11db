-- Partner intake API: the partner registry, their API keys, and every message a partner sent with its journey.

-- A partner (distributor, marketplace, supplier) allowed to post messages to /api/v1/partner/...
CREATE TABLE partner (
    partner_id            varchar(64)  PRIMARY KEY,
    name                  varchar(200) NOT NULL,
    status                varchar(16)  NOT NULL DEFAULT 'ACTIVE',
    -- the partner's payload format: mappings/partners/<format>/<type>.schema.json and <type>-to-canonical.jsonata
    format                varchar(64)  NOT NULL,
    -- message types the partner may send, e.g. {order,complaint}
    allowed_types         text[]       NOT NULL,
    -- requests per minute
    rate_limit_per_minute integer      NOT NULL,
    created_at            timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT partner_status CHECK (status IN ('ACTIVE', 'SUSPENDED')),
    -- at most 16 characters: the partner id is the orders' source system, which the ERP keeps in a 16-character column
    CONSTRAINT partner_id_alphabet CHECK (partner_id ~ '^[a-z][a-z0-9-]{1,15}$'),
    CONSTRAINT partner_rate_limit CHECK (rate_limit_per_minute > 0)
);

-- API keys: the HMAC secret is stored AES-GCM encrypted with the master key (esb.partner.master-key); a key is
-- usable from valid_from until valid_until (null = open) unless revoked. Rotation sets the old key's valid_until.
CREATE TABLE partner_api_key (
    key_id       varchar(64)  PRIMARY KEY,
    partner_id   varchar(64)  NOT NULL REFERENCES partner (partner_id),
    secret_enc   bytea        NOT NULL,
    valid_from   timestamptz  NOT NULL DEFAULT now(),
    valid_until  timestamptz,
    revoked_at   timestamptz,
    created_at   timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX partner_api_key_partner ON partner_api_key (partner_id);

-- A message a partner sent and the ESB accepted (stored only after the canonical event is in Kafka).
CREATE TABLE partner_message (
    tracking_id      uuid         PRIMARY KEY,
    partner_id       varchar(64)  NOT NULL REFERENCES partner (partner_id),
    message_type     varchar(32)  NOT NULL,
    -- the canonical business key (Order.orderId, Complaint.complaintId)
    business_key     varchar(128) NOT NULL,
    idempotency_key  varchar(128),
    body_sha256      char(64)     NOT NULL,
    event_id         varchar(128),
    correlation_id   varchar(128),
    -- the first answer (JSON), replayed for a retry with the same Idempotency-Key
    response_body    text         NOT NULL,
    received_at      timestamptz  NOT NULL,
    CONSTRAINT partner_message_idempotency UNIQUE (partner_id, idempotency_key)
);
CREATE INDEX partner_message_business_key ON partner_message (message_type, business_key);

-- The journey: RECEIVED, VALIDATED, PUBLISHED, DELIVERED (to which system, with which id).
-- PARKED steps are read from esb.parked_message by the canonical event's id (partner_message.event_id).
CREATE TABLE partner_message_step (
    id           bigserial    PRIMARY KEY,
    tracking_id  uuid         NOT NULL REFERENCES partner_message (tracking_id),
    step         varchar(16)  NOT NULL,
    at           timestamptz  NOT NULL DEFAULT now(),
    system       varchar(32),
    reference    varchar(128),
    detail       text,
    CONSTRAINT partner_message_step_kind CHECK (step IN ('RECEIVED', 'VALIDATED', 'PUBLISHED', 'DELIVERED'))
);
CREATE UNIQUE INDEX partner_message_step_once ON partner_message_step (tracking_id, step, coalesce(system, ''), coalesce(reference, ''));

-- Complaints now come from the CRM or from partners: the record keeps its source, so status updates go back to
-- the CRM only for the CRM's own cases (a partner follows its complaint on the partner API's status resource).
ALTER TABLE complaint ADD COLUMN source varchar(64) NOT NULL DEFAULT 'crm';

CREATE OR REPLACE VIEW complaint_state AS
SELECT complaint_id, source_case_id, category, severity, department, task_queue, manager_queue, priority,
       CAST(sla AS text) AS sla, flagged, flag_reason, routing_rule, oa_task_id, status, status_rank, assignee,
       resolution, escalated_at IS NOT NULL AS escalated, escalation_queue,
       iso_utc(sla_due_at) AS sla_due_at, iso_utc(escalated_at) AS escalated_at, iso_utc(updated_at) AS updated_at,
       source
FROM complaint;
