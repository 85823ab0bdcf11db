-- A decision applied in the source can be owed back (issue 14, business trips): a trip cancelled in the OA after its
-- approval must have its ERP commitment released and its attendance absence removed. A journey with a reverse port
-- (esb.approvals.journeys.<journey>.reverse-port) owes a reversal when its capture reports the request WITHDRAWN while
-- the approval is DECIDED or APPLIED with outcome APPROVED: DECIDED too, since the apply may have booked part of its
-- effects just before the cancel. The reversal is an owed effect like the others: reverse_owed_at set once by the
-- capture (in the request's transaction), reversed_at set once when the journey's reverse port answered;
-- approvals.advance does it, the sweep repeats it while reversed_at is still null. The reverse port is idempotent and
-- order-independent with the apply's bookings, so a reversal that overtakes a late booking is harmless.
ALTER TABLE approval ADD COLUMN reverse_owed_at timestamptz;
ALTER TABLE approval ADD COLUMN reversed_at timestamptz;
COMMENT ON COLUMN approval.reverse_owed_at IS
    'when the source withdrew a request whose approval was DECIDED or APPLIED as APPROVED (journeys with a reverse-port); null = nothing to reverse';
COMMENT ON COLUMN approval.reversed_at IS
    'when the journey''s reverse port answered; null with reverse_owed_at set = the reversal is still owed';
-- advance and the sweep: reversals owed
CREATE INDEX approval_reverse_owed ON approval (reverse_owed_at) WHERE reverse_owed_at IS NOT NULL AND reversed_at IS NULL;

-- every kind V16 and V18 allow, and REVERSED (the reversal done)
ALTER TABLE approval_journal DROP CONSTRAINT approval_journal_kind_check;
ALTER TABLE approval_journal ADD CONSTRAINT approval_journal_kind_check
    CHECK (kind IN ('REQUESTED', 'FLAGGED', 'TASK_SENT', 'REMINDED', 'ESCALATED', 'STEP_DECIDED', 'DECIDED', 'APPLIED',
                    'DUPLICATE', 'DECISION_IGNORED', 'DECISION_STALE', 'NOT_PENDING', 'RESUBMITTED', 'WITHDRAWN',
                    'CLOSED', 'TASK_CANCELLED', 'IGNORED', 'HELD', 'REVERSED'));

-- the business trip journey's capture row (the flow creates a missing one on its first poll; made here like the others)
INSERT INTO cdc_watermark (source) VALUES ('oa-trips') ON CONFLICT DO NOTHING;
