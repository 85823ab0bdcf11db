package io.conduit.esb.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.EsbIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.WebApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * Role checks on every admin endpoint and page, table-driven: anonymous is refused (401 problem+json on the API,
 * a redirect to /login on console pages), a VIEWER may read but not act (403), an OPERATOR may do both. Some
 * endpoints belong to other parts of the console and may not exist in every build: "allowed" means "neither 401
 * nor 403", refusals are exact. Console actions are posted with a CSRF token through MockMvc on the running
 * application context (the same filter chain), since a browser form always carries one.
 */
class SecurityIT extends EsbIntegrationTest {

    /** No parked message has this id or business key: operator calls that get through change nothing. */
    private static final String ID = UUID.randomUUID().toString();
    private static final String NO_KEY = "SEC-NONE-" + ID;
    private static final String MATCHES_NOTHING = "{\"ids\":[\"" + ID + "\"],\"businessKey\":\"" + NO_KEY
            + "\",\"dryRun\":true,\"reason\":\"security test\",\"filter\":{\"ids\":[\"" + ID
            + "\"],\"businessKey\":\"" + NO_KEY + "\"}}";

    /** Who may call an endpoint: VIEWER = viewer and operator, OPERATOR = operator only. */
    enum Needs { VIEWER, OPERATOR }

    record Call(HttpMethod method, String path, Needs needs) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final List<Call> API = List.of(
            new Call(HttpMethod.GET, "/api/v1/ops/journal", Needs.VIEWER),
            new Call(HttpMethod.GET, "/api/v1/ops/journal/journey?key=OPP-1", Needs.VIEWER),
            new Call(HttpMethod.GET, "/api/v1/ops/parked", Needs.VIEWER),
            new Call(HttpMethod.GET, "/api/v1/ops/parked/" + ID, Needs.VIEWER),
            new Call(HttpMethod.POST, "/api/v1/ops/parked/" + ID + "/replay", Needs.OPERATOR),
            new Call(HttpMethod.POST, "/api/v1/ops/parked/replay", Needs.OPERATOR),
            new Call(HttpMethod.POST, "/api/v1/ops/parked/discard", Needs.OPERATOR),
            new Call(HttpMethod.GET, "/api/v1/ops/replays", Needs.VIEWER),
            new Call(HttpMethod.GET, "/api/v1/ops/replays/" + ID, Needs.VIEWER),
            new Call(HttpMethod.GET, "/api/v1/ops/overview", Needs.VIEWER),
            new Call(HttpMethod.GET, "/api/v1/ops/customer-master", Needs.VIEWER),
            // (its POST, which starts a run, is checked by CustomerReconciliationIT: viewer 403, operator 202)
            new Call(HttpMethod.GET, "/api/v1/ops/customer-master/reconciliation", Needs.VIEWER),
            new Call(HttpMethod.GET, "/api/v1/systems", Needs.VIEWER),
            new Call(HttpMethod.GET, "/api/v1/systems/crm", Needs.VIEWER),
            new Call(HttpMethod.GET, "/api/v1/onboarding/E-SEC-1", Needs.VIEWER),
            new Call(HttpMethod.GET, "/actuator/prometheus", Needs.VIEWER),
            new Call(HttpMethod.GET, "/actuator/metrics", Needs.VIEWER),
            new Call(HttpMethod.GET, "/actuator/camelroutes", Needs.VIEWER),
            new Call(HttpMethod.GET, "/actuator/health/systems", Needs.VIEWER),
            new Call(HttpMethod.GET, "/actuator/health/flows", Needs.VIEWER));

    private static final List<Call> CONSOLE_PAGES = List.of(
            new Call(HttpMethod.GET, "/console", Needs.VIEWER),
            new Call(HttpMethod.GET, "/console/parked", Needs.VIEWER),
            new Call(HttpMethod.GET, "/console/journal", Needs.VIEWER),
            new Call(HttpMethod.GET, "/console/systems", Needs.VIEWER),
            new Call(HttpMethod.GET, "/console/systems/crm", Needs.VIEWER),
            new Call(HttpMethod.GET, "/hawtio/", Needs.OPERATOR),
            new Call(HttpMethod.GET, "/actuator/hawtio/", Needs.OPERATOR),
            new Call(HttpMethod.GET, "/actuator/jolokia/read/java.lang:type=Memory", Needs.OPERATOR));

    private static final List<Call> CONSOLE_ACTIONS = List.of(
            new Call(HttpMethod.POST, "/console/parked/replay", Needs.OPERATOR),
            new Call(HttpMethod.POST, "/console/parked/discard", Needs.OPERATOR),
            new Call(HttpMethod.POST, "/console/parked/" + ID + "/replay", Needs.OPERATOR));

    /** The JDK client does not follow redirects, so a redirect to the login page is seen as such. */
    private final HttpClient client = HttpClient.newHttpClient();

    @Autowired
    private WebApplicationContext context;

    private MockMvc mvc;

    @BeforeEach
    void mockMvc() {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
    }

    @Test
    void adminApiRefusesAnonymousWith401ProblemJson() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Call call : API) {
            HttpResponse<String> answer = send(call, null, null);
            if (answer.statusCode() != 401
                    || !answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                    || !answer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic")) {
                wrong.add(call + " -> " + answer.statusCode() + " " + answer.headers().map());
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void viewerReadsButMayNotAct() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Call call : API) {
            int status = send(call, "viewer", "viewer").statusCode();
            if (call.needs() == Needs.VIEWER ? status == 401 || status == 403 : status != 403) {
                wrong.add(call + " -> " + status);
            }
        }
        assertThat(wrong).isEmpty();
        HttpResponse<String> refused = send(new Call(HttpMethod.POST, "/api/v1/ops/parked/replay", Needs.OPERATOR),
                "viewer", "viewer");
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("\"status\":403");
    }

    @Test
    void operatorMayReadAndAct() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Call call : API) {
            int status = send(call, "operator", "operator").statusCode();
            if (status == 401 || status == 403) {
                wrong.add(call + " -> " + status);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        assertThat(send(API.get(0), "operator", "not-the-password").statusCode()).isEqualTo(401);
    }

    @Test
    void consolePagesSendAnonymousToTheLoginPageAndHawtioIsForOperatorsOnly() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Call call : CONSOLE_PAGES) {
            HttpResponse<String> anonymous = send(call, null, null);
            if (anonymous.statusCode() != 302
                    || !anonymous.headers().firstValue("Location").orElse("").endsWith("/login")) {
                wrong.add("anonymous " + call + " -> " + anonymous.statusCode() + " " + anonymous.headers().map());
            }
            int viewer = send(call, "viewer", "viewer").statusCode();
            if (call.needs() == Needs.VIEWER ? viewer == 401 || viewer == 403 : viewer != 403) {
                wrong.add("viewer " + call + " -> " + viewer);
            }
            int operator = send(call, "operator", "operator").statusCode();
            if (operator == 401 || operator == 403) {
                wrong.add("operator " + call + " -> " + operator);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void hawtioOpensForAnOperator() {
        ResponseEntity<String> page = operator().get().uri("/actuator/hawtio/").retrieve().toEntity(String.class);
        assertThat(page.getStatusCode().value()).isEqualTo(200);
        assertThat(page.getBody()).contains("Hawtio");
        // the short address leads there
        ResponseEntity<String> shortcut = operator().get().uri("/hawtio/").retrieve().toEntity(String.class);
        assertThat(shortcut.getStatusCode().value()).isEqualTo(200);
        assertThat(shortcut.getBody()).contains("Hawtio");
    }

    @Test
    void consoleActionsNeedAnOperatorAndACsrfToken() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Call call : CONSOLE_ACTIONS) {
            MvcResult anonymous = mvc.perform(form(call).with(csrf())).andReturn();
            if (anonymous.getResponse().getStatus() != 302
                    || !String.valueOf(anonymous.getResponse().getRedirectedUrl()).endsWith("/login")) {
                wrong.add("anonymous " + call + " -> " + anonymous.getResponse().getStatus());
            }
            int viewer = mvc.perform(form(call).with(csrf()).with(httpBasic("viewer", "viewer")))
                    .andReturn().getResponse().getStatus();
            if (viewer != 403) {
                wrong.add("viewer " + call + " -> " + viewer);
            }
            int operator = mvc.perform(form(call).with(csrf()).with(httpBasic("operator", "operator")))
                    .andReturn().getResponse().getStatus();
            if (operator == 401 || operator == 403) {
                wrong.add("operator " + call + " -> " + operator);
            }
            int withoutToken = mvc.perform(form(call).with(httpBasic("operator", "operator")))
                    .andReturn().getResponse().getStatus();
            if (withoutToken != 403) {
                wrong.add("operator without CSRF token " + call + " -> " + withoutToken);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void healthDetailsOnlyForViewers() {
        RestClient anonymous = RestClient.builder().baseUrl(baseUrl())
                .defaultStatusHandler(s -> true, (req, res) -> { }).build();
        JsonNode open = anonymous.get().uri("/actuator/health").retrieve().body(JsonNode.class);
        assertThat(open.path("status").asText()).isNotEmpty();
        assertThat(open.has("components")).isFalse();
        JsonNode detailed = viewer().get().uri("/actuator/health").retrieve().body(JsonNode.class);
        assertThat(detailed.path("components").has("systems")).isTrue();
        assertThat(detailed.path("components").has("flows")).isTrue();
    }

    @Test
    void onlyProbesSandboxAndDocsAreOpenAndEveryIntakeNeedsItsCredentials() throws Exception {
        // CRM webhook and HR API: refused before the payload is looked at, with the source's own challenge
        for (String path : List.of("/api/v1/crm/webhooks/opportunity-won", "/api/v1/crm/webhooks/case-created",
                "/api/v1/hr/events")) {
            HttpResponse<String> unsigned = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unsigned.statusCode()).as(path).isEqualTo(401);
            assertThat(unsigned.headers().firstValue("WWW-Authenticate").orElse("")).as(path).startsWith("HMAC-SHA256");
            assertThat(unsigned.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        // partner API: its own HMAC check answers 401 with its own problem, not Spring Security's Basic challenge
        HttpResponse<String> partner = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/partner/orders"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(partner.headers().firstValue("WWW-Authenticate").orElse("")).doesNotStartWith("Basic");
        assertThat(partner.statusCode()).isEqualTo(401);
        // partner admin: its own bearer filter still applies
        HttpResponse<String> partnerAdmin = client.send(HttpRequest.newBuilder(URI.create(baseUrl()
                + "/api/v1/partner/admin/partners")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(partnerAdmin.statusCode()).isEqualTo(401);
        assertThat(partnerAdmin.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        // the order status query tells about customers' orders: a login (or a source that claims it)
        assertThat(get("/api/v1/orders/OPP-SEC-" + UUID.randomUUID() + "/status")).isEqualTo(401);
        assertThat(viewer().get().uri("/api/v1/orders/OPP-SEC-" + UUID.randomUUID() + "/status").retrieve()
                .toBodilessEntity().getStatusCode().value()).isEqualTo(404);
        // probes, sandbox, API docs stay open
        assertThat(get("/actuator/health/liveness")).isEqualTo(200);
        assertThat(get("/actuator/health/readiness")).isEqualTo(200);
        assertThat(get("/sandbox/crm/api/ping")).isEqualTo(200);
        assertThat(get("/openapi/partner-api.yaml")).isEqualTo(200);
        // a path no route serves: a machine client gets problem+json, not the console's login page
        HttpResponse<String> unknownPost = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/hooks/new-route"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknownPost.statusCode()).isEqualTo(401);
        assertThat(unknownPost.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        // the sandbox systems take writes without a session or CSRF token
        assertThat(client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/sandbox/crm/admin/faults"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"mode\":\"normal\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isLessThan(300);
    }

    private int get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<String> send(Call call, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + call.path()));
        if (user != null) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (call.method() == HttpMethod.GET) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json")
                    .method(call.method().name(), HttpRequest.BodyPublishers.ofString(MATCHES_NOTHING));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static MockHttpServletRequestBuilder form(Call call) {
        return request(call.method(), call.path()).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("ids", ID).param("businessKey", NO_KEY).param("reason", "security test")
                .param("dryRun", "true");
    }
}
