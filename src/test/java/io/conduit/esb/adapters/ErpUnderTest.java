package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;

import java.util.List;
import java.util.function.Supplier;

/** One ERP adapter under the contract tests: its port, and what the test needs to see and do in its ERP. */
interface ErpUnderTest extends AutoCloseable {

    String name();

    /** The Camel context whose {@code direct:erp.upsert-sales-order} is this adapter's. */
    CamelContext camel();

    /** Calls port erp.upsert-sales-order with a canonical order; the port's result. */
    default JsonNode upsert(String order) throws Exception {
        String result = camel().createProducerTemplate().requestBody("direct:erp.upsert-sales-order", order, String.class);
        return new ObjectMapper().readTree(result);
    }

    /** How many ERP orders carry this order id as their reference. */
    int ordersWithReference(String orderId) throws Exception;

    /** The quantities of the ERP order's lines, as plain decimals without trailing zeros ("10", "12.5"). */
    List<String> quantities(String orderId) throws Exception;

    /** What a person in the ERP does to take the order on (release, confirm): it may no longer be replaced. */
    void release(String orderId) throws Exception;

    /** Runs the action while the ERP cannot be reached. */
    <T> T whileDown(Supplier<T> action) throws Exception;

    @Override
    void close();
}
