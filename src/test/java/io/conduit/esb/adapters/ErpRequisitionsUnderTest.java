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
