package io.conduit.esb.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Metrics and tracing plumbing: the {@code flow} tag on Camel's per-route meters, the OpenTelemetry SDK for tracing
 * (only when {@code camel.opentelemetry2.enabled=true}), and {@code /hawtio} as a short address of Hawtio.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityConfiguration implements WebMvcConfigurer {

    /**
     * Camel's meters carry the route id ({@code routeId} tag); this adds the route's group as {@code flow}
     * ("none" for routes without a group, e.g. REST declarations), so dashboards can sum per flow.
     */
    @Bean
    public MeterFilter flowTagFromRouteGroup(ObjectProvider<CamelContext> camel) {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String routeId = id.getTag("routeId");
                if (routeId == null || id.getTag("flow") != null) {
                    return id;
                }
                String flow = "none";
                try {
                    CamelContext context = camel.getIfAvailable();
                    Route route = context == null ? null : context.getRoute(routeId);
                    if (route != null && route.getGroup() != null) {
                        flow = route.getGroup();
                    }
                } catch (RuntimeException e) {
                    // context still being created: the meter keeps flow=none
                }
                return id.withTag(Tag.of("flow", flow));
            }
        };
    }

    /**
     * The OpenTelemetry SDK Camel's tracer uses, set up from the standard {@code OTEL_*} environment variables /
     * {@code otel.*} system properties (exporter, endpoint, service name, sampler). Only when tracing is on.
     */
    @Bean(destroyMethod = "")
    @ConditionalOnProperty(name = "camel.opentelemetry2.enabled", havingValue = "true")
    public OpenTelemetry openTelemetry() {
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> java.util.Map.of("otel.service.name",
                        System.getenv().getOrDefault("OTEL_SERVICE_NAME", "conduit-esb"),
                        "otel.metrics.exporter", "none", "otel.logs.exporter", "none"))
                .setResultAsGlobal()
                .build()
                .getOpenTelemetrySdk();
    }

    /** Camel's tracer looks these two up in the registry (before falling back to GlobalOpenTelemetry). */
    @Bean
    @ConditionalOnProperty(name = "camel.opentelemetry2.enabled", havingValue = "true")
    public Tracer openTelemetryTracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer("camel");
    }

    @Bean
    @ConditionalOnProperty(name = "camel.opentelemetry2.enabled", havingValue = "true")
    public ContextPropagators openTelemetryPropagators(OpenTelemetry openTelemetry) {
        return openTelemetry.getPropagators();
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/hawtio", "/actuator/hawtio/");
        registry.addRedirectViewController("/hawtio/", "/actuator/hawtio/");
    }
}
