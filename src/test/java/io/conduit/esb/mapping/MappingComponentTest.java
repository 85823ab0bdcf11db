package io.conduit.esb.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.canonical.JsonSchemas;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateProducerException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingComponentTest {

    private static final String WEBHOOK = MappingFixtures.read(
            MappingFixtures.MAPPINGS.resolve("crm/fixtures/opportunity-to-order/full.input.json"));
    private static final String EXPECTED_ORDER = MappingFixtures.read(
            MappingFixtures.MAPPINGS.resolve("crm/fixtures/opportunity-to-order/full.expected.json"));

    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void startCamel() {
        camel = new DefaultCamelContext();
        camel.addComponent("mapping", new MappingComponent(
                new MappingEngine(MappingFixtures.MAPPINGS.toString(), 0, JsonSchemas.JSON)));
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stopCamel() {
        camel.stop();
    }

    @Test
    void bodyBecomesTheResultAsJsonText() throws Exception {
        Exchange exchange = template.request("mapping:crm/opportunity-to-order.jsonata",
                e -> e.getMessage().setBody(WEBHOOK));

        assertThat(exchange.getException()).isNull();
        assertThat(exchange.getMessage().getBody()).isInstanceOf(String.class);
        assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        assertSameNumbersAndText(JsonSchemas.JSON.readTree(exchange.getMessage().getBody(String.class)),
                JsonSchemas.JSON.readTree(EXPECTED_ORDER));
    }

    @Test
    void outputObjectPutsTheMapOnTheBody() {
        Object body = template.requestBody("mapping:crm/opportunity-to-order.jsonata?output=object",
                WEBHOOK.getBytes(StandardCharsets.UTF_8));

        assertThat(body).isInstanceOf(Map.class);
        Map<?, ?> order = (Map<?, ?>) body;
        assertThat(order.get("orderId")).isEqualTo("OPP-1001");
        assertThat(order.get("customer")).isEqualTo(Map.of("customerId", "ACC-204", "name", "Acme GmbH"));
        assertThat((List<?>) order.get("lines")).hasSize(2);
    }

    @Test
    void readsAStreamBodyAndAMapBody() {
        Object fromStream = template.requestBody("mapping:crm/opportunity-to-order.jsonata?output=object",
                new ByteArrayInputStream(WEBHOOK.getBytes(StandardCharsets.UTF_8)));
        Object order = template.requestBody("mapping:crm/opportunity-to-order.jsonata?output=object", WEBHOOK);

        String rows = template.requestBody("mapping:erp/order-to-sales-order.jsonata", order, String.class);

        assertThat(fromStream).isEqualTo(order);
        assertThat(rows).contains("\"ext_ref\":\"OPP-1001\"", "\"src_sys\":\"CRM\"");
    }

    @Test
    void aMappingErrorFailsTheExchangeWithAMappingException() {
        assertThatThrownBy(() -> template.requestBody("mapping:crm/opportunity-to-order.jsonata", "{not json"))
                .isInstanceOf(CamelExecutionException.class)
                .hasCauseInstanceOf(MappingException.class);
    }

    @Test
    void aMissingMappingFailsWhenTheProducerStarts() {
        assertThatThrownBy(() -> template.requestBody("mapping:crm/no-such.jsonata", "{}"))
                .hasRootCauseInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(e).isInstanceOfAny(FailedToCreateProducerException.class,
                        CamelExecutionException.class))
                .rootCause().hasMessageContaining("crm/no-such.jsonata");
    }

    @Test
    void unknownOptionsAndOutputsAreRejected() {
        assertThatThrownBy(() -> camel.getEndpoint("mapping:crm/opportunity-to-order.jsonata?output=xml"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("xml");
        assertThatThrownBy(() -> camel.getEndpoint("mapping:crm/opportunity-to-order.jsonata?outptu=json"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasMessageContaining("outptu");
    }

    @Test
    void theEndpointIsASingletonProducer() {
        MappingEndpoint endpoint = camel.getEndpoint("mapping:crm/opportunity-to-order.jsonata?output=object",
                MappingEndpoint.class);
        assertThat(endpoint.isSingleton()).isTrue();
        assertThat(endpoint.getMappingName()).isEqualTo("crm/opportunity-to-order.jsonata");
        assertThat(endpoint.getOutput()).isEqualTo(MappingEndpoint.Output.OBJECT);
        assertThatThrownBy(() -> endpoint.createConsumer(exchange -> { }))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void springRegistersTheComponentUnderItsSchemeAndCamelFindsItThere() {
        try (var spring = new AnnotationConfigApplicationContext()) {
            spring.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test",
                    Map.of("esb.mappings.dir", MappingFixtures.MAPPINGS.toString())));
            spring.registerBean(ObjectMapper.class, () -> JsonSchemas.JSON);
            spring.register(MappingEngine.class, MappingComponent.class);
            spring.refresh();
            assertThat(spring.getBean("mapping")).isInstanceOf(MappingComponent.class);
            assertThat(spring.getBean(MappingEngine.class).baseLocation())
                    .isEqualTo(MappingFixtures.MAPPINGS.toAbsolutePath().toString());

            CamelContext fromRegistry = new DefaultCamelContext();
            fromRegistry.getRegistry().bind("mapping", spring.getBean("mapping"));
            fromRegistry.start();
            try {
                Object order = fromRegistry.createProducerTemplate()
                        .requestBody("mapping:crm/opportunity-to-order.jsonata?output=object", WEBHOOK);
                assertThat(((Map<?, ?>) order).get("orderId")).isEqualTo("OPP-1001");
            } finally {
                fromRegistry.stop();
            }
        }
    }

    private static void assertSameNumbersAndText(JsonNode actual, JsonNode expected) {
        assertThat(actual.equals((a, b) -> a.isNumber() && b.isNumber()
                ? a.decimalValue().compareTo(b.decimalValue()) : (a.equals(b) ? 0 : 1), expected))
                .as("%s equals %s", actual, expected).isTrue();
    }
}
