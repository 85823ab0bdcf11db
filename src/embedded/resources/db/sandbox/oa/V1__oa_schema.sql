-- Sandbox OA (office automation): work tasks received over JMS, user accounts managed over REST, and the HR
-- events it publishes.

CREATE SEQUENCE sandbox_oa.task_seq START WITH 1;
CREATE SEQUENCE sandbox_oa.account_seq START WITH 1;

CREATE TABLE sandbox_oa.task (
    task_id         varchar(32)  PRIMARY KEY DEFAULT 'TSK-' || nextval('sandbox_oa.task_seq'),
    queue           varchar(64)  NOT NULL,
    priority        integer      NOT NULL DEFAULT 4 CHECK (priority BETWEEN 0 AND 9),
    title           varchar(300) NOT NULL,
    body            jsonb,
    status          varchar(16)  NOT NULL DEFAULT 'OPEN'
                    CHECK (status IN ('OPEN', 'IN_PROGRESS', 'DONE', 'REJECTED', 'CANCELLED')),
    external_ref    varchar(128),
    jms_message_id  varchar(128) UNIQUE,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX task_queue_status ON sandbox_oa.task (queue, status);
CREATE INDEX task_external_ref ON sandbox_oa.task (external_ref);

CREATE TABLE sandbox_oa.account (
    account_id    varchar(32)  PRIMARY KEY DEFAULT 'OA-' || nextval('sandbox_oa.account_seq'),
    employee_no   varchar(32)  NOT NULL UNIQUE,
    login         varchar(64)  NOT NULL UNIQUE,
    display_name  varchar(200) NOT NULL,
    email         varchar(200),
    department    varchar(64),
    active        boolean      NOT NULL DEFAULT true,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    updated_at    timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE sandbox_oa.hr_event (
    event_id      varchar(64)  PRIMARY KEY,
    type          varchar(8)   NOT NULL CHECK (type IN ('HIRE', 'CHANGE', 'LEAVE')),
    employee_no   varchar(32)  NOT NULL,
    payload       jsonb        NOT NULL,
    published_at  timestamptz
);
CREATE INDEX hr_event_employee ON sandbox_oa.hr_event (employee_no, published_at);
