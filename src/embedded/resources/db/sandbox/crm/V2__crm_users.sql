-- Sandbox CRM users (sales and service staff). Users are deactivated, never deleted: their activities and
-- opportunities keep their owner.
CREATE SEQUENCE sandbox_crm.user_seq START WITH 5001;

CREATE TABLE sandbox_crm.crm_user (
    user_id          varchar(32)   PRIMARY KEY DEFAULT 'CU-' || nextval('sandbox_crm.user_seq'),
    employee_number  varchar(32)   NOT NULL UNIQUE,
    user_name        varchar(128)  NOT NULL UNIQUE,
    full_name        varchar(200)  NOT NULL,
    email_address    varchar(200),
    team             varchar(64),
    job_title        varchar(128),
    is_active        boolean       NOT NULL DEFAULT true,
    deactivated_at   timestamptz,
    created_at       timestamptz   NOT NULL DEFAULT now(),
    last_modified    timestamptz   NOT NULL DEFAULT now()
);
