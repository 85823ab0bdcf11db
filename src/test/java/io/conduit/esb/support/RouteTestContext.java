package io.conduit.esb.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.eventing.CloudEventsStamp;
import io.conduit.esb.intake.IntakeAnswers;
import io.conduit.esb.intake.Problems;
import io.conduit.esb.delivery.VersionedComponent;
import io.conduit.esb.mapping.MappingComponent;
import io.conduit.esb.mapping.MappingEngine;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import java.util.Map;
import java.util.Properties;

/**
 * A plain Camel context (no Spring, no brokers) for route tests with AdviceWith: the shared error policy and the
 * given route files loaded from {@code routes/}, the real mapping engine and the machinery beans every flow uses.
 * Tests bind their own doubles for flow-specific beans (parking lot, stores) before starting the context.
 */
public final class RouteTestContext {

    private RouteTestContext() {
    }

    /** The context, not started; {@code properties} are the placeholders the route files need. */
    public static DefaultCamelContext create(Map<String, String> properties, String... routeFiles) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties props = new Properties();
        props.put("esb.mappings.dir", "mappings");
        props.put("esb.adapters.dir", "adapters");
        props.put("esb.redelivery.delay", "1");
        props.put("esb.redelivery.backoff-multiplier", "1");
        props.put("esb.redelivery.maximum-delay", "1");
        props.putAll(properties);
        context.getPropertiesComponent().setInitialProperties(props);

        ObjectMapper json = new ObjectMapper();
        var registry = context.getRegistry();
        registry.bind("mapping", new MappingComponent(new MappingEngine("mappings")));
        registry.bind("versioned", new VersionedComponent(new InMemoryDeliveryLedger()));
        registry.bind("cloudEvents", new CloudEventsStamp());
        registry.bind("compose", new Compose(json));
        registry.bind("problems", new Problems(json, null));
        registry.bind("intakeAnswers", new IntakeAnswers(json));
        registry.bind("transactions", new TransactionScope());
        registry.bind("failures", new FailureClassifier());
        registry.bind("redeliveryMeter", (Processor) exchange -> { });
        // one instance, always the leader: the watermark pollers' policy (routes/poll-template.camel.yaml) does nothing
        registry.bind("pollersLeader", new org.apache.camel.support.RoutePolicySupport() { });

        var loader = PluginHelper.getRoutesLoader(context);
        loader.loadRoutes(ResourceHelper.resolveResource(context, "file:routes/error-policy.camel.yaml"));
        for (String file : routeFiles) {
            // a flow's file name, or an adapter's path from the project root (adapters/erp/sandbox/...)
            String location = file.contains("/") ? "file:" + file : "file:routes/" + file;
            loader.loadRoutes(ResourceHelper.resolveResource(context, location));
        }
        return context;
    }
}
