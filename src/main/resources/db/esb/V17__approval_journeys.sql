-- Approvals, more than one journey (issue 14: the CRM quote discount beside the ERP purchase requisition). What a
-- CHANGED decision lowers is the journey's "value" (esb.approvals.journeys.<journey>.value: a requisition's quantity,
-- a quote's discount percent); the flow reads it from the request's subject once, when a version comes in, and keeps
-- it here, so its SQL names no journey's field. approved_quantity (approval, approval_step_decision) keeps its name
-- from slice 1 and holds the journey's approved value.
ALTER TABLE approval ADD COLUMN requested_value numeric(18,3);
COMMENT ON COLUMN approval.requested_value IS
    'the value the current version asks for (the subject member esb.approvals.journeys.<journey>.value names); a CHANGED decision must be below it';
COMMENT ON COLUMN approval.approved_quantity IS
    'a step''s CHANGED value in the journey''s terms (requisition: quantity, quote: discount percent); the following steps and the source see it';
UPDATE approval SET requested_value = CAST(request -> 'subject' ->> 'quantity' AS numeric)
    WHERE journey = 'PURCHASE_REQUISITION';

-- each journey's capture keeps its own watermark row (source = esb.approvals.journeys.<journey>.watermark); the flow
-- creates a missing row on its first poll, the ones known now are created here
INSERT INTO cdc_watermark (source) VALUES ('crm-quotes') ON CONFLICT DO NOTHING;

-- the view the routes read, with the requested value
CREATE OR REPLACE VIEW approval_state AS
SELECT request_id, journey, request_version, request_hash AS fingerprint, request, department, amount, currency,
       matrix_rule, flagged, flag_reason, steps, jsonb_array_length(steps) AS step_count, current_step,
       approved_quantity, status, outcome, reason, apply_outcome,
       request_id || '@' || request_version AS decision_id,
       iso_utc(decided_at) AS decided_at, iso_utc(applied_at) AS applied_at, iso_utc(created_at) AS created_at,
       iso_utc(updated_at) AS updated_at, requested_value
FROM approval;
