package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** An ERP adapter under the contract tests of port erp.order-status: the port, and shipping an order in the ERP. */
interface ErpOrderStatusUnderTest extends ErpUnderTest {

    /** Calls port erp.order-status with an order id; the port's answer. */
    default JsonNode orderStatus(String orderId) throws Exception {
        String answer = camel().createProducerTemplate().requestBody("direct:erp.order-status", orderId, String.class);
        return new ObjectMapper().readTree(answer);
    }

    /** What people in the ERP do until the order's goods have left the warehouse (released, shipped). */
    void ship(String orderId) throws Exception;
}
