-- Sandbox OA (also the HR system): business trip requests and the attendance absences they become.
--
-- An employee submits a trip request (SUBMITTED, waiting for approval), may change it while it waits (each change of
-- what is asked is a new revision) and may cancel it, also after it was approved (CANCELLED). The approval - through
-- the ESB from the OA's approval tasks - marks it APPROVED or REJECTED with the approver and comment, once per
-- decision id (the ESB's <trip>@<revision>). Attendance keeps one absence per trip (type BUSINESS_TRIP), recorded
-- when the trip is approved and removed (never deleted) when an approved trip is cancelled.
--
-- Change capture: every write of a trip request is stamped as the sandbox ERP stamps its requisitions (chg_no from one
-- sequence, chg_txid = the writing transaction), so the OA's change feed (GET /sandbox/oa/api/trips/changes) answers
-- the rows written by transactions below a horizon (pg_snapshot_xmin): committed, and no later commit below it.

CREATE SEQUENCE sandbox_oa.trip_seq START WITH 1;
CREATE SEQUENCE sandbox_oa.trip_chg_seq;

CREATE TABLE sandbox_oa.trip_request (
    trip_id           varchar(32)   PRIMARY KEY DEFAULT 'TR-' || lpad(nextval('sandbox_oa.trip_seq')::text, 6, '0'),
    revision          integer       NOT NULL DEFAULT 1,
    employee_no       varchar(32)   NOT NULL,
    employee_name     varchar(128)  NOT NULL,
    department        varchar(64)   NOT NULL,
    cost_centre       varchar(16)   NOT NULL,
    city              varchar(100)  NOT NULL,
    country           char(2)       NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    purpose           varchar(500)  NOT NULL,
    start_date        date          NOT NULL,
    end_date          date          NOT NULL,
    transport         varchar(16)   NOT NULL CHECK (transport IN ('FLIGHT', 'TRAIN', 'CAR', 'OTHER')),
    estimated_cost    numeric(18,2) NOT NULL CHECK (estimated_cost >= 0),
    -- the travel advance paid out beforehand: part of the estimated cost, never more
    advance           numeric(18,2) NOT NULL DEFAULT 0 CHECK (advance >= 0 AND advance <= estimated_cost),
    currency          char(3)       NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    status            varchar(16)   NOT NULL DEFAULT 'SUBMITTED'
                      CHECK (status IN ('SUBMITTED', 'APPROVED', 'REJECTED', 'CANCELLED')),
    -- the approval applied: decision_id is the caller's key of the decision, so the same decision twice is seen as such
    decision_id       varchar(80)   UNIQUE,
    decision_revision integer,
    decided_by        varchar(128),
    decision_comment  text,
    decided_at        timestamptz,
    cancel_reason     text,
    cancelled_at      timestamptz,
    submitted_at      timestamptz   NOT NULL DEFAULT now(),
    updated_at        timestamptz   NOT NULL DEFAULT now(),
    chg_no            bigint        NOT NULL,
    chg_txid          bigint        NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX trip_request_chg_txid ON sandbox_oa.trip_request (chg_txid);
CREATE INDEX trip_request_employee ON sandbox_oa.trip_request (employee_no, start_date);

-- Every write is a change for the capture; the revision moves exactly when what is asked changes (never for a status
-- or decision write), and once the trip left SUBMITTED what was asked is fixed: the OA refuses the change (SQLSTATE
-- 55000), as the sandbox ERP refuses editing a released requisition. A trip to change after approval is cancelled
-- and submitted again.
CREATE FUNCTION sandbox_oa.stamp_trip_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.chg_no := nextval('sandbox_oa.trip_chg_seq');
    NEW.chg_txid := CAST(CAST(pg_current_xact_id() AS text) AS bigint);
    IF TG_OP = 'UPDATE' THEN
        NEW.updated_at := now();
        IF (NEW.employee_no, NEW.employee_name, NEW.department, NEW.cost_centre, NEW.city, NEW.country, NEW.purpose,
                NEW.start_date, NEW.end_date, NEW.transport, NEW.estimated_cost, NEW.advance, NEW.currency)
                IS DISTINCT FROM (OLD.employee_no, OLD.employee_name, OLD.department, OLD.cost_centre, OLD.city,
                OLD.country, OLD.purpose, OLD.start_date, OLD.end_date, OLD.transport, OLD.estimated_cost, OLD.advance,
                OLD.currency) THEN
            IF OLD.status <> 'SUBMITTED' THEN
                RAISE EXCEPTION 'Trip request % is % and can no longer be changed', OLD.trip_id, OLD.status
                    USING ERRCODE = '55000';
            END IF;
            NEW.revision := OLD.revision + 1;
        ELSE
            NEW.revision := OLD.revision;
        END IF;
    ELSE
        NEW.revision := 1;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER trip_request_chg BEFORE INSERT OR UPDATE ON sandbox_oa.trip_request
    FOR EACH ROW EXECUTE FUNCTION sandbox_oa.stamp_trip_change();

-- Attendance: one absence per trip (trip_ref), recorded once and removed once. A removal that comes before the
-- recording (the trip cancelled while its approval was still being applied) leaves the row REMOVED with nothing
-- recorded (recorded_at null), so the late recording finds it and records nothing.
CREATE SEQUENCE sandbox_oa.absence_seq START WITH 1;

CREATE TABLE sandbox_oa.absence (
    absence_id     varchar(32)  PRIMARY KEY DEFAULT 'ABS-' || nextval('sandbox_oa.absence_seq'),
    trip_ref       varchar(64)  NOT NULL UNIQUE,
    type           varchar(16)  NOT NULL DEFAULT 'BUSINESS_TRIP' CHECK (type IN ('BUSINESS_TRIP')),
    employee_no    varchar(32),
    from_date      date,
    to_date        date,
    decision_id    varchar(80),
    status         varchar(16)  NOT NULL CHECK (status IN ('RECORDED', 'REMOVED')),
    recorded_at    timestamptz,
    remove_reason  text,
    removed_at     timestamptz,
    updated_at     timestamptz  NOT NULL DEFAULT now(),
    CHECK (recorded_at IS NULL OR (employee_no IS NOT NULL AND from_date IS NOT NULL AND to_date IS NOT NULL
           AND to_date >= from_date)),
    CHECK (status = 'REMOVED' OR recorded_at IS NOT NULL)
);
CREATE INDEX absence_employee ON sandbox_oa.absence (employee_no, from_date);
