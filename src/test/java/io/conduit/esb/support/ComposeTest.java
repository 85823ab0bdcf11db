package io.conduit.esb.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ComposeTest {

    private final Compose compose = new Compose(new ObjectMapper());

    @Test
    void propertiesAreKeyedByTheirNamesAndJsonTextBecomesJson() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty("order", "{\"orderId\": \"OPP-1\"}");
        exchange.setProperty("lines", "[1, 2]");
        exchange.setProperty("note", "plain text");

        Map<String, Object> input = compose.properties(exchange, "order, lines,note,missing");

        assertThat(input).containsOnlyKeys("order", "lines", "note", "missing");
        assertThat(input.get("order")).isEqualTo(Map.of("orderId", "OPP-1"));
        assertThat(input.get("lines")).isEqualTo(List.of(1, 2));
        assertThat(input.get("note")).isEqualTo("plain text");
        assertThat(input.get("missing")).isNull();
    }

    @Test
    void aPropertyCanBeHandedOnUnderAnotherKey() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty("erpInvSearch", "{\"since\": null}");
        exchange.setProperty("erpInvSettings", "{\"company\": 1}");
        exchange.setProperty("search", "the caller's own");

        Map<String, Object> input = compose.properties(exchange, "erpInvSearch:search, erpInvSettings : tryton");

        assertThat(input).containsOnlyKeys("search", "tryton");
        assertThat(input.get("search")).isEqualTo(java.util.Collections.singletonMap("since", null));
        assertThat(input.get("tryton")).isEqualTo(Map.of("company", 1));
    }
}
