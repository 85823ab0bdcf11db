package io.conduit.esb.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.IntakeSignature;
import io.conduit.esb.support.Sandbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The findings of the hostile-input review (issue 11), one test each: who may post, what a refusal looks like, and
 * that a refused request writes nothing. The generated corpus (HostileCorpusIT) covers the variations.
 */
class IntakeSecurityIT extends EsbIntegrationTest {

    private static final String WON = "/api/v1/crm/webhooks/opportunity-won";
    private static final String HR = "/api/v1/hr/events";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();

    @Autowired
    private WebApplicationContext context;

    private MockMvc mvc;

    @BeforeEach
    void mockMvc() {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
    }

    @Test
    void anUnsignedHireIsRefusedAndCreatesNobody() throws Exception {
        String employee = "E-SEC-" + shortId();
        String hire = hire(employee, "evt-" + employee, "System Administrator");
        HttpResponse<String> unsigned = send(HR, hire, null, "application/json");
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(problem(unsigned).path("type").asText()).isEqualTo("urn:conduit:problem:unauthenticated");
        // signed with the CRM's key: still not the HR source
        HttpResponse<String> wrongKey = send(HR, hire, Sandbox.SOURCE_SECRETS.get("crm"), "application/json");
        assertThat(wrongKey.statusCode()).isEqualTo(401);

        // a signed event sent afterwards is processed; the refused one never entered the flow
        String signedEmployee = "E-SEC-" + shortId();
        HttpResponse<String> signed = send(HR, hire(signedEmployee, "evt-" + signedEmployee, "Accountant"), hr(), "application/json");
        assertThat(signed.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM esb.employee_sync_event WHERE employee_id = ?", signedEmployee) == 1);
        assertThat(count("SELECT count(*) FROM esb.employee_sync_event WHERE employee_id = ?", employee)).isZero();
    }

    @Test
    void aSignatureIsCheckedOnTheBodyTimeWindowAndIsSingleUse() throws Exception {
        String body = won("OPP-SEC-" + shortId(), "Acme GmbH");
        long now = Instant.now().getEpochSecond();
        // tampered body
        var headers = IntakeSignature.headers(crm(), now, body.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> tampered = send(WON, body.replace("Acme", "Evil"), headers.getFirst("X-Timestamp"),
                headers.getFirst("X-Signature"), "application/json");
        assertThat(tampered.statusCode()).isEqualTo(401);
        // too old
        var old = IntakeSignature.headers(crm(), now - 3600, body.getBytes(StandardCharsets.UTF_8));
        assertThat(send(WON, body, old.getFirst("X-Timestamp"), old.getFirst("X-Signature"), "application/json")
                .statusCode()).isEqualTo(401);
        // accepted once, refused when replayed
        HttpResponse<String> first = send(WON, body, headers.getFirst("X-Timestamp"), headers.getFirst("X-Signature"),
                "application/json");
        assertThat(first.statusCode()).isEqualTo(202);
        HttpResponse<String> replayed = send(WON, body, headers.getFirst("X-Timestamp"), headers.getFirst("X-Signature"),
                "application/json");
        assertThat(replayed.statusCode()).isEqualTo(409);
        assertThat(problem(replayed).path("type").asText()).isEqualTo("urn:conduit:problem:replayed");
    }

    @Test
    void aRefusedSignedRequestMaySentAgainAsItIs() throws Exception {
        // refused by the schema (400): its signature is released, so resending the same bytes is judged again
        String bad = "{\"eventId\":\"x\"}";
        var headers = IntakeSignature.headers(crm(), bad.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> answer = send(WON, bad, headers.getFirst("X-Timestamp"), headers.getFirst("X-Signature"),
                    "application/json");
            assertThat(answer.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void aLongNameIsAnsweredWithAProblemNeverA200EchoingTheRequest() throws Exception {
        String id = "OPP-SEC-" + shortId();
        String body = won(id, "A".repeat(2_000));
        HttpResponse<String> answer = send(WON, body, crm(), "application/json");
        assertThat(answer.statusCode()).isIn(202, 400);
        assertThat(answer.body()).doesNotContain("AAAAAAAAAA").doesNotContain("sha256=").doesNotContain("X-Signature");
        assertThat(answer.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Signature")
                || h.equalsIgnoreCase("X-Timestamp") || h.equalsIgnoreCase("Authorization")
                || h.equalsIgnoreCase("User-Agent"));
    }

    @Test
    void aNulInAStringIsRefusedNamingTheField() throws Exception {
        String id = "OPP-SEC-" + shortId();
        HttpResponse<String> answer = send(WON, won(id, "Acme\\u0000GmbH"), crm(), "application/json");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(problem(answer).path("violations").get(0).path("field").asText()).isEqualTo("$.data.accountName");
        String employee = "E-SEC-" + shortId();
        HttpResponse<String> hrAnswer = send(HR, hire(employee + "\\u0000", "evt-" + employee, "Clerk"), hr(), "application/json");
        assertThat(hrAnswer.statusCode()).isEqualTo(400);
        assertThat(problem(hrAnswer).path("violations").get(0).path("field").asText()).isEqualTo("$.employeeNo");
    }

    @Test
    void permanentInputErrorsAre4xxNot503() throws Exception {
        // invalid UTF-8
        byte[] latin1 = won("OPP-SEC-" + shortId(), "M\u00fcller").getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> badUtf8 = sendBytes(WON, latin1, crm(), "application/json");
        assertThat(badUtf8.statusCode()).isEqualTo(400);
        assertThat(problem(badUtf8).path("type").asText()).isEqualTo("urn:conduit:problem:invalid-input");
        // empty JSON body
        HttpResponse<String> empty = send(WON, "", crm(), "application/json");
        assertThat(empty.statusCode()).isEqualTo(400);
        // duplicate keys, deep nesting, trailing garbage
        assertThat(send(WON, "{\"eventId\":\"a\",\"eventId\":\"b\"}", crm(), "application/json").statusCode()).isEqualTo(400);
        assertThat(send(WON, "[".repeat(500) + "]".repeat(500), crm(), "application/json").statusCode()).isEqualTo(400);
        assertThat(send(WON, "{} {}", crm(), "application/json").statusCode()).isEqualTo(400);
        // form-encoded and XML: 415 problem+json, not an HTML page
        HttpResponse<String> form = send(WON, "eventId=x&data=y", crm(), "application/x-www-form-urlencoded");
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(form.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        HttpResponse<String> xml = send("/api/v1/partner/orders", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
                null, "application/xml");
        assertThat(xml.statusCode()).isEqualTo(415);
        assertThat(xml.body()).doesNotContain("root:");
    }

    @Test
    void oversizeBodiesAreRefusedOnTheBytesReadChunkedToo() throws Exception {
        byte[] big = new byte[20 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        for (String path : java.util.List.of(WON, "/api/v1/partner/orders")) {
            // no Content-Length: the body is sent chunked
            HttpRequest chunked = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .header("Content-Type", "application/json")
                    .headers(path.equals(WON) ? signatureHeaders(big) : new String[]{"X-Api-Key", "none"})
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                    .build();
            HttpResponse<String> answer;
            try {
                answer = client.send(chunked, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException closed) {
                continue; // the ESB answered 413 and closed the connection while the client was still sending
            }
            assertThat(answer.statusCode()).as(path).isEqualTo(413);
        }
    }

    @Test
    void theHrAnswerIsBuiltByASerializerSoAnEventIdCannotAddFields() throws Exception {
        String employee = "E-SEC-" + shortId();
        HttpResponse<String> answer = send(HR, hire(employee, "x\\\",\\\"admin\\\":true,\\\"y\\\":\\\"", "Clerk"), hr(), "application/json");
        if (answer.statusCode() == 202) {
            assertThat(json.readTree(answer.body()).has("admin")).isFalse();
        } else {
            assertThat(answer.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void springAndTomcatErrorsAreProblemJsonWithoutTheRequest() throws Exception {
        // a header too long for Tomcat
        HttpResponse<String> longHeader = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/ops/parked"))
                .header("X-Long", "z".repeat(20_000)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(longHeader.statusCode()).isEqualTo(400);
        assertThat(longHeader.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(longHeader.body()).doesNotContain("zzzz").doesNotContain("<html");
        // a path nobody serves, logged in
        String unknown = viewer().get().uri("/api/v1/nothing-here/<script>").retrieve().toEntity(String.class).getBody();
        assertThat(unknown).contains("\"status\":404").doesNotContain("<script>").doesNotContain("nothing-here");
    }

    @Test
    void hawtioWorksForAnOperatorSessionAndNotForAViewer() throws Exception {
        String read = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}";
        int operator = mvc.perform(post("/actuator/hawtio/jolokia/").with(user("operator").roles("OPERATOR"))
                .contentType(MediaType.TEXT_PLAIN).content(read)).andReturn().getResponse().getStatus();
        assertThat(operator).isEqualTo(200);
        int viewer = mvc.perform(post("/actuator/hawtio/jolokia/").with(user("viewer").roles("VIEWER"))
                .contentType(MediaType.TEXT_PLAIN).content(read)).andReturn().getResponse().getStatus();
        assertThat(viewer).isEqualTo(403);
    }

    // --- helpers

    private static String crm() {
        return Sandbox.SOURCE_SECRETS.get("crm");
    }

    private static String hr() {
        return Sandbox.SOURCE_SECRETS.get("hr");
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private static String won(String id, String accountName) {
        return """
                {"eventId":"wh-%s","eventType":"opportunity.closed_won","occurredAt":"2026-11-20T09:15:00Z",
                 "data":{"opportunityId":"%s","revision":1,"accountNo":"ACC-204","accountName":"%s","currencyCode":"EUR",
                 "amount":"100.00","closeDate":"2026-11-20","deliveryDate":"2026-12-01",
                 "products":[{"lineNo":1,"sku":"P-100","productName":"Steel bracket","qty":"1","unitPrice":"100.00"}]}}
                """.formatted(id, id, accountName);
    }

    private static String hire(String employee, String eventId, String jobTitle) {
        return """
                {"eventId":"%s","type":"HIRE","employeeNo":"%s","fullName":"Test Person","email":"t.person@example.com",
                 "department":"Finance","jobTitle":"%s","effectiveDate":"2026-12-01","occurredAt":"2026-11-20T09:00:00Z"}
                """.formatted(eventId, employee, jobTitle);
    }

    private String[] signatureHeaders(byte[] body) {
        var headers = IntakeSignature.headers(crm(), body);
        return new String[]{"X-Timestamp", headers.getFirst("X-Timestamp"), "X-Signature", headers.getFirst("X-Signature")};
    }

    private HttpResponse<String> send(String path, String body, String secret, String contentType) throws Exception {
        return sendBytes(path, body.getBytes(StandardCharsets.UTF_8), secret, contentType);
    }

    private HttpResponse<String> sendBytes(String path, byte[] body, String secret, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            IntakeSignature.headers(secret, body).forEach((name, values) -> request.header(name, values.get(0)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String path, String body, String timestamp, String signature, String contentType)
            throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Content-Type", contentType)
                .header("X-Timestamp", timestamp).header("X-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode problem(HttpResponse<String> answer) throws Exception {
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        return json.readTree(answer.body());
    }

    private int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }

    @SuppressWarnings("unused")
    private static InputStream none() {
        return InputStream.nullInputStream();
    }
}
