package io.conduit.esb.support;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import java.util.List;
import java.util.Map;

/** Test-side client of the sandbox CRM and the fault switches of the sandbox systems. */
public class Sandbox {

    /** The embedded defaults of esb.intake.sources.<name>.keys (config/intake.yaml). */
    public static final Map<String, String> SOURCE_SECRETS = Map.of(
            "crm", "dev-crm-webhook-secret", "hr", "dev-hr-event-secret");

    private final RestClient http;
    private final String baseUrl;

    public Sandbox(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = RestClient.builder().baseUrl(baseUrl)
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { })
                .build();
    }

    public RestClient http() {
        return http;
    }

    /**
     * A client that signs every request as the given intake source does (HMAC-SHA256 of "timestamp.body", see
     * SourceAuthenticationFilter), with a fresh timestamp per request and no exception on an error status.
     */
    public RestClient signedAs(String source) {
        String secret = SOURCE_SECRETS.get(source);
        return RestClient.builder().baseUrl(baseUrl)
                .requestInterceptor((request, body, execution) -> {
                    request.getHeaders().putAll(IntakeSignature.headers(secret, body));
                    return execution.execute(request, body);
                })
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { })
                .build();
    }

    /**
     * Creates an opportunity in the sandbox CRM with the given id and two product lines, to be delivered in a month (a
     * real ERP refuses a sale shipped before the day it was won: Tryton's shipping date may not precede its sale date).
     */
    public JsonNode createOpportunity(String id) {
        return createOpportunity(id, "ACC-204", "Acme GmbH");
    }

    /** As {@link #createOpportunity(String)}, for the given CRM account. */
    public JsonNode createOpportunity(String id, String accountNo, String accountName) {
        Map<String, Object> body = Map.of(
                "opportunityId", id,
                "accountNo", accountNo,
                "accountName", accountName,
                "currencyCode", "EUR",
                "amount", "1234.50",
                "deliveryDate", deliveryDate(),
                "products", List.of(
                        Map.of("lineNo", 1, "sku", "P-100", "productName", "Steel bracket", "qty", "10", "unitPrice", "100.00"),
                        Map.of("lineNo", 2, "sku", "P-200", "productName", "Bolt set", "qty", "5", "unitPrice", "46.90")));
        return http.post().uri("/sandbox/crm/api/opportunities").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().body(JsonNode.class);
    }

    /**
     * Opens a support case in the sandbox CRM (which sends its case-created webhook to the ESB) for customer ACC-204,
     * by e-mail, with the given category code (e.g. DMG damaged goods, LATE late delivery) and priority; the case as
     * the CRM answered it. Fails unless the CRM created it.
     */
    public JsonNode openCase(String caseNo, String categoryCode, String priority) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("caseNumber", caseNo);
        body.put("accountNo", "ACC-204");
        body.put("accountName", "Acme GmbH");
        body.put("accountTier", "Gold");
        body.put("categoryCode", categoryCode);
        body.put("priority", priority);
        body.put("origin", "Email");
        body.put("subject", "Complaint " + caseNo);
        body.put("description", "Two of ten pumps arrived with cracked housings.");
        body.put("productSku", "P-100");
        body.put("productName", "Hydraulic pump HP-10");
        var response = http.post().uri("/sandbox/crm/api/cases").contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().toEntity(JsonNode.class);
        if (response.getStatusCode().value() != 201) {
            throw new IllegalStateException("the sandbox CRM did not open case " + caseNo + ": "
                    + response.getStatusCode() + " " + response.getBody());
        }
        return response.getBody();
    }

    /** A support case as the sandbox CRM shows it. */
    public JsonNode crmCase(String caseNo) {
        return http.get().uri("/sandbox/crm/api/cases/{id}", caseNo).retrieve().body(JsonNode.class);
    }

    public JsonNode win(String id) {
        return http.post().uri("/sandbox/crm/api/opportunities/{id}/win", id).retrieve().body(JsonNode.class);
    }

    public JsonNode opportunity(String id) {
        return http.get().uri("/sandbox/crm/api/opportunities/{id}", id).retrieve().body(JsonNode.class);
    }

    public JsonNode erpStatusHistory(String id) {
        return http.get().uri("/sandbox/crm/api/opportunities/{id}/erp-status-history", id).retrieve().body(JsonNode.class);
    }

    public void resendWebhook(String id) {
        http.post().uri("/sandbox/crm/api/opportunities/{id}/webhook/resend", id).retrieve().toBodilessEntity();
    }

    public JsonNode replaceOpportunity(String id, Map<String, Object> body) {
        return http.put().uri("/sandbox/crm/api/opportunities/{id}", id).contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().body(JsonNode.class);
    }

    /**
     * HR records an event ({@code HIRE}, {@code CHANGE}, {@code LEAVE}) in the sandbox OA, which puts it on its HR
     * queue for the ESB: an employee of Sales (so ERP, OA and CRM targets), manager E-1, effective 2026-12-01. Returns
     * the event's id; fails unless the OA recorded it.
     */
    public String hrEvent(String type, String employeeNo, String fullName, String jobTitle) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("type", type);
        body.put("employeeNo", employeeNo);
        body.put("fullName", fullName);
        body.put("email", fullName.toLowerCase(java.util.Locale.ROOT).replace(' ', '.') + "@example.com");
        body.put("department", "Sales");
        body.put("jobTitle", jobTitle);
        body.put("managerNo", "E-1");
        body.put("effectiveDate", "2026-12-01");
        var created = http.post().uri("/sandbox/oa/api/hr-events").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(JsonNode.class);
        if (created.getStatusCode().value() != 201) {
            throw new IllegalStateException("the sandbox OA did not record the HR event: " + created.getStatusCode());
        }
        return created.getBody().path("eventId").asText();
    }

    /** The sandbox CRM's users of an employee (by employee number). */
    public JsonNode crmUsers(String employeeNo) {
        return http.get().uri("/sandbox/crm/api/users?employeeNumber={no}", employeeNo).retrieve().body(JsonNode.class);
    }

    public void setFault(String system, String mode, int latencyMs, double errorRate) {
        http.put().uri("/sandbox/{system}/admin/faults", system).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("mode", mode, "latencyMs", latencyMs, "errorRate", errorRate))
                .retrieve().toBodilessEntity();
    }

    /** A delivery date a month from today: after any close date a won opportunity gets (today). */
    public static String deliveryDate() {
        return java.time.LocalDate.now().plusMonths(1).toString();
    }
}
