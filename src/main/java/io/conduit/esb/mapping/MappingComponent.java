package io.conduit.esb.mapping;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/**
 * The {@code mapping:} Camel component: runs a JSONata mapping on the message body in one step, e.g.
 * {@code to: mapping:crm/opportunity-to-order.jsonata} (body becomes the result as JSON text) or
 * {@code to: mapping:erp/order-to-sales-order.jsonata?output=object} (body becomes a Map/List). Registered as the
 * Spring bean {@code mapping}, which is how Camel finds a component by its scheme. Mappings are compiled once
 * and reloaded when their file changes ({@link MappingEngine}).
 */
@org.springframework.stereotype.Component(MappingComponent.SCHEME)
public class MappingComponent extends DefaultComponent {

    public static final String SCHEME = "mapping";

    private final MappingEngine engine;

    public MappingComponent(MappingEngine engine) {
        this.engine = engine;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String output = getAndRemoveParameter(parameters, "output", String.class, MappingEndpoint.Output.JSON.option());
        return new MappingEndpoint(uri, this, remaining, MappingEndpoint.Output.of(output));
    }

    MappingEngine engine() {
        return engine;
    }
}
