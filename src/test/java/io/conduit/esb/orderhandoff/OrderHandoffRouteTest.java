package io.conduit.esb.orderhandoff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.NotRetryableException;
import io.conduit.esb.support.RouteTestContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing logic of {@code routes/order-handoff.camel.yaml}, with the brokers and databases advised away:
 * what the intake answers and publishes, and which ERP statements the ERP write decides to run for a new,
 * newer, equal, older or already released revision. The real side effects are proven by {@link OrderHandoffIT}.
 */
class OrderHandoffRouteTest {

    private final ObjectMapper json = new ObjectMapper();
    private CamelContext context;
    private ProducerTemplate template;
    private final List<Exchange> parked = new ArrayList<>();
    private final List<Exchange> retrying = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger redeliveries = new java.util.concurrent.atomic.AtomicInteger();

    /** Stands in for the parking lot: records what the error policy parks. */
    public class RecordingParkingLot {
        public void park(Exchange exchange) {
            parked.add(exchange.copy());
        }

        /** The error policy's hand-over to the retry lane, once the redeliveries in place ran out. */
        public void retryLater(Exchange exchange) {
            retrying.add(exchange.copy());
        }
    }

    @BeforeEach
    void loadRoutes() throws Exception {
        context = RouteTestContext.create(Map.of(
                "esb.topics.names.orders", "orders",
                "esb.topics.names.order-acks", "order-acks",
                "esb.consumer-groups.order-handoff-erp", "erp",
                "esb.consumer-groups.order-handoff-crm", "crm",
                "esb.order-handoff.delivery-consumers", "3",
                "esb.redelivery.maximum-redeliveries", "2",
                "esb.systems.crm.base-url", "http://crm.invalid/api"), "order-handoff.camel.yaml",
                "adapters/erp/sandbox/sales-orders.camel.yaml", "adapters/crm/sandbox/orders.camel.yaml",
                "adapters/crm/sandbox/call.camel.yaml");
        var registry = context.getRegistry();
        registry.bind("parkingLot", new RecordingParkingLot());
        registry.unbind("redeliveryMeter");
        registry.bind("redeliveryMeter", (org.apache.camel.Processor) exchange -> redeliveries.incrementAndGet());
        registry.bind("erpTransactionManager", new NoOpTransactionManager());
        registry.bind("erpDataSource", new org.postgresql.ds.PGSimpleDataSource());

        // no brokers here: Kafka consumers become direct endpoints, producers mocks
        AdviceWith.adviceWith(context, "order-handoff.to-erp", a -> {
            a.replaceFromWith("direct:orders");
            a.weaveById("order-handoff.publish-ack").replace().to("mock:acks");
        });
        AdviceWith.adviceWith(context, "order-handoff.ack-to-crm", a -> a.replaceFromWith("direct:acks"));
        // the CRM's HTTP call inside port crm.update-order-status (sandbox adapter)
        AdviceWith.adviceWith(context, "crm-sandbox.call", a -> a.weaveById("crm-sandbox.http").replace().to("mock:crm"));
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void validWebhookIsPublishedAsCanonicalOrderKeyedByOrderIdAndAnswered202() throws Exception {
        intakePublishesTo("mock:orders");
        context.start();
        MockEndpoint orders = context.getEndpoint("mock:orders", MockEndpoint.class);
        orders.expectedMessageCount(1);
        orders.expectedHeaderReceived("kafka.KEY", "OPP-1001");
        orders.expectedHeaderReceived("ce_type", "io.conduit.order.received");
        orders.expectedHeaderReceived("ce_source", "crm");

        Exchange answer = template.request("direct:order-handoff.crm-intake", e -> {
            e.getMessage().setBody(fixture("crm/fixtures/opportunity-to-order/full.input.json"));
            e.getMessage().setHeader("X-Correlation-Id", "corr-42");
            e.getMessage().setHeader("User-Agent", "crm-webhooks/1.0");
        });

        orders.assertIsSatisfied();
        Exchange published = orders.getExchanges().get(0);
        JsonNode order = json.readTree(published.getMessage().getBody(String.class));
        assertThat(order.path("orderId").asText()).isEqualTo("OPP-1001");
        assertThat(published.getMessage().getHeader("ce_correlationid")).isEqualTo("corr-42");
        assertThat(published.getMessage().getHeaders()).doesNotContainKey("User-Agent");
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(202);
        JsonNode body = json.readTree(answer.getMessage().getBody(String.class));
        assertThat(body.path("orderId").asText()).isEqualTo("OPP-1001");
        assertThat(body.path("correlationId").asText()).isEqualTo("corr-42");
    }

    @Test
    void kafkaUnavailableAnswers503AndNeverClaimsAcceptance() throws Exception {
        AdviceWith.adviceWith(context, "order-handoff.crm-intake",
                a -> a.weaveById("order-handoff.publish-order").replace()
                        .throwException(new org.apache.kafka.common.errors.TimeoutException("no broker")));
        context.start();

        Exchange answer = template.request("direct:order-handoff.crm-intake",
                e -> e.getMessage().setBody(fixture("crm/fixtures/opportunity-to-order/full.input.json")));

        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(answer.getMessage().getHeader("Retry-After")).isNotNull();
        assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
    }

    private void intakePublishesTo(String uri) throws Exception {
        AdviceWith.adviceWith(context, "order-handoff.crm-intake",
                a -> a.weaveById("order-handoff.publish-order").replace().to(uri));
    }

    @Test
    void newOrderInsertsHeaderAndLines() throws Exception {
        Exchange result = erpWrite(null, 2);
        assertThat(result.getProperty("outcome")).isEqualTo("CREATED");
        assertWrites(1, 0, 0, 1);
        assertThat(result.getProperty("erpRow")).as("the row the insert answered, with the ERP's number")
                .isEqualTo(written(2));
        assertThat(result.getMessage().getHeaders()).doesNotContainKeys("existing", "written");
    }

    @Test
    void newerRevisionOfUnreleasedOrderReplacesHeaderAndLines() throws Exception {
        Exchange result = erpWrite(existing(1, "NEW"), 2);
        assertThat(result.getProperty("outcome")).isEqualTo("UPDATED");
        assertWrites(0, 1, 1, 1);
        assertThat(result.getProperty("erpRow")).isEqualTo(written(2));
    }

    @Test
    void sameRevisionIsADuplicateAndWritesNothing() throws Exception {
        Exchange result = erpWrite(existing(2, "NEW"), 2);
        assertThat(result.getProperty("outcome")).isEqualTo("DUPLICATE");
        assertWrites(0, 0, 0, 0);
        assertThat(result.getProperty("erpRow")).as("the row as found").isEqualTo(existing(2, "NEW"));
    }

    @Test
    void olderRevisionIsStaleAndWritesNothing() throws Exception {
        Exchange result = erpWrite(existing(3, "NEW"), 2);
        assertThat(result.getProperty("outcome")).isEqualTo("STALE");
        assertWrites(0, 0, 0, 0);
        assertThat(result.getProperty("erpRow")).isEqualTo(existing(3, "NEW"));
    }

    @Test
    void newerRevisionOfReleasedOrderIsNotRetryable() throws Exception {
        Exchange result = erpWrite(existing(1, "REL"), 2);
        assertThat(result.getException()).isInstanceOf(NotRetryableException.class)
                .hasMessageContaining("SO0100001").hasMessageContaining("REL");
        assertWrites(0, 0, 0, 0);
    }

    @Test
    void acknowledgementIsSentToCrmAsPatchOfTheOpportunity() throws Exception {
        intakePublishesTo("mock:orders");
        context.start();
        MockEndpoint crm = context.getEndpoint("mock:crm", MockEndpoint.class);
        crm.expectedMessageCount(1);
        crm.expectedHeaderReceived(Exchange.HTTP_METHOD, "PATCH");
        crm.expectedHeaderReceived("X-Correlation-Id", "corr-7");

        template.send("direct:acks", e -> {
            e.getMessage().setBody(fixture("esb/fixtures/sales-order-result-to-ack/created.expected.json"));
            e.getMessage().setHeader("ce_correlationid", "corr-7");
        });

        crm.assertIsSatisfied();
        JsonNode patch = json.readTree(crm.getExchanges().get(0).getMessage().getBody(String.class));
        assertThat(patch.path("erpStatus").asText()).isEqualTo("Booked");
        assertThat(crm.getExchanges().get(0).getProperty("crmCallPath")).isEqualTo("/opportunities/OPP-1001");
        assertThat(parked).isEmpty();
    }

    @Test
    void anAcknowledgementOlderThanTheOneTheCrmHasIsNotSentNorTheSameOneTwice() throws Exception {
        intakePublishesTo("mock:orders");
        context.start();
        MockEndpoint crm = context.getEndpoint("mock:crm", MockEndpoint.class);
        String created = fixture("esb/fixtures/sales-order-result-to-ack/created.expected.json");
        String newer = created.replace("\"revision\": 2", "\"revision\": 3")
                .replace("\"status\": \"ACCEPTED\"", "\"status\": \"IN_PRODUCTION\"");

        Exchange first = template.send("direct:acks", e -> e.getMessage().setBody(newer));
        Exchange older = template.send("direct:acks", e -> e.getMessage().setBody(created));
        Exchange same = template.send("direct:acks", e -> e.getMessage().setBody(newer));

        assertThat(crm.getExchanges()).hasSize(1);
        assertThat(json.readTree(crm.getExchanges().get(0).getMessage().getBody(String.class)).path("erpStatus").asText())
                .isEqualTo("In Production");
        assertThat(first.getProperty(io.conduit.esb.delivery.VersionedProducer.OUTCOME)).isNull();
        assertThat(older.getProperty(io.conduit.esb.delivery.VersionedProducer.OUTCOME)).isEqualTo("SUPERSEDED");
        assertThat(older.getProperty(io.conduit.esb.delivery.VersionedProducer.DETAIL, String.class))
                .isEqualTo("crm.update-order-status OPP-1001: version 2 of 2026-11-20T09:15:02.120Z not sent, the target"
                        + " has version 3 of 2026-11-20T09:15:02.120Z");
        assertThat(same.getProperty(io.conduit.esb.delivery.VersionedProducer.OUTCOME)).isEqualTo("ALREADY_DELIVERED");
        assertThat(parked).isEmpty();
    }

    @Test
    void unmappableOrderIsParkedAtOnceWithoutRetrying() throws Exception {
        intakePublishesTo("mock:orders");
        context.start();
        template.send("direct:orders", e -> e.getMessage().setBody("orderId=OPP-9"));

        assertThat(parked).hasSize(1);
        Exchange p = parked.get(0);
        assertThat(p.getMessage().getBody(String.class)).isEqualTo("orderId=OPP-9");
        // not JSON: the versioned delivery cannot read the order's id, which no redelivery would change
        assertThat(p.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))
                .isInstanceOf(io.conduit.esb.support.NotRetryableException.class)
                .hasMessageContaining("the record's key (${jsonpath($.orderId)}) cannot be read");
        assertThat(p.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)).isZero();
    }

    @Test
    void orderTheErpRefusesForGoodIsParkedByTheDeliveryRouteAndNotRetried() throws Exception {
        adviseErpWrite(existing(1, "REL"), 2);
        intakePublishesTo("mock:orders");
        context.start();
        String order = fixture("erp/fixtures/order-to-sales-order/full.input.json");

        Exchange result = template.send("direct:orders", e -> e.getMessage().setBody(order));

        assertThat(result.getException()).as("handled by the error policy, so the consumer acknowledges").isNull();
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))
                .isInstanceOf(NotRetryableException.class);
        assertThat(redeliveries.get()).as("refused for good: parked at once").isZero();
        assertThat(context.getEndpoint("mock:acks", MockEndpoint.class).getReceivedCounter()).isZero();
    }

    @Test
    void erpFailureThatKeepsFailingGoesToTheRetryLaneAfterRedeliveriesInPlace() throws Exception {
        AdviceWith.adviceWith(context, "erp-sandbox.write-sales-order", a -> a.weaveById("erp-sandbox.find-existing")
                .replace().throwException(new java.sql.SQLTransientConnectionException("ERP database down")));
        intakePublishesTo("mock:orders");
        context.start();

        Exchange result = template.send("direct:orders",
                e -> e.getMessage().setBody(fixture("erp/fixtures/order-to-sales-order/full.input.json")));

        assertThat(result.getException()).isNull();
        assertThat(parked).isEmpty();
        assertThat(retrying).hasSize(1);
        assertThat(redeliveries.get()).as("esb.redelivery.maximum-redeliveries").isEqualTo(2);
        assertThat(retrying.get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))
                .hasRootCauseInstanceOf(java.sql.SQLTransientConnectionException.class);
        // the original message, as the lane runs it again
        assertThat(retrying.get(0).getMessage().getBody(String.class))
                .isEqualTo(fixture("erp/fixtures/order-to-sales-order/full.input.json"));
    }

    @Test
    void orderWhoseValuesTheErpDatabaseRefusesIsParkedAtOnceWithTheDatabaseMessage() throws Exception {
        java.sql.SQLException outOfRange = new java.sql.SQLException("ERROR: integer out of range", "22003");
        AdviceWith.adviceWith(context, "erp-sandbox.write-sales-order", a -> a.weaveById("erp-sandbox.find-existing")
                .replace().throwException(new org.springframework.dao.DataIntegrityViolationException(
                        "PreparedStatementCallback; SQL [insert into erp.so_stage_hdr ...]; ERROR: integer out of range",
                        outOfRange)));
        intakePublishesTo("mock:orders");
        context.start();

        Exchange result = template.send("direct:orders",
                e -> e.getMessage().setBody(fixture("erp/fixtures/order-to-sales-order/full.input.json")));

        assertThat(result.getException()).as("handled by the error policy, so the consumer acknowledges").isNull();
        assertThat(parked).hasSize(1);
        assertThat(redeliveries.get()).as("a data error is permanent: parked at once").isZero();
        assertThat(parked.get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))
                .hasMessageContaining("integer out of range").hasRootCause(outOfRange);
    }

    @Test
    void uniqueViolationFromAConcurrentWriterIsRetried() throws Exception {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        AdviceWith.adviceWith(context, "erp-sandbox.write-sales-order", a -> a.weaveById("erp-sandbox.find-existing")
                .replace().process(e -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new org.springframework.dao.DuplicateKeyException("duplicate key",
                                new java.sql.SQLException("ERROR: duplicate key value violates unique constraint", "23505"));
                    }
                    e.getMessage().setHeader("existing", existing(2, "NEW"));
                }));
        intakePublishesTo("mock:orders");
        context.start();

        Exchange result = template.send("direct:orders",
                e -> e.getMessage().setBody(fixture("erp/fixtures/order-to-sales-order/full.input.json")));

        assertThat(result.getException()).isNull();
        assertThat(parked).isEmpty();
        assertThat(redeliveries.get()).isEqualTo(1);
        assertThat(result.getProperty("outcome")).isEqualTo("DUPLICATE");
        assertThat(context.getEndpoint("mock:acks", MockEndpoint.class).getReceivedCounter()).isOne();
    }

    // --- ERP write harness

    private Exchange erpWrite(Map<String, Object> existingRow, int incomingRevision) throws Exception {
        adviseErpWrite(existingRow, incomingRevision);
        intakePublishesTo("mock:orders");
        context.start();
        Map<String, Object> header = new HashMap<>();
        header.put("ext_ref", "OPP-1001");
        header.put("ext_rev", incomingRevision);
        Map<String, Object> rows = Map.of("header", header, "lines", List.of(Map.of("line_no", 1)));
        return template.send("direct:erp-sandbox.write-sales-order", e -> e.setProperty("erpRows", rows));
    }

    private void adviseErpWrite(Map<String, Object> existingRow, int incomingRevision) throws Exception {
        AdviceWith.adviceWith(context, "erp-sandbox.write-sales-order", a -> {
            a.weaveById("erp-sandbox.find-existing").replace().process(
                    e -> e.getMessage().setHeader("existing", existingRow));
            // the header's INSERT / UPDATE ... RETURNING answers the row as written
            a.weaveById("erp-sandbox.insert-header").replace().setHeader("written", a.constant(written(incomingRevision)))
                    .to("mock:insert-header");
            a.weaveById("erp-sandbox.update-header").replace().setHeader("written", a.constant(written(incomingRevision)))
                    .to("mock:update-header");
            a.weaveById("erp-sandbox.delete-lines").replace().to("mock:delete-lines");
            a.weaveById("erp-sandbox.insert-lines").replace().to("mock:insert-lines");
        });
    }

    private static Map<String, Object> existing(int revision, String status) {
        return Map.of("stg_id", 77L, "ext_ref", "OPP-1001", "ext_rev", revision, "so_no", "SO0100001", "stat_cd", status);
    }

    private static Map<String, Object> written(int revision) {
        return Map.of("stg_id", 77L, "ext_ref", "OPP-1001", "ext_rev", revision, "so_no", "SO0100002", "stat_cd", "NEW");
    }

    private void assertWrites(int inserts, int updates, int deletes, int lineInserts) {
        assertThat(context.getEndpoint("mock:insert-header", MockEndpoint.class).getReceivedCounter()).isEqualTo(inserts);
        assertThat(context.getEndpoint("mock:update-header", MockEndpoint.class).getReceivedCounter()).isEqualTo(updates);
        assertThat(context.getEndpoint("mock:delete-lines", MockEndpoint.class).getReceivedCounter()).isEqualTo(deletes);
        assertThat(context.getEndpoint("mock:insert-lines", MockEndpoint.class).getReceivedCounter()).isEqualTo(lineInserts);
    }

    private static String fixture(String path) throws Exception {
        return Files.readString(Path.of("mappings", path));
    }

    /** The ERP write runs in a transaction; here there is no database, so transactions do nothing. */
    static class NoOpTransactionManager extends AbstractPlatformTransactionManager {
        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
        }
    }
}
