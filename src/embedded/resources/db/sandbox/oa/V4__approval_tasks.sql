-- Sandbox OA: approval tasks. A caller (the ESB's OA adapter) creates them over REST, one per (reference, version,
-- step, level) - the unique key makes a repeated create find the task instead of adding a second one; a person
-- decides them over REST, and each decision is published on the approval decision queue in the transaction that
-- stores it (kept in approval_event so tests and people can see what was sent). Reminders and cancellations are
-- notes on the task, a reminder once per number.

CREATE SEQUENCE sandbox_oa.approval_seq START WITH 1;

CREATE TABLE sandbox_oa.approval (
    approval_id     varchar(32)   PRIMARY KEY DEFAULT 'APR-' || nextval('sandbox_oa.approval_seq'),
    reference       varchar(128)  NOT NULL,
    version         integer       NOT NULL,
    fingerprint     varchar(64),
    step            smallint      NOT NULL,
    level           smallint      NOT NULL DEFAULT 0,
    journey         varchar(32)   NOT NULL,
    approver_group  varchar(64)   NOT NULL,
    title           varchar(300)  NOT NULL,
    text            text          NOT NULL,
    data            jsonb,
    due_at          timestamptz,
    status          varchar(16)   NOT NULL DEFAULT 'OPEN'
                    CHECK (status IN ('OPEN', 'APPROVED', 'REJECTED', 'CHANGED', 'CANCELLED')),
    decided_by      varchar(128),
    comment         text,
    quantity        numeric(18, 3),
    decided_at      timestamptz,
    cancel_reason   text,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    updated_at      timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (reference, version, step, level)
);
-- a person's work list: the open tasks of a group
CREATE INDEX approval_group_status ON sandbox_oa.approval (approver_group, status);

CREATE TABLE sandbox_oa.approval_note (
    id           bigserial    PRIMARY KEY,
    approval_id  varchar(32)  NOT NULL REFERENCES sandbox_oa.approval ON DELETE CASCADE,
    kind         varchar(16)  NOT NULL CHECK (kind IN ('REMINDER', 'CANCELLED')),
    number       integer,
    text         text         NOT NULL,
    created_at   timestamptz  NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (approval_id, kind, number)
);

CREATE TABLE sandbox_oa.approval_event (
    event_id      varchar(64)  PRIMARY KEY,
    approval_id   varchar(32)  NOT NULL REFERENCES sandbox_oa.approval ON DELETE CASCADE,
    payload       jsonb        NOT NULL,
    published_at  timestamptz  NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX approval_event_approval ON sandbox_oa.approval_event (approval_id, published_at);
