package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.function.Supplier;

/**
 * One ERP adapter under the contract tests of port {@code erp.changes-since}: the port, and what a person or a
 * process in the ERP does that the port must report.
 */
interface ErpChangesUnderTest {

    String name();

    /** Calls port erp.changes-since with the watermark (null: nothing read yet); the port's result. */
    JsonNode changesSince(String watermark) throws Exception;

    /**
     * Stock of a new item arrives in the warehouse the adapter reports (a goods receipt, an inventory, a move done);
     * the key of the record the port must report ({@code item@warehouse}).
     */
    String receiveStock(String itemCode, String quantity) throws Exception;

    /** An order (id {@code orderId}) comes into the ERP and its shipment is done: the goods left the warehouse. */
    void shipOrder(String orderId) throws Exception;

    /** Runs the action while the ERP cannot be reached. */
    <T> T whileDown(Supplier<T> action) throws Exception;
}
