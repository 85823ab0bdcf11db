-- Sandbox OA: who a task is assigned to and how it was resolved, and the task events the OA publishes on its
-- task event queue when a task changes through its API (kept so tests and people can see what was sent).

ALTER TABLE sandbox_oa.task ADD COLUMN assignee varchar(128);
ALTER TABLE sandbox_oa.task ADD COLUMN resolution text;

CREATE TABLE sandbox_oa.task_event (
    event_id      varchar(64)  PRIMARY KEY,
    task_id       varchar(32)  NOT NULL REFERENCES sandbox_oa.task ON DELETE CASCADE,
    event_type    varchar(32)  NOT NULL,
    payload       jsonb        NOT NULL,
    published_at  timestamptz  NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX task_event_task ON sandbox_oa.task_event (task_id, published_at);
