package io.conduit.esb.partner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.RouteTestContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing logic of {@code routes/partner-intake.camel.yaml} with the broker advised away and the gate and the
 * message store stubbed: a message is recorded and answered 202 only after Kafka has taken it; when the publish
 * fails the partner gets a 5xx and nothing is recorded. Authentication, idempotency and the status resource are
 * proven on the real stack by {@link PartnerIntakeIT}.
 */
class PartnerIntakeRouteTest {

    private final ObjectMapper json = new ObjectMapper();
    private CamelContext context;
    private ProducerTemplate template;
    private final List<String> accepted = new ArrayList<>();

    /** Stands in for the gate: the request is from partner acme, format standard-v1. */
    public static class AdmitAll {
        public void admit(Exchange exchange, String type) {
            exchange.setProperty(PartnerGate.PARTNER_ID, "acme");
            exchange.setProperty(PartnerGate.PARTNER_FORMAT, "standard-v1");
            exchange.setProperty(PartnerGate.TRACKING_ID, UUID.randomUUID().toString());
            exchange.setProperty(PartnerGate.RECEIVED_AT, Instant.now());
            exchange.getMessage().setBody(exchange.getMessage().getBody(String.class));
        }

        public void admitRead(Exchange exchange) {
            exchange.setProperty(PartnerGate.PARTNER_ID, "acme");
        }
    }

    /** Stands in for the message store: no earlier request; records what would be recorded. */
    public class RecordingMessages {
        public void replay(Exchange exchange) {
            exchange.setProperty(PartnerMessages.REPLAYED, false);
        }

        public void accepted(Exchange exchange, String type, String businessKey, String topic) {
            accepted.add(type + " " + businessKey + " " + topic);
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
            exchange.getMessage().setBody("{\"trackingId\":\"" + exchange.getProperty(PartnerGate.TRACKING_ID) + "\"}");
        }

        public void delivered(String kind, String event, String correlationId) {
        }

        public String status(Exchange exchange, String trackingId) {
            return "{}";
        }
    }

    @BeforeEach
    void loadRoutes() throws Exception {
        context = RouteTestContext.create(Map.of(
                "esb.topics.names.orders", "orders",
                "esb.topics.names.complaints", "complaints",
                "esb.topics.names.order-acks", "order-acks",
                "esb.topics.names.complaint-status", "complaint-status",
                "esb.consumer-groups.partner-intake-tracking", "t1",
                "esb.consumer-groups.partner-intake-complaint-tracking", "t2",
                "esb.redelivery.maximum-redeliveries", "0"), "partner-intake.camel.yaml");
        var registry = context.getRegistry();
        registry.bind("partnerGate", new AdmitAll());
        registry.bind("partnerMessages", new RecordingMessages());
        registry.bind("parkingLot", new Object());

        // no broker here: the Kafka producers become direct endpoints each test sends where it wants
        AdviceWith.adviceWith(context, "partner-intake.order-intake",
                a -> a.weaveById("partner-intake.publish-order").replace().to("direct:kafka-orders"));
        AdviceWith.adviceWith(context, "partner-intake.complaint-intake",
                a -> a.weaveById("partner-intake.publish-complaint").replace().to("direct:kafka-complaints"));
        AdviceWith.adviceWith(context, "partner-intake.track-order-acks", a -> a.replaceFromWith("direct:acks"));
        AdviceWith.adviceWith(context, "partner-intake.track-complaint-status", a -> a.replaceFromWith("direct:status"));
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void orderIsPublishedAsCanonicalOrderOfThePartnerBeforeItIsRecordedAndAnswered() throws Exception {
        kafka("direct:kafka-orders", "mock:orders", null);
        context.start();
        MockEndpoint orders = context.getEndpoint("mock:orders", MockEndpoint.class);
        orders.expectedMessageCount(1);
        orders.expectedHeaderReceived("kafka.KEY", "acme:PO-2026-0042");
        orders.expectedHeaderReceived("ce_type", "io.conduit.order.received");
        orders.expectedHeaderReceived("ce_source", "acme");
        orders.whenAnyExchangeReceived(e -> assertThat(accepted).isEmpty());

        Exchange answer = template.request("direct:partner-intake.order",
                e -> e.getMessage().setBody(partnerOrder()));

        orders.assertIsSatisfied();
        JsonNode order = json.readTree(orders.getExchanges().get(0).getMessage().getBody(String.class));
        assertThat(order.path("source").asText()).isEqualTo("acme");
        assertThat(order.path("totalAmount").decimalValue()).isEqualByComparingTo("1049.98");
        assertThat(accepted).containsExactly("order acme:PO-2026-0042 orders");
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(202);
    }

    @Test
    void kafkaFailingGetsA5xxAndNothingIsRecorded() throws Exception {
        kafka("direct:kafka-orders", null, new org.apache.kafka.common.errors.TimeoutException("no broker"));
        context.start();

        Exchange answer = template.request("direct:partner-intake.order", e -> e.getMessage().setBody(partnerOrder()));

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(503);
        assertThat(answer.getMessage().getHeaders()).containsKey("Retry-After");
        assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
        assertThat(accepted).isEmpty();
    }

    @Test
    void kafkaFailingForAComplaintGetsA5xxAndNothingIsRecorded() throws Exception {
        kafka("direct:kafka-complaints", null, new org.apache.kafka.common.errors.NotEnoughReplicasException("acks=all not met"));
        context.start();

        Exchange answer = template.request("direct:partner-intake.complaint", e -> e.getMessage().setBody(
                json.readTree(Files.readString(Path.of("mappings/partners/standard-v1/fixtures/complaint-to-canonical/full.input.json")))
                        .path("message").toString()));

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(503);
        assertThat(accepted).isEmpty();
    }

    @Test
    void schemaViolationsAre400NamingEachFieldAndNothingIsPublished() throws Exception {
        kafka("direct:kafka-orders", "mock:orders", null);
        context.start();
        MockEndpoint orders = context.getEndpoint("mock:orders", MockEndpoint.class);
        orders.expectedMessageCount(0);

        Exchange answer = template.request("direct:partner-intake.order", e -> e.getMessage().setBody(
                "{\"orderNumber\":\"PO 1\",\"orderDate\":\"2026-13-01\",\"currency\":\"euro\",\"buyer\":{\"name\":\"\"},\"lines\":[]}"));

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(400);
        JsonNode problem = json.readTree(answer.getMessage().getBody(String.class));
        assertThat(problem.findValuesAsText("field")).contains("$.orderNumber", "$.orderDate", "$.currency", "$.lines");
        orders.assertIsSatisfied();
        assertThat(accepted).isEmpty();
    }

    /** The stand-in broker: forwards to a mock, or fails as Kafka would. */
    private void kafka(String from, String to, Exception failure) throws Exception {
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                // no error handler of its own: the failure goes back to the intake route, as from the Kafka producer
                errorHandler(noErrorHandler());
                if (failure != null) {
                    from(from).throwException(failure);
                } else {
                    from(from).to(to);
                }
            }
        });
    }

    private String partnerOrder() throws Exception {
        return json.readTree(Files.readString(Path.of("mappings/partners/standard-v1/fixtures/order-to-canonical/full.input.json")))
                .path("message").toString();
    }
}
