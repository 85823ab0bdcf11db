-- Tasks the queue-fed OA adapter (adapters/oa/sandbox) has put on the OA's department queues. Such an OA cannot be
-- asked whether it holds a task, so the adapter remembers what it sent: port oa.create-task is idempotent by external
-- reference and escalation level, and a second call answers DUPLICATE with the first message's id.
CREATE TABLE oa_task_sent (
    external_ref     varchar(128) NOT NULL,
    escalation_level smallint     NOT NULL,
    queue            varchar(255) NOT NULL,
    message_id       varchar(128) NOT NULL,
    sent_at          timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (external_ref, escalation_level)
);
