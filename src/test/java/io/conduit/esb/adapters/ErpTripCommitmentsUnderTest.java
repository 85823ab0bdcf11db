package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.function.Supplier;

/**
 * One ERP adapter under the contract tests of ports {@code erp.book-trip-commitment} and
 * {@code erp.release-trip-commitment}: the ports, the ERP's cost centres and what it shows of a trip's commitment.
 */
interface ErpTripCommitmentsUnderTest {

    String name();

    /** Calls port erp.book-trip-commitment with the approved trip (a canonical ApprovalRequest BUSINESS_TRIP). */
    JsonNode bookTripCommitment(String approvedRequest) throws Exception;

    /** Calls port erp.release-trip-commitment. */
    JsonNode releaseTripCommitment(String tripId, String reason) throws Exception;

    /**
     * Whether the ERP keeps budgets on its cost centres (the sandbox does; Tryton 6.0 has none): without them the ports
     * answer remainingBudget null, and {@link #committedOn} is what the ERP shows booked on the cost centre (Tryton:
     * the analytic account's debit minus credit).
     */
    default boolean keepsCostCentreBudgets() {
        return true;
    }

    /** A cost centre of its own for one test, with this budget (where the ERP keeps one); its code. */
    String costCentre(String department, String amount, String currency) throws Exception;

    /** What is committed on a cost centre. */
    BigDecimal committedOn(String costCentre) throws Exception;

    /** The trip's commitment as the ERP holds it, or null when it holds none. */
    Commitment commitment(String tripId) throws Exception;

    /**
     * Calls a port as a call that stops after its first write would leave the ERP (the connection lost before the
     * second write), for an adapter whose port writes in more than one transaction (Tryton: create, then post); the
     * failure it ended with, or null for an ERP whose port is one transaction (the sandbox: nothing half-done exists).
     * {@code port} is "book" or "release"; {@code body} the port's input.
     */
    default Throwable stopAfterFirstWrite(String port, String body) throws Exception {
        return null;
    }

    /** Runs the action while the ERP cannot be reached. */
    <T> T whileCommitmentsDown(Supplier<T> action) throws Exception;

    /** A commitment as the ERP shows it: its status code, the decision booked, amount and advance. */
    record Commitment(String erpStatus, String decisionId, BigDecimal amount, BigDecimal advance) {
    }
}
