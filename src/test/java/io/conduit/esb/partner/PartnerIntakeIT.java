package io.conduit.esb.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.KafkaProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The partner API end to end on the real stack: signed requests, every refusal (each answer checked against the
 * served OpenAPI document by {@link PartnerApi}), idempotent retries, and a partner's order reaching the ERP and a
 * partner's complaint the OA, as its status resource shows.
 */
class PartnerIntakeIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final String ORDERS = "/api/v1/partner/orders";

    @Value("${camel.component.kafka.brokers}")
    String brokers;
    @Value("${esb.topics.names.orders}")
    String ordersTopic;

    @Autowired
    PartnerMessages partnerMessages;

    PartnerApi api;

    @BeforeEach
    void client() {
        api = new PartnerApi(baseUrl());
    }

    @Test
    void orderIsAcceptedAfterKafkaAndItsStatusShowsTheErpOrderNumber() {
        String partner = partnerId();
        PartnerApi.Key key = api.register(partner, List.of("order", "complaint"), 600);
        String orderNo = "PO-" + suffix();

        PartnerApi.Answer answer = api.signed("POST", ORDERS, key, order(orderNo, 1), Map.of("Idempotency-Key", "k-" + orderNo));

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        String trackingId = answer.json().path("trackingId").asText();
        assertThat(answer.header("Location")).isEqualTo("/api/v1/partner/messages/" + trackingId);
        String orderId = partner + ":" + orderNo;
        assertThat(answer.json().path("businessKey").asText()).isEqualTo(orderId);
        // 202 means it is in Kafka already, as a canonical order from this partner
        List<KafkaProbe.Event> published = new KafkaProbe(brokers).recordsWithKey(ordersTopic, orderId);
        assertThat(published).hasSize(1);
        assertThat(published.get(0).headers()).containsEntry("ce_source", partner);

        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            JsonNode status = api.signed("GET", answer.header("Location"), key, null, Map.of()).json();
            assertThat(status.path("status").asText()).isEqualTo("DELIVERED");
            assertThat(status.findValuesAsText("step")).containsExactly("RECEIVED", "VALIDATED", "PUBLISHED", "DELIVERED");
            assertThat(status.path("journey").get(3).path("system").asText()).isEqualTo("ERP");
            assertThat(status.path("journey").get(3).path("reference").asText()).startsWith("SO");
        });
        JsonNode erp = sandbox.http().get().uri("/sandbox/erp/sales-orders?extRef={ref}", orderId).retrieve().body(JsonNode.class);
        assertThat(erp.toString()).contains(orderId);
        // the CRM is not asked about a partner's order: nothing parked for it
        assertThat(jdbc.queryForObject("select count(*) from esb.parked_message where business_key = ?", Integer.class, orderId)).isZero();
    }

    /**
     * The ERP's acknowledgement can reach the partner tracking before the intake has recorded the partner's message
     * (the intake records it after Kafka stored the order): it must be tried again, not dropped, or the message stays
     * PUBLISHED for good (PartnerApiGeneratedClientIT saw that in CI).
     */
    @Test
    void anAcknowledgementThatOvertakesTheIntakesRecordIsDeliveredAgainNotDropped() {
        String partner = partnerId();
        PartnerApi.Key key = api.register(partner, List.of("order"), 600);
        String orderNo = "PO-" + suffix();
        String orderId = partner + ":" + orderNo;
        String ack = "{\"orderId\":\"" + orderId + "\",\"source\":\"" + partner + "\",\"erpOrderNumber\":\"SO9\","
                + "\"status\":\"NEW\",\"outcome\":\"CREATED\"}";

        assertThatThrownBy(() -> partnerMessages.delivered("order-ack", ack, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(orderId);
        // an acknowledgement of an order from a system, not a partner, has nothing to wait for
        assertThatCode(() -> partnerMessages.delivered("order-ack", ack.replace("\"source\":\"" + partner, "\"source\":\"crm"),
                null)).doesNotThrowAnyException();

        PartnerApi.Answer answer = api.signed("POST", ORDERS, key, order(orderNo, 1), Map.of("Idempotency-Key", "k-" + orderNo));
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        // once the message is recorded, the same acknowledgement again is taken (a duplicate of the flow's own is ignored)
        assertThatCode(() -> partnerMessages.delivered("order-ack", ack, null)).doesNotThrowAnyException();
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(
                api.signed("GET", answer.header("Location"), key, null, Map.of()).json().path("status").asText())
                .isEqualTo("DELIVERED"));
    }

    @Test
    void retryWithTheSameIdempotencyKeyGetsTheFirstAnswerAndCreatesNothing() {
        String partner = partnerId();
        PartnerApi.Key key = api.register(partner, List.of("order"), 600);
        String orderNo = "PO-" + suffix();
        String body = order(orderNo, 1);
        Map<String, String> idem = Map.of("Idempotency-Key", "retry-" + orderNo);

        PartnerApi.Answer first = api.signed("POST", ORDERS, key, body, idem);
        PartnerApi.Answer again = api.signed("POST", ORDERS, key, body, idem);

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(jdbc.queryForObject("select count(*) from esb.partner_message where partner_id = ?", Integer.class, partner)).isOne();
        assertThat(new KafkaProbe(brokers).recordsWithKey(ordersTopic, partner + ":" + orderNo)).hasSize(1);

        PartnerApi.Answer otherBody = api.signed("POST", ORDERS, key, order(orderNo, 2), idem);
        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherBody.json().path("type").asText()).isEqualTo("urn:conduit:problem:idempotency-key-reused");
        assertThat(jdbc.queryForObject("select count(*) from esb.partner_message where partner_id = ?", Integer.class, partner)).isOne();
    }

    @Test
    void unsignedBadlySignedExpiredOrUnknownRequestsAre401() {
        PartnerApi.Key key = api.register(partnerId(), List.of("order"), 600);
        String body = order("PO-" + suffix(), 1);
        long now = Instant.now().getEpochSecond();

        PartnerApi.Answer unsigned = api.checked("POST", ORDERS, Map.of("Content-Type", "application/json", "X-Api-Key", key.keyId()), body, false);
        PartnerApi.Answer wrongSecret = api.signed("POST", ORDERS, new PartnerApi.Key(key.keyId(), "psk_not-the-secret"), body, Map.of());
        PartnerApi.Answer tampered = api.checked("POST", ORDERS, Map.of("Content-Type", "application/json", "X-Api-Key", key.keyId(),
                "X-Timestamp", String.valueOf(now), "X-Signature", PartnerApi.signature(key.secret(), now, body)), body.replace("\"quantity\":10", "\"quantity\":99"), true);
        PartnerApi.Answer expired = api.signedAt("POST", ORDERS, key, body, Map.of(), now - 600);
        PartnerApi.Answer unknown = api.signed("POST", ORDERS, new PartnerApi.Key("pk_nobody_000000000000", key.secret()), body, Map.of());

        for (PartnerApi.Answer answer : List.of(unsigned, wrongSecret, tampered, expired, unknown)) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(401);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
            assertThat(answer.json().path("type").asText()).isEqualTo("urn:conduit:problem:unauthenticated");
        }
        assertThat(expired.json().path("detail").asText()).contains("window");
        assertThat(tampered.json().path("detail").asText()).contains("Signature");
    }

    @Test
    void rotatedKeysOverlapAndARevokedKeyIsRefusedAtOnce() {
        String partner = partnerId();
        PartnerApi.Key first = api.register(partner, List.of("order"), 600);
        PartnerApi.Answer rotated = api.admin("POST", "/api/v1/partner/admin/partners/" + partner + "/keys", null);
        assertThat(rotated.status()).isEqualTo(201);
        PartnerApi.Key second = new PartnerApi.Key(rotated.json().path("keyId").asText(), rotated.json().path("secret").asText());

        assertThat(api.signed("POST", ORDERS, first, order("PO-" + suffix(), 1), Map.of()).status()).isEqualTo(202);
        assertThat(api.signed("POST", ORDERS, second, order("PO-" + suffix(), 1), Map.of()).status()).isEqualTo(202);
        JsonNode keys = api.admin("GET", "/api/v1/partner/admin/partners/" + partner, null).json().path("keys");
        assertThat(keys.findValuesAsText("keyId")).containsExactlyInAnyOrder(first.keyId(), second.keyId());

        assertThat(api.admin("DELETE", "/api/v1/partner/admin/partners/" + partner + "/keys/" + first.keyId(), null).status()).isEqualTo(204);

        PartnerApi.Answer revoked = api.signed("POST", ORDERS, first, order("PO-" + suffix(), 1), Map.of());
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().path("detail").asText()).contains("revoked");
        assertThat(api.signed("POST", ORDERS, second, order("PO-" + suffix(), 1), Map.of()).status()).isEqualTo(202);
    }

    @Test
    void aPartnerSeesOnlyItsOwnMessages() {
        PartnerApi.Key owner = api.register(partnerId(), List.of("order"), 600);
        PartnerApi.Key other = api.register(partnerId(), List.of("order"), 600);
        String location = api.signed("POST", ORDERS, owner, order("PO-" + suffix(), 1), Map.of()).header("Location");

        assertThat(api.signed("GET", location, owner, null, Map.of()).status()).isEqualTo(200);
        PartnerApi.Answer foreign = api.signed("GET", location, other, null, Map.of());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().path("type").asText()).isEqualTo("urn:conduit:problem:not-found");
        assertThat(api.signed("GET", "/api/v1/partner/messages/" + UUID.randomUUID(), owner, null, Map.of()).status()).isEqualTo(404);
    }

    @Test
    void oversizeWrongTypeMalformedAndInvalidBodiesAreRefusedNamingTheProblem() {
        String partner = partnerId();
        PartnerApi.Key key = api.register(partner, List.of("order"), 600);

        String huge = "{\"orderNumber\":\"" + "x".repeat(300_000) + "\"}";
        PartnerApi.Answer oversize = api.checked("POST", ORDERS, signedHeaders(key, huge), huge, false);
        assertThat(oversize.status()).isEqualTo(413);

        long now = Instant.now().getEpochSecond();
        String body = order("PO-" + suffix(), 1);
        PartnerApi.Answer text = api.checked("POST", ORDERS, Map.of("Content-Type", "text/plain", "X-Api-Key", key.keyId(),
                "X-Timestamp", String.valueOf(now), "X-Signature", PartnerApi.signature(key.secret(), now, body)), body, false);
        assertThat(text.status()).isEqualTo(415);

        String broken = "{\"orderNumber\": \"PO-1\",";
        PartnerApi.Answer malformed = api.checked("POST", ORDERS, signedHeaders(key, broken), broken, false);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("type").asText()).isEqualTo("urn:conduit:problem:malformed-json");

        ObjectNode invalid = (ObjectNode) PartnerApi.JSON.createObjectNode()
                .put("orderNumber", "PO 1").put("orderDate", "2026-02-30x").put("currency", "euro");
        invalid.putObject("buyer").put("name", "");
        invalid.putArray("lines").addObject().put("sku", "P-1").put("quantity", -1).put("unitPrice", 1);
        PartnerApi.Answer violations = api.checked("POST", ORDERS, signedHeaders(key, invalid.toString()), invalid.toString(), false);
        assertThat(violations.status()).isEqualTo(400);
        assertThat(violations.json().path("type").asText()).isEqualTo("urn:conduit:problem:invalid-payload");
        assertThat(violations.json().findValuesAsText("field"))
                .contains("$.orderNumber", "$.orderDate", "$.currency", "$.buyer", "$.buyer.name", "$.lines[0].quantity");

        assertThat(jdbc.queryForObject("select count(*) from esb.partner_message where partner_id = ?", Integer.class, partner)).isZero();
    }

    @Test
    void overTheRateLimitIs429WithRetryAfter() {
        PartnerApi.Key key = api.register(partnerId(), List.of("order"), 2);
        assertThat(api.signed("POST", ORDERS, key, order("PO-" + suffix(), 1), Map.of()).status()).isEqualTo(202);
        assertThat(api.signed("POST", ORDERS, key, order("PO-" + suffix(), 1), Map.of()).status()).isEqualTo(202);

        PartnerApi.Answer limited = api.signed("POST", ORDERS, key, order("PO-" + suffix(), 1), Map.of());

        assertThat(limited.status()).isEqualTo(429);
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
        assertThat(limited.json().path("type").asText()).isEqualTo("urn:conduit:problem:rate-limited");
    }

    @Test
    void aMessageTypeThePartnerMayNotSendIs403() {
        PartnerApi.Key key = api.register(partnerId(), List.of("order"), 600);
        PartnerApi.Answer answer = api.signed("POST", "/api/v1/partner/complaints", key, complaint("C-" + suffix()), Map.of());
        assertThat(answer.status()).isEqualTo(403);
    }

    @Test
    void complaintEntersComplaintRoutingAndItsStatusShowsTheOaQueue() {
        String partner = partnerId();
        PartnerApi.Key key = api.register(partner, List.of("complaint"), 600);
        String number = "C-" + suffix();

        PartnerApi.Answer answer = api.signed("POST", "/api/v1/partner/complaints", key, complaint(number), Map.of());

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        String complaintId = partner + ":" + number;
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            assertThat(jdbc.queryForList("select source from esb.complaint where complaint_id = ?", String.class, complaintId))
                    .containsExactly(partner);
            JsonNode status = api.signed("GET", answer.header("Location"), key, null, Map.of()).json();
            assertThat(status.path("status").asText()).isEqualTo("DELIVERED");
            assertThat(status.path("journey").get(3).path("system").asText()).isEqualTo("OA");
            assertThat(status.path("journey").get(3).path("reference").asText()).startsWith("OA.TASKS.");
        });
        // the status update is not sent to the CRM, which does not know the case: nothing parked
        assertThat(jdbc.queryForObject("select count(*) from esb.parked_message where business_key = ?", Integer.class, complaintId)).isZero();
    }

    @Test
    void adminEndpointsNeedTheAdminToken() {
        PartnerApi.Answer anonymous = api.checked("POST", "/api/v1/partner/admin/partners", Map.of("Content-Type", "application/json"),
                "{\"partnerId\":\"" + partnerId() + "\",\"name\":\"x\"}", false);
        PartnerApi.Answer wrong = api.checked("GET", "/api/v1/partner/admin/partners/acme", Map.of("Authorization", "Bearer guess"), null, false);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
    }

    @Test
    void theDocumentAndItsBrowsableUiAreServed() {
        PartnerApi.Answer ui = api.send("GET", "/partner-api/index.html", Map.of(), null);
        assertThat(ui.status()).isEqualTo(200);
        String bundle = ui.body().replaceAll("(?s).*<script src=\"([^\"]+)\".*", "$1");
        assertThat(api.send("GET", bundle, Map.of(), null).status()).isEqualTo(200);
        assertThat(api.send("GET", "/openapi/partner-api.yaml", Map.of(), null).body()).contains("/api/v1/partner/orders");
    }

    private Map<String, String> signedHeaders(PartnerApi.Key key, String body) {
        long now = Instant.now().getEpochSecond();
        return Map.of("Content-Type", "application/json", "X-Api-Key", key.keyId(), "X-Timestamp", String.valueOf(now),
                "X-Signature", PartnerApi.signature(key.secret(), now, body));
    }

    static String partnerId() {
        return "it-" + suffix();
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static String order(String orderNumber, int revision) {
        return "{\"orderNumber\":\"" + orderNumber + "\",\"revision\":" + revision + ",\"orderDate\":\"2026-11-20\","
                + "\"requestedDeliveryDate\":\"2026-12-01\",\"currency\":\"EUR\","
                + "\"buyer\":{\"customerNumber\":\"ACC-204\",\"name\":\"Acme GmbH\"},"
                + "\"lines\":[{\"sku\":\"P-100\",\"description\":\"Steel bracket\",\"quantity\":10,\"unitPrice\":100.00},"
                + "{\"sku\":\"P-200\",\"quantity\":2.5,\"unitPrice\":19.99}]}";
    }

    static String complaint(String number) {
        return "{\"complaintNumber\":\"" + number + "\",\"customer\":{\"customerNumber\":\"ACC-204\",\"name\":\"Acme GmbH\"},"
                + "\"category\":\"DAMAGED_GOODS\",\"severity\":\"HIGH\",\"subject\":\"Brackets bent\","
                + "\"description\":\"Three of ten brackets arrived bent.\",\"reportedAt\":\"2026-11-21T08:29:58Z\"}";
    }
}
