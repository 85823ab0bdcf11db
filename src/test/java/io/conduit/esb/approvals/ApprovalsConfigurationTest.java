package io.conduit.esb.approvals;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The approvals flow is on only with adapters that implement its ports, and says which port is missing. */
class ApprovalsConfigurationTest {

    private static String enabled(String erpAdapter, String oaAdapter, String override) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        Map<String, Object> chosen = new HashMap<>();
        chosen.put("esb.systems.erp.adapter", erpAdapter);
        chosen.put("esb.systems.oa.adapter", oaAdapter);
        if (override != null) {
            chosen.put("ESB_APPROVALS_ENABLED", override);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("chosen", chosen));
        new YamlPropertySourceLoader().load("approvals", new ClassPathResource("flows/approvals.yaml"))
                .forEach(source -> environment.getPropertySources().addLast(source));
        return environment.getProperty("esb.approvals.enabled");
    }

    @Test
    void onWithAdaptersThatHaveThePortsOffWithOthersUnlessForced() throws Exception {
        assertThat(enabled("sandbox", "sandbox", null)).isEqualTo("true");
        assertThat(enabled("tryton", "redmine", null)).isEqualTo("true");
        assertThat(enabled("sandbox", "redmine", null)).isEqualTo("true");
        assertThat(enabled("tryton", "sandbox", null)).isEqualTo("true");
        // an adapter an IT team wrote without the approval ports
        assertThat(enabled("sap", "redmine", null)).isEqualTo("false");
        assertThat(enabled("tryton", "exchange", null)).isEqualTo("false");
        assertThat(enabled("sandbox", "sandbox", "false")).isEqualTo("false");
        assertThat(enabled("sap", "redmine", "true")).isEqualTo("true");
    }

    @Test
    void theMissingPortsAreNamedOnlyWhenTheFlowHasRoutes() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:erp.requisitions-since").routeId("erp-x.requisitions-since").log("x");
                    from("direct:oa.create-approval-task").routeId("oa-x.create").log("x");
                }
            });
            camel.start();
            assertThat(ApprovalsConfiguration.missingPorts(camel)).isNull();

            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:approvals.advance").routeId("approvals.advance").routeGroup("approvals").log("x");
                }
            });
            assertThat(ApprovalsConfiguration.missingPorts(camel)).containsExactly("erp.apply-requisition-decision",
                    "oa.remind-approval-task", "oa.cancel-approval-task");
        }
    }
}
