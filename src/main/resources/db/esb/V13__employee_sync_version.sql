-- Versioned delivery of HR events: an event's version is the order in which it was dispatched to its targets
-- (at recording for hires and changes, on its date for a scheduled leave; an older row gets one at its next attempt).
-- A target that was given a later event of the same employee does not get an older one (a replayed parked change,
-- a late redelivery): its delivery is SUPERSEDED, which completes it like DONE.
CREATE SEQUENCE employee_sync_dispatch_seq;
ALTER TABLE employee_sync_event ADD COLUMN dispatch_seq bigint;

ALTER TABLE employee_sync_delivery ALTER COLUMN status TYPE varchar(16);
ALTER TABLE employee_sync_delivery DROP CONSTRAINT employee_sync_delivery_status_check;
ALTER TABLE employee_sync_delivery ADD CONSTRAINT employee_sync_delivery_status_check
    CHECK (status IN ('PENDING', 'DONE', 'PARKED', 'SUPERSEDED'));
