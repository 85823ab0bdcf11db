package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.springframework.web.client.RestClient;

import java.math.BigDecimal;
import java.time.LocalDate;

/** The sandbox CRM adapter's invoice port, as the running ESB has it loaded, and the sandbox CRM's API. */
final class SandboxCrmInvoices implements CrmInvoicesUnderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CamelContext camel;

    SandboxCrmInvoices(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public String name() {
        return "sandbox";
    }

    @Override
    public JsonNode upsertInvoiceStatus(String invoice) throws Exception {
        return JSON.readTree(camel.createProducerTemplate().requestBody("direct:crm.upsert-invoice-status", invoice, String.class));
    }

    @Override
    public Shown order(String crmOrderId, LocalDate on) {
        return shown(crm().get().uri("/sandbox/crm/api/opportunities/{o}/invoices?on={d}", crmOrderId, on).retrieve()
                .body(JsonNode.class));
    }

    @Override
    public Shown account(String crmAccount, LocalDate on) {
        return shown(crm().get().uri("/sandbox/crm/api/accounts/{a}/invoices?on={d}", crmAccount, on).retrieve()
                .body(JsonNode.class));
    }

    private static Shown shown(JsonNode invoices) {
        BigDecimal open = BigDecimal.ZERO;
        BigDecimal overdue = BigDecimal.ZERO;
        for (JsonNode t : invoices.path("totals")) {
            if ("EUR".equals(t.path("currency").asText())) {
                open = t.path("open").decimalValue();
                overdue = t.path("overdue").decimalValue();
            }
        }
        return new Shown(invoices.path("payment_status").asText(), open, overdue, invoices.path("invoices").size());
    }

    private RestClient crm() {
        return RestClient.create(camel.resolvePropertyPlaceholders("http://localhost:{{server.port}}"));
    }
}
