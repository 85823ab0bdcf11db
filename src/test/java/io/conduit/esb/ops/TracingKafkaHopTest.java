package io.conduit.esb.ops;

import io.conduit.esb.eventing.KafkaClientConfiguration;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With tracing on (camel-opentelemetry2), the trace context travels with a message across a Kafka hop: the
 * producing route and the consuming route are spans of one trace. A plain Camel context with an in-memory span
 * exporter and a throw-away KRaft broker, so the shared Spring context of the ITs is left alone.
 */
class TracingKafkaHopTest {

    private static EmbeddedKafkaKraftBroker kafka;

    @BeforeAll
    static void broker() {
        kafka = new EmbeddedKafkaKraftBroker(1, 1, "tracing-hop");
        kafka.afterPropertiesSet();
    }

    @AfterAll
    static void stopBroker() {
        kafka.destroy();
    }

    private static String op(SpanData span) {
        return span.getAttributes().get(AttributeKey.stringKey("op"));
    }

    private static String component(SpanData span) {
        return span.getAttributes().get(AttributeKey.stringKey("component"));
    }

    @Test
    void traceContextCrossesTheKafkaHop() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        CamelContext camel = new DefaultCamelContext();
        try {
            // what the ESB's ObservabilityConfiguration provides as beans when tracing is on
            camel.getRegistry().bind("openTelemetryTracer", otel.getTracer("camel"));
            camel.getRegistry().bind("openTelemetryPropagators", otel.getPropagators());
            camel.getRegistry().bind("kafkaHeadersAsText", new KafkaClientConfiguration().kafkaHeadersAsText());
            OpenTelemetryTracer tracer = new OpenTelemetryTracer();
            tracer.setCamelContext(camel);
            tracer.init(camel);
            String brokers = kafka.getBrokersAsString();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:publish").routeId("publish")
                            .to("kafka:tracing-hop?brokers=" + brokers);
                    // as the ESB's Kafka component: record headers read as text (bean kafkaHeadersAsText)
                    from("kafka:tracing-hop?brokers=" + brokers + "&groupId=tracing&autoOffsetReset=earliest"
                            + "&headerDeserializer=#kafkaHeadersAsText")
                            .routeId("consume").to("mock:delivered");
                }
            });
            camel.start();
            MockEndpoint delivered = camel.getEndpoint("mock:delivered", MockEndpoint.class);
            delivered.expectedMessageCount(1);

            camel.createProducerTemplate().sendBody("direct:publish", "{\"orderId\":\"OPP-TRACE\"}");

            delivered.assertIsSatisfied(TimeUnit.SECONDS.toMillis(30));
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                    .anyMatch(s -> "EVENT_RECEIVED".equals(op(s)) && "camel-kafka".equals(component(s))));
            List<SpanData> finished = spans.getFinishedSpanItems();
            SpanData sent = finished.stream()
                    .filter(s -> "EVENT_SENT".equals(op(s)) && "camel-kafka".equals(component(s))).findFirst().orElseThrow();
            SpanData received = finished.stream()
                    .filter(s -> "EVENT_RECEIVED".equals(op(s)) && "camel-kafka".equals(component(s))).findFirst().orElseThrow();
            // the consuming side continues the producing side's trace, as a child of the send
            assertThat(received.getTraceId()).isEqualTo(sent.getTraceId());
            assertThat(received.getParentSpanId()).isEqualTo(sent.getSpanId());
            Set<String> traces = finished.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
            assertThat(traces).as("publish, Kafka hop and delivery form one trace").hasSize(1);
        } finally {
            camel.stop();
            otel.close();
        }
    }
}
