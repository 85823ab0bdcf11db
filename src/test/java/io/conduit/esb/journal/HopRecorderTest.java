package io.conduit.esb.journal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Key extraction, correlation and masking of recorded hops, on a plain Camel context. */
class HopRecorderTest {

    private final RecordingJournal journal = new RecordingJournal();
    private DefaultCamelContext context;
    private HopRecorder recorder;

    @BeforeEach
    void setUp() {
        context = new DefaultCamelContext();
        context.start();
        JournalProperties settings = new JournalProperties();
        settings.getPayload().setMaskedFields(List.of("email"));
        JournalProperties.FlowSetting flow = new JournalProperties.FlowSetting();
        flow.setKeys(Map.of(
                "orderId", List.of("${exchangeProperty.orderId}", "${jsonpath($.data.opportunityId)}", "${jsonpath($.orderId)}"),
                "erpOrderNo", List.of("${exchangeProperty.erp[so_no]}", "${jsonpath($.erpOrderNumber)}")));
        settings.getFlows().put("order-handoff", flow);
        recorder = new HopRecorder(journal, settings, new SimpleMeterRegistry());
    }

    @AfterEach
    void tearDown() {
        context.stop();
    }

    private void step(Exchange exchange, Hop hop, String targetId) {
        recorder.step(exchange, new StepClassifier.Classification(hop, "erp", targetId), "order-handoff", "r", "s",
                Instant.now());
    }

    @Test
    void endpointNamesAreShortAndWithoutCredentials() {
        assertThat(HopRecorder.endpointName("kafka:conduit.orders.v1?brokers=localhost:9092&saslJaasConfig=secret"))
                .isEqualTo("kafka:conduit.orders.v1");
        assertThat(HopRecorder.endpointName("http://crm.example.com:8080/api/opportunities/OPP-1?password=x"))
                .isEqualTo("http:crm.example.com:8080/api/opportunities/OPP-1");
        assertThat(HopRecorder.endpointName("https://svc:s3cret@erp.example.com/rpc"))
                .doesNotContain("s3cret").startsWith("https:").endsWith("@erp.example.com/rpc");
        assertThat(HopRecorder.endpointName("jms://queue:OA.HR.EVENTS")).isEqualTo("jms:queue:OA.HR.EVENTS");
        assertThat(HopRecorder.endpointName("direct:erp.upsert-sales-order")).isEqualTo("direct:erp.upsert-sales-order");
        assertThat(HopRecorder.endpointName("file:/var/in")).isEqualTo("file:var/in");
        assertThat(HopRecorder.endpointName(null)).isNull();
    }

    @Test
    void aJsonPathKeyTheBodyDoesNotHaveIsNullNotAnException() {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody("{\"orderId\":\"OPP-7\",\"revision\":3,\"lines\":[{\"sku\":\"A\"}]}");
        // through the simple language a missing path throws (a stack trace per key a hop does not find)
        assertThat(HopRecorder.compile(context, "${jsonpath($.data.opportunityId)}").evaluate(exchange, String.class))
                .isNull();
        assertThat(HopRecorder.compile(context, "${jsonpath($.orderId)}").evaluate(exchange, String.class))
                .isEqualTo("OPP-7");
        assertThat(HopRecorder.compile(context, " ${jsonpath($.revision)} ").evaluate(exchange, String.class))
                .isEqualTo("3");
        assertThat(HopRecorder.compile(context, "${jsonpath($.lines[0].sku)}").evaluate(exchange, String.class))
                .isEqualTo("A");
        // anything more than one JSONPath stays a simple expression
        exchange.setProperty("erp", Map.of("so_no", "SO42"));
        assertThat(HopRecorder.compile(context, "${exchangeProperty.erp[so_no]}-${jsonpath($.orderId)}")
                .evaluate(exchange, String.class)).isEqualTo("SO42-OPP-7");
        exchange.getMessage().setBody("not json at all");
        assertThat(recorder.evaluate(exchange, "${jsonpath($.orderId)}")).isNull();
    }

    @Test
    void aJsonPathKeyReadsABodyJustReceivedAsAStreamCacheAndLeavesItReadable() {
        Exchange exchange = new DefaultExchange(context);
        byte[] json = "{\"data\":{\"opportunityId\":\"OPP-9\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getMessage().setBody(new org.apache.camel.converter.stream.InputStreamCache(json));
        assertThat(recorder.evaluate(exchange, "${jsonpath($.data.opportunityId)}")).isEqualTo("OPP-9");
        assertThat(exchange.getMessage().getBody(String.class)).isEqualTo(new String(json,
                java.nio.charset.StandardCharsets.UTF_8));
        exchange.getMessage().setBody(json);
        assertThat(recorder.evaluate(exchange, "${jsonpath($.data.opportunityId)}")).isEqualTo("OPP-9");
    }

    @Test
    void keysFoundAtOneHopStayWithTheExchange() {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody("{\"data\":{\"opportunityId\":\"OPP-1\",\"email\":\"x@example.com\"}}");
        step(exchange, Hop.VALIDATED, null);
        assertThat(journal.last().keys()).containsOnly(Map.entry("orderId", "OPP-1"));

        exchange.getMessage().setBody("not json at all");
        exchange.setProperty("erp", Map.of("so_no", "SO42"));
        step(exchange, Hop.DELIVERED, "${exchangeProperty.erp[so_no]}");
        JournalEntry delivered = journal.last();
        assertThat(delivered.keys()).containsEntry("orderId", "OPP-1").containsEntry("erpOrderNo", "SO42");
        assertThat(delivered.targetId()).isEqualTo("SO42");
        assertThat(delivered.target()).isEqualTo("erp");
    }

    @Test
    void keysComeFromTheFirstExpressionThatHasAValue() {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody("{\"orderId\":\"P-77\",\"erpOrderNumber\":\"SO9\"}");
        step(exchange, Hop.RECEIVED, null);
        assertThat(journal.last().keys()).containsOnly(Map.entry("orderId", "P-77"), Map.entry("erpOrderNo", "SO9"));
    }

    @Test
    void correlationIdFromCloudEventsHeaderElseCorrelationHeader() {
        Exchange event = new DefaultExchange(context);
        event.getMessage().setHeader("ce_correlationid", "corr-1");
        event.getMessage().setHeader("ce_id", "ev-1");
        event.getMessage().setHeader("X-Correlation-Id", "other");
        step(event, Hop.MAPPED, null);
        assertThat(journal.last().correlationId()).isEqualTo("corr-1");
        assertThat(journal.last().eventId()).isEqualTo("ev-1");

        Exchange http = new DefaultExchange(context);
        http.getMessage().setHeader("X-Correlation-Id", "caller-7");
        step(http, Hop.VALIDATED, null);
        assertThat(journal.last().correlationId()).isEqualTo("caller-7");
        // the id stays with the exchange even when the header is removed by a later step
        http.getMessage().removeHeaders("*");
        step(http, Hop.MAPPED, null);
        assertThat(journal.last().correlationId()).isEqualTo("caller-7");
    }

    @Test
    void payloadIsMaskedAndAStreamBodyIsNotConsumed() throws Exception {
        Exchange exchange = new DefaultExchange(context);
        var cache = new org.apache.camel.converter.stream.ByteArrayInputStreamCache(
                new java.io.ByteArrayInputStream("{\"email\":\"a@b.example\",\"orderId\":\"O-1\"}".getBytes()));
        exchange.getMessage().setBody(cache);
        step(exchange, Hop.RECEIVED, null);
        assertThat(journal.last().payload()).isEqualTo("{\"email\":\"***\",\"orderId\":\"O-1\"}");
        assertThat(journal.last().keys()).containsEntry("orderId", "O-1");
        assertThat(exchange.getMessage().getBody(String.class)).contains("a@b.example");
    }

    @Test
    void anExpressionThatFailsIsNoKeyAndNeverBreaksTheFlow() {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody("<xml/>");
        step(exchange, Hop.MAPPED, "${bean:nothingHere}");
        assertThat(journal.last().keys()).isEmpty();
        assertThat(journal.last().targetId()).isNull();
    }

    static final class RecordingJournal implements Journal {
        final java.util.List<JournalEntry> entries = new java.util.concurrent.CopyOnWriteArrayList<>();

        JournalEntry last() {
            return entries.get(entries.size() - 1);
        }

        @Override
        public void record(JournalEntry entry) {
            entries.add(entry);
        }

        @Override
        public List<JournalEntry> search(JournalQuery query) {
            return List.of();
        }

        @Override
        public List<JournalEntry> journey(JournalQuery query) {
            return List.of();
        }

        @Override
        public boolean deliveredSince(String eventId, String routeId, Instant since) {
            return false;
        }

        @Override
        public void flush() {
        }
    }
}
