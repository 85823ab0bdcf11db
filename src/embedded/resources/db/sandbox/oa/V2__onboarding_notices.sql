-- "Onboarding complete" notices the OA receives from the ESB on its queue, one row per JMS message received
-- (so a duplicate message would show as a second row).
CREATE TABLE sandbox_oa.onboarding_notice (
    id              bigserial     PRIMARY KEY,
    hr_event_id     varchar(64)   NOT NULL,
    employee_no     varchar(32)   NOT NULL,
    payload         jsonb         NOT NULL,
    jms_message_id  varchar(128)  NOT NULL UNIQUE,
    received_at     timestamptz   NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX onboarding_notice_employee ON sandbox_oa.onboarding_notice (employee_no, id);
CREATE INDEX onboarding_notice_event ON sandbox_oa.onboarding_notice (hr_event_id);
