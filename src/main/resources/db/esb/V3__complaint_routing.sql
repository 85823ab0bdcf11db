-- Complaint routing: one row per complaint the ESB has routed to an OA department, with its SLA clock and the
-- highest status reported so far, and a journal of what happened to it (routed, status applied or ignored,
-- escalated). The SLA timer is the row itself (sla_due_at), so it survives a restart of the ESB; the escalation
-- scanner claims due rows with an UPDATE ... WHERE escalated_at IS NULL, so each complaint is escalated once.

-- A timestamp as ISO-8601 UTC text with milliseconds (2026-11-20T09:15:02.120Z), as canonical events carry it.
CREATE FUNCTION iso_utc(ts timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- Rank of a canonical complaint status: a status update is applied only when it ranks higher than the current one.
CREATE FUNCTION complaint_status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE status WHEN 'OPEN' THEN 0 WHEN 'ASSIGNED' THEN 1 WHEN 'IN_PROGRESS' THEN 2 WHEN 'RESOLVED' THEN 3 END
$$;

CREATE TABLE complaint (
    complaint_id     varchar(64)   PRIMARY KEY,
    source_case_id   varchar(64)   NOT NULL,
    category         varchar(64)   NOT NULL,
    severity         varchar(16)   NOT NULL,
    department       varchar(64)   NOT NULL,
    task_queue       varchar(128)  NOT NULL,
    manager_queue    varchar(128)  NOT NULL,
    priority         integer       NOT NULL CHECK (priority BETWEEN 0 AND 9),
    sla              interval      NOT NULL,
    flagged          boolean       NOT NULL DEFAULT false,
    flag_reason      varchar(200),
    routing_rule     integer,
    task_message_id  varchar(128),
    task_sent_at     timestamptz,
    sla_due_at       timestamptz   NOT NULL,
    oa_task_id       varchar(64),
    status           varchar(16)   NOT NULL DEFAULT 'OPEN'
                     CHECK (status IN ('OPEN', 'ASSIGNED', 'IN_PROGRESS', 'RESOLVED')),
    status_rank      integer       NOT NULL DEFAULT 0,
    assignee         varchar(128),
    resolution       text,
    acknowledged_at  timestamptz,
    escalated_at     timestamptz,
    escalation_queue varchar(128),
    created_at       timestamptz   NOT NULL DEFAULT now(),
    updated_at       timestamptz   NOT NULL DEFAULT now()
);
-- what the escalation scanner looks for: sent, unacknowledged, not yet escalated, by due time
CREATE INDEX complaint_sla_due ON complaint (sla_due_at)
    WHERE escalated_at IS NULL AND status_rank = 0 AND task_sent_at IS NOT NULL;

CREATE TABLE complaint_journal (
    id            bigserial    PRIMARY KEY,
    complaint_id  varchar(64)  NOT NULL,
    kind          varchar(32)  NOT NULL CHECK (kind IN ('ROUTED', 'FLAGGED', 'STATUS_APPLIED', 'STATUS_IGNORED',
                                                        'ESCALATED', 'DUPLICATE')),
    status        varchar(16),
    detail        text,
    recorded_at   timestamptz  NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX complaint_journal_complaint ON complaint_journal (complaint_id, id);

-- A complaint as the routes read it: timestamps as ISO-8601 UTC text, the escalation as a flag.
CREATE VIEW complaint_state AS
SELECT complaint_id, source_case_id, category, severity, department, task_queue, manager_queue, priority,
       CAST(sla AS text) AS sla, flagged, flag_reason, routing_rule, oa_task_id, status, status_rank, assignee,
       resolution, escalated_at IS NOT NULL AS escalated, escalation_queue,
       iso_utc(sla_due_at) AS sla_due_at, iso_utc(escalated_at) AS escalated_at, iso_utc(updated_at) AS updated_at
FROM complaint;
