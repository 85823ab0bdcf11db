-- Employee onboarding / offboarding: every HR event the ESB accepted (keyed by the OA's event id, searchable by
-- employee id) and, per event, one delivery status row per target system (ERP, OA, CRM).
CREATE TABLE employee_sync_event (
    event_id        varchar(64)  PRIMARY KEY,
    employee_id     varchar(32)  NOT NULL,
    event_type      varchar(8)   NOT NULL CHECK (event_type IN ('HIRE', 'CHANGE', 'LEAVE')),
    effective_date  date,
    -- leavers: the day the accounts are deactivated; the event waits in SCHEDULED until then
    due_date        date,
    status          varchar(16)  NOT NULL CHECK (status IN ('SCHEDULED', 'DISPATCHED', 'COMPLETED')),
    -- the canonical Employee the targets are given
    payload         text         NOT NULL,
    correlation_id  varchar(128),
    received_at     timestamptz  NOT NULL DEFAULT now(),
    dispatched_at   timestamptz,
    completed_at    timestamptz
);
CREATE INDEX employee_sync_event_employee ON employee_sync_event (employee_id, received_at);
CREATE INDEX employee_sync_event_due ON employee_sync_event (status, due_date);

CREATE TABLE employee_sync_delivery (
    event_id    varchar(64)  NOT NULL REFERENCES employee_sync_event ON DELETE CASCADE,
    target      varchar(8)   NOT NULL CHECK (target IN ('ERP', 'OA', 'CRM')),
    status      varchar(8)   NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DONE', 'PARKED')),
    -- the id of the user / account in the target system (null when there was nothing to do there)
    target_id   varchar(64),
    attempts    integer      NOT NULL DEFAULT 0,
    last_error  text,
    updated_at  timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, target)
);
CREATE INDEX employee_sync_delivery_status ON employee_sync_delivery (status, updated_at);
