-- Approvals (routes/approvals.camel.yaml): a request raised in a source system (slice 1: an ERP purchase
-- requisition) is decided step by step in the OA and the decision goes back to the source, once. The ESB's own rows
-- are the outbox: every effect still owed (an OA task to send or cancel, a decision to apply) is a row with its "done"
-- time still null, so a failed call, a parked message or a restart loses nothing (approvals.advance and the sweep
-- do what is missing). Deadlines and reminders are times in approval_task, claimed once by the scanner.

-- where the requisition capture has read (port erp.requisitions-since; the adapter's opaque watermark, NULL = start)
INSERT INTO cdc_watermark (source) VALUES ('erp-requisitions');

-- One row per request: its current version (a changed request replaces the version and starts again at step 1),
-- the steps the approval matrix gave that version, how far it got and the decision.
CREATE TABLE approval (
    request_id             varchar(64)    PRIMARY KEY,
    journey                varchar(32)    NOT NULL
                           CHECK (journey IN ('PURCHASE_REQUISITION', 'QUOTE_DISCOUNT', 'BUSINESS_TRIP')),
    request_version        integer        NOT NULL,
    -- ApprovalFingerprint of the version: what the approvers saw (the ERP's remaining budget is not part of it)
    request_hash           char(64)       NOT NULL,
    -- the canonical ApprovalRequest of the version
    request                jsonb          NOT NULL,
    department             varchar(64)    NOT NULL,
    amount                 numeric(18,2)  NOT NULL,
    currency               char(3)        NOT NULL,
    matrix_rule            integer,
    flagged                boolean        NOT NULL DEFAULT false,
    flag_reason            varchar(300),
    -- [{"step":1,"approver":"HEAD","group":"HEAD-PRODUCTION","escalateTo":"DIRECTOR-PRODUCTION","deadline":"P2D","remindAfter":"P1D"}]
    steps                  jsonb          NOT NULL,
    current_step           smallint       NOT NULL DEFAULT 1,
    -- a step's CHANGED quantity; the following steps and the ERP see it
    approved_quantity      numeric(18,3),
    -- PENDING: steps open; DECIDED: decision owed to the source; APPLIED: the source has it; STALE: the source has a
    -- newer revision than the one decided (its capture resubmits it); WITHDRAWN: withdrawn in the source;
    -- CLOSED: the source closed the request before the decision reached it (NOT_PENDING)
    status                 varchar(16)    NOT NULL DEFAULT 'PENDING'
                           CHECK (status IN ('PENDING', 'DECIDED', 'APPLIED', 'STALE', 'WITHDRAWN', 'CLOSED')),
    outcome                varchar(16)    CHECK (outcome IN ('APPROVED', 'REJECTED', 'CHANGED')),
    reason                 text,
    decided_at             timestamptz,
    applied_at             timestamptz,
    -- what the source answered: APPLIED, DUPLICATE, STALE, NOT_PENDING
    apply_outcome          varchar(16),
    created_at             timestamptz    NOT NULL DEFAULT now(),
    updated_at             timestamptz    NOT NULL DEFAULT now()
);
-- the sweep: decisions not yet applied
CREATE INDEX approval_decided ON approval (decided_at) WHERE status = 'DECIDED';

-- One OA task per (version, step, escalation level): level 0 to the step's group, level 1 to the group above when the
-- step's deadline passed. sent_at null = still to be sent; cancel_requested_at without cancel_sent_at = a cancel owed.
CREATE TABLE approval_task (
    request_id           varchar(64)   NOT NULL REFERENCES approval,
    request_version      integer       NOT NULL,
    step                 smallint      NOT NULL,
    escalation_level     smallint      NOT NULL DEFAULT 0,
    approver_group       varchar(128)  NOT NULL,
    task_id              varchar(64),
    system_ref           varchar(128),
    created_at           timestamptz   NOT NULL DEFAULT now(),
    sent_at              timestamptz,
    due_at               timestamptz   NOT NULL,
    remind_at            timestamptz,
    reminded_at          timestamptz,
    escalated_at         timestamptz,
    closed_at            timestamptz,
    close_reason         varchar(16)   CHECK (close_reason IN ('DECIDED', 'OTHER_DECIDED', 'SUPERSEDED', 'WITHDRAWN',
                                                               'CLOSED')),
    cancel_requested_at  timestamptz,
    cancel_sent_at       timestamptz,
    PRIMARY KEY (request_id, request_version, step, escalation_level)
);
-- what the deadline scanner looks for: reminders due, deadlines passed (level 0 only: one escalation)
CREATE INDEX approval_task_remind ON approval_task (remind_at)
    WHERE reminded_at IS NULL AND closed_at IS NULL AND sent_at IS NOT NULL;
CREATE INDEX approval_task_due ON approval_task (due_at)
    WHERE escalation_level = 0 AND escalated_at IS NULL AND closed_at IS NULL AND sent_at IS NOT NULL;
-- advance and the sweep: tasks to send, cancels to send
CREATE INDEX approval_task_unsent ON approval_task (created_at) WHERE sent_at IS NULL AND closed_at IS NULL;
CREATE INDEX approval_task_cancel ON approval_task (cancel_requested_at)
    WHERE cancel_requested_at IS NOT NULL AND cancel_sent_at IS NULL;

-- The decision of each step: the FIRST decision recorded wins (a repeated event, or the task and its escalation both
-- decided, finds the row taken).
CREATE TABLE approval_step_decision (
    request_id         varchar(64)    NOT NULL REFERENCES approval,
    request_version    integer        NOT NULL,
    step               smallint       NOT NULL,
    escalation_level   smallint       NOT NULL DEFAULT 0,
    outcome            varchar(16)    NOT NULL CHECK (outcome IN ('APPROVED', 'REJECTED', 'CHANGED')),
    approved_quantity  numeric(18,3),
    comment            text,
    decided_by         varchar(128),
    task_id            varchar(64),
    event_id           varchar(64),
    decided_at         timestamptz    NOT NULL,
    recorded_at        timestamptz    NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (request_id, request_version, step)
);

CREATE TABLE approval_journal (
    id               bigserial    PRIMARY KEY,
    request_id       varchar(64)  NOT NULL,
    journey          varchar(32),
    request_version  integer,
    step             smallint,
    kind             varchar(32)  NOT NULL CHECK (kind IN ('REQUESTED', 'FLAGGED', 'TASK_SENT', 'REMINDED', 'ESCALATED',
                                                           'STEP_DECIDED', 'DECIDED', 'APPLIED', 'DUPLICATE',
                                                           'DECISION_IGNORED', 'DECISION_STALE', 'NOT_PENDING',
                                                           'RESUBMITTED', 'WITHDRAWN', 'CLOSED', 'TASK_CANCELLED',
                                                           'IGNORED')),
    detail           text,
    recorded_at      timestamptz  NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX approval_journal_request ON approval_journal (request_id, id);

-- A request as the routes read it: timestamps as ISO-8601 UTC text, the decision id the source is written with
-- (deterministic, so a repeated write is recognised), the number of steps.
CREATE VIEW approval_state AS
SELECT request_id, journey, request_version, request_hash AS fingerprint, request, department, amount, currency,
       matrix_rule, flagged, flag_reason, steps, jsonb_array_length(steps) AS step_count, current_step,
       approved_quantity, status, outcome, reason, apply_outcome,
       request_id || '@' || request_version AS decision_id,
       iso_utc(decided_at) AS decided_at, iso_utc(applied_at) AS applied_at, iso_utc(created_at) AS created_at,
       iso_utc(updated_at) AS updated_at
FROM approval;
