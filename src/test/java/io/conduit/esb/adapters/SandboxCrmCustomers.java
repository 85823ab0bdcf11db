package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** The sandbox CRM adapter's customer ports, as the running ESB has them loaded, and the sandbox CRM's account API. */
final class SandboxCrmCustomers implements CrmCustomersUnderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CamelContext camel;

    SandboxCrmCustomers(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public String name() {
        return "sandbox";
    }

    @Override
    public JsonNode customersSince(String watermark) throws Exception {
        String request = JSON.writeValueAsString(Collections.singletonMap("watermark", watermark));
        return JSON.readTree(camel.createProducerTemplate().requestBody("direct:crm.customers-since", request, String.class));
    }

    @Override
    public JsonNode applyTerms(String customer) throws Exception {
        return JSON.readTree(camel.createProducerTemplate().requestBody("direct:crm.apply-customer-terms", customer, String.class));
    }

    @Override
    public String createAccount(String legalName, String taxId, String city, String email) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("legalName", legalName);
        body.put("taxId", taxId);
        body.put("addresses", List.of(Map.of("type", "BILLING", "street", "Industriestr. 5", "postalCode", "70565",
                "city", city, "country", "DE")));
        body.put("contacts", List.of(Map.of("name", "Eva Klein", "role", "Purchasing", "email", email)));
        return crm().post().uri("/sandbox/crm/api/accounts").body(body).retrieve().body(JsonNode.class)
                .path("account_no").asText();
    }

    @Override
    public void rename(String accountNo, String legalName) {
        crm().patch().uri("/sandbox/crm/api/accounts/{a}", accountNo).body(Map.of("legalName", legalName))
                .retrieve().toBodilessEntity();
    }

    @Override
    public void deactivate(String accountNo) {
        crm().post().uri("/sandbox/crm/api/accounts/{a}/deactivate", accountNo).retrieve().toBodilessEntity();
    }

    @Override
    public void merge(String keptAccountNo, String duplicateAccountNo) {
        crm().post().uri("/sandbox/crm/api/accounts/{a}/merge", keptAccountNo).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("from", duplicateAccountNo)).retrieve().toBodilessEntity();
    }

    @Override
    public boolean refusesCreditLimitEdit(String accountNo) {
        AtomicBoolean refused = new AtomicBoolean();
        crm().patch().uri("/sandbox/crm/api/accounts/{a}", accountNo).body(Map.of("creditLimit", 1_000_000))
                .retrieve().onStatus(HttpStatusCode::is4xxClientError, (req, res) -> refused.set(
                        new String(res.getBody().readAllBytes()).contains("creditLimit")))
                .toBodilessEntity();
        return refused.get();
    }

    @Override
    public Account account(String accountNo) {
        JsonNode a = crm().get().uri("/sandbox/crm/api/accounts/{a}", accountNo).retrieve().body(JsonNode.class);
        return new Account(a.path("legal_name").asText(), text(a, "tax_id"), a.path("active").asBoolean(),
                a.path("revision").asInt(), text(a, "erp_customer_no"),
                a.path("credit_limit").isNull() ? null : a.path("credit_limit").decimalValue(), text(a, "payment_terms"),
                a.path("blocked").isNull() ? null : a.path("blocked").asBoolean(),
                a.path("erp_terms_version").isNull() ? null : a.path("erp_terms_version").asLong());
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
