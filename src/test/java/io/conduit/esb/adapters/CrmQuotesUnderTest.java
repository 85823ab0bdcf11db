package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.function.Supplier;

/**
 * One CRM adapter under the contract tests of ports {@code crm.quotes-since} and {@code crm.apply-quote-decision}:
 * the ports, and what the CRM's salespeople do with quotes.
 */
interface CrmQuotesUnderTest {

    String name();

    /** Calls port crm.quotes-since with the watermark (null: nothing read yet); the port's result. */
    JsonNode quotesSince(String watermark) throws Exception;

    /** Calls port crm.apply-quote-decision with a canonical ApprovalDecision; the port's result. */
    JsonNode applyDecision(String decision) throws Exception;

    /**
     * A salesperson quotes one line at list price listTotal costing cost, with the discount (percent), for the sales
     * team; the quote's number (the requestId).
     */
    String createQuote(String department, String listTotal, String cost, String discountPercent) throws Exception;

    /** The salesperson changes the discount of an open quote (a new revision). */
    void changeDiscount(String quoteNo, String discountPercent) throws Exception;

    /** The salesperson withdraws an open quote. */
    void withdraw(String quoteNo) throws Exception;

    /** The quote as the CRM holds it. */
    Quote quote(String quoteNo) throws Exception;

    /** Runs the action while the CRM cannot be reached. */
    <T> T whileDown(Supplier<T> action) throws Exception;

    /**
     * A quote as the CRM shows it: revision, own status, approval status, the decision applied (its id, or null), the
     * approver and comment, the approved discount and the discount the quote carries now.
     */
    record Quote(int revision, String status, String approvalStatus, String decisionId, String approver, String comment,
                 BigDecimal approvedDiscountPercent, BigDecimal discountPercent) {
    }
}
