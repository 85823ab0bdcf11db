-- The target whose delivery completed an HR event (its last one to finish). A later run of that same target's
-- message - a broker redelivery after a crash, the retry lane, a replay - may have lost the "onboarding complete"
-- notice with the first run, so it sends it again; another target finishing at the same moment does not.
ALTER TABLE employee_sync_event ADD COLUMN completed_by varchar(16);
