package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.function.Supplier;

/**
 * One ERP adapter under the contract tests of ports {@code erp.requisitions-since} and
 * {@code erp.apply-requisition-decision}: the ports, and what the ERP's users do with requisitions and budgets.
 */
interface ErpRequisitionsUnderTest {

    String name();

    /** Calls port erp.requisitions-since with the watermark (null: nothing read yet); the port's result. */
    JsonNode requisitionsSince(String watermark) throws Exception;

    /** Calls port erp.apply-requisition-decision with a canonical ApprovalDecision; the port's result. */
    JsonNode applyDecision(String decision) throws Exception;

    /**
     * Whether the ERP keeps budgets (the sandbox does; Tryton 6.0 has none): without them the port answers no budget
     * line and no remaining budget (null), and {@link #committed} is what the ERP committed to buy for the
     * requisitions raised on the test's budget line (Tryton: its purchase requests).
     */
    default boolean keepsBudgets() {
        return true;
    }

    /**
     * The revision the ERP holds now, as the ports report it (the sandbox counts 1, 2, ...; Tryton, which keeps no
     * revision, the second of the newest write): the version a decision for the requisition as it is now names.
     */
    default int revision(String requisitionNo) throws Exception {
        return requisition(requisitionNo).revision();
    }

    /** A budget line of its own for one test, with this total; its code. */
    String budget(String department, String amount) throws Exception;

    /** What is committed on a budget line. */
    BigDecimal committed(String budgetLine) throws Exception;

    /** A requester raises a requisition of a stocked item on the budget line; its number (the requestId). */
    String raise(String department, String quantity, String unitPrice, String budgetLine) throws Exception;

    /** The requester changes the quantity of a waiting requisition (a new revision). */
    void changeQuantity(String requisitionNo, String quantity) throws Exception;

    /** The requester withdraws a waiting requisition. */
    void withdraw(String requisitionNo) throws Exception;

    /** The requisition as the ERP holds it. */
    Requisition requisition(String requisitionNo) throws Exception;

    /** Runs the action while the ERP cannot be reached. */
    <T> T whileRequisitionsDown(Supplier<T> action) throws Exception;

    /**
     * A requisition as the ERP shows it: its revision, own status code, the decision applied (its id, or null) and
     * the quantity released (or null).
     */
    record Requisition(int revision, String erpStatus, String decisionId, BigDecimal approvedQuantity) {
    }
}
