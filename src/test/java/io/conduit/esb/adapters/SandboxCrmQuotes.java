package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.springframework.web.client.RestClient;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The sandbox CRM adapter's quote ports, as the running ESB has them loaded, and the sandbox CRM's quote API. */
final class SandboxCrmQuotes implements CrmQuotesUnderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CamelContext camel;

    SandboxCrmQuotes(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public String name() {
        return "sandbox";
    }

    @Override
    public JsonNode quotesSince(String watermark) throws Exception {
        String request = JSON.writeValueAsString(Collections.singletonMap("watermark", watermark));
        return JSON.readTree(camel.createProducerTemplate().requestBody("direct:crm.quotes-since", request, String.class));
    }

    @Override
    public JsonNode applyDecision(String decision) throws Exception {
        return JSON.readTree(camel.createProducerTemplate().requestBody("direct:crm.apply-quote-decision", decision, String.class));
    }

    @Override
    public String createQuote(String department, String listTotal, String cost, String discountPercent) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sku", "HX-200");
        line.put("description", "Hydraulic press HX-200");
        line.put("quantity", BigDecimal.ONE);
        line.put("unitPrice", new BigDecimal(listTotal));
        line.put("unitCost", new BigDecimal(cost));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountNo", "ACC-1001");
        body.put("accountName", "M\u00fcller Maschinenbau GmbH");
        body.put("salesperson", "contract.test");
        body.put("department", department);
        body.put("lines", List.of(line));
        body.put("discountPercent", new BigDecimal(discountPercent));
        return crm().post().uri("/sandbox/crm/api/quotes").body(body).retrieve().body(JsonNode.class)
                .path("quote_no").asText();
    }

    @Override
    public void changeDiscount(String quoteNo, String discountPercent) {
        crm().patch().uri("/sandbox/crm/api/quotes/{q}", quoteNo)
                .body(Map.of("discountPercent", new BigDecimal(discountPercent))).retrieve().toBodilessEntity();
    }

    @Override
    public void withdraw(String quoteNo) {
        crm().post().uri("/sandbox/crm/api/quotes/{q}/withdraw", quoteNo).retrieve().toBodilessEntity();
    }

    @Override
    public Quote quote(String quoteNo) {
        JsonNode q = crm().get().uri("/sandbox/crm/api/quotes/{q}", quoteNo).retrieve().body(JsonNode.class);
        return new Quote(q.path("revision").asInt(), q.path("status").asText(), q.path("approval_status").asText(),
                text(q, "approval_decision_id"), text(q, "approver"), text(q, "approval_comment"),
                q.path("approved_discount_pct").isNull() ? null : q.path("approved_discount_pct").decimalValue(),
                q.path("discount_pct").decimalValue());
    }

    @Override
    public <T> T whileDown(Supplier<T> action) {
        crm().put().uri("/sandbox/crm/admin/faults").body(Map.of("mode", "down")).retrieve().toBodilessEntity();
        try {
            return action.get();
        } finally {
            crm().put().uri("/sandbox/crm/admin/faults").body(Map.of("mode", "normal")).retrieve().toBodilessEntity();
        }
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isNull() || node.path(field).isMissingNode() ? null : node.path(field).asText();
    }

    private RestClient crm() {
        return RestClient.create(camel.resolvePropertyPlaceholders("http://localhost:{{server.port}}"));
    }
}
