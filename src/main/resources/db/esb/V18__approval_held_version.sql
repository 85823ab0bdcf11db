-- A newer version of a request that the source reports while the ESB applies the decision on the current one (status
-- DECIDED) is held, not started at once: it may be the source's own partial write of that decision (Tryton writes a
-- changed quantity, then presses "approve", in two calls, and a capture in between sees a waiting requisition at a
-- newer revision). The source's answer to the decision settles it: APPLIED drops the held version (the decision
-- went through), STALE starts the approval again from it (the source had really changed). NULL = nothing held.
ALTER TABLE approval ADD COLUMN held_request jsonb;

ALTER TABLE approval_journal DROP CONSTRAINT approval_journal_kind_check;
ALTER TABLE approval_journal ADD CONSTRAINT approval_journal_kind_check
    CHECK (kind IN ('REQUESTED', 'FLAGGED', 'TASK_SENT', 'REMINDED', 'ESCALATED', 'STEP_DECIDED', 'DECIDED', 'APPLIED',
                    'DUPLICATE', 'DECISION_IGNORED', 'DECISION_STALE', 'NOT_PENDING', 'RESUBMITTED', 'WITHDRAWN',
                    'CLOSED', 'TASK_CANCELLED', 'IGNORED', 'HELD'));
