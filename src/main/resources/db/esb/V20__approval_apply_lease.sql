-- One apply of a decision at a time. The decision route, the capture (which advances every request it sees) and the
-- sweep all call approvals.apply-decision; the ports are idempotent, but only where the source can check and write in
-- one transaction. Tryton books a trip in several JSON-RPC calls, and two applies that overlapped both found nothing
-- and both booked (BusinessTripOnRealSystemsIT). A caller now claims the row for esb.approvals.apply-lease-ms first;
-- one that finds it claimed leaves the apply to the holder (or, if the holder died, to the sweep once the lease ran out).
ALTER TABLE approval ADD COLUMN apply_leased_until timestamptz;
