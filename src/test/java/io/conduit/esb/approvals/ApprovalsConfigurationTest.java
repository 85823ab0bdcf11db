package io.conduit.esb.approvals;

import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The approvals flow is on only with an OA adapter that implements its ports, each journey only where its source
 * adapter implements the journey's ports too, and the start names a missing port.
 */
class ApprovalsConfigurationTest {

    private static StandardEnvironment environment(String erpAdapter, String crmAdapter, String oaAdapter,
                                                   Map<String, Object> overrides) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        Map<String, Object> chosen = new HashMap<>(overrides);
        chosen.put("esb.systems.erp.adapter", erpAdapter);
        chosen.put("esb.systems.crm.adapter", crmAdapter);
        chosen.put("esb.systems.oa.adapter", oaAdapter);
        environment.getPropertySources().addFirst(new MapPropertySource("chosen", chosen));
        new YamlPropertySourceLoader().load("approvals", new ClassPathResource("flows/approvals.yaml"))
                .forEach(source -> environment.getPropertySources().addLast(source));
        return environment;
    }

    private static List<Object> journeysOn(String erp, String crm, String oa, Map<String, Object> overrides)
            throws Exception {
        return ApprovalJourneys.from(environment(erp, crm, oa, overrides)).enabled().stream()
                .map(j -> j.get("journey")).toList();
    }

    @Test
    void theFlowIsOnWithAnOaAdapterThatHasThePortsUnlessForced() throws Exception {
        assertThat(environment("sandbox", "sandbox", "sandbox", Map.of()).getProperty("esb.approvals.enabled")).isEqualTo("true");
        assertThat(environment("tryton", "sandbox", "redmine", Map.of()).getProperty("esb.approvals.enabled")).isEqualTo("true");
        assertThat(environment("sandbox", "sandbox", "other-oa", Map.of()).getProperty("esb.approvals.enabled")).isEqualTo("false");
        assertThat(environment("sandbox", "sandbox", "sandbox", Map.of("ESB_APPROVALS_ENABLED", "false"))
                .getProperty("esb.approvals.enabled")).isEqualTo("false");
        assertThat(environment("tryton", "x", "other-oa", Map.of("ESB_APPROVALS_ENABLED", "true"))
                .getProperty("esb.approvals.enabled")).isEqualTo("true");
    }

    @Test
    void eachJourneyIsOnWhereItsSourceAdapterHasItsPortsAndTheFlowIsOn() throws Exception {
        assertThat(journeysOn("sandbox", "sandbox", "sandbox", Map.of()))
                .containsExactly("BUSINESS_TRIP", "PURCHASE_REQUISITION", "QUOTE_DISCOUNT");
        // the trip journey runs only on a pair it has run end to end on: the sandboxes, Redmine with Tryton
        assertThat(journeysOn("sandbox", "sandbox", "redmine", Map.of())).containsExactly("PURCHASE_REQUISITION", "QUOTE_DISCOUNT");
        assertThat(journeysOn("tryton", "sandbox", "sandbox", Map.of())).containsExactly("PURCHASE_REQUISITION", "QUOTE_DISCOUNT");
        assertThat(journeysOn("tryton", "sandbox", "sandbox", Map.of("ESB_APPROVALS_BUSINESS_TRIP_ENABLED", "true")))
                .containsExactly("BUSINESS_TRIP", "PURCHASE_REQUISITION", "QUOTE_DISCOUNT");
        assertThat(journeysOn("tryton", "sandbox", "redmine", Map.of()))
                .containsExactly("BUSINESS_TRIP", "PURCHASE_REQUISITION", "QUOTE_DISCOUNT");
        assertThat(journeysOn("sandbox", "sandbox", "sandbox", Map.of("ESB_APPROVALS_BUSINESS_TRIP_ENABLED", "false")))
                .containsExactly("PURCHASE_REQUISITION", "QUOTE_DISCOUNT");
        // an ERP adapter not listed for the requisition journey: the quote journey runs alone
        assertThat(journeysOn("sap", "sandbox", "redmine", Map.of())).containsExactly("QUOTE_DISCOUNT");
        assertThat(journeysOn("sandbox", "salesforce", "sandbox", Map.of())).containsExactly("BUSINESS_TRIP", "PURCHASE_REQUISITION");
        // no journey runs where the flow is off
        assertThat(journeysOn("sandbox", "sandbox", "other-oa", Map.of())).isEmpty();
        assertThat(journeysOn("sandbox", "sandbox", "sandbox", Map.of("ESB_APPROVALS_QUOTE_DISCOUNT_ENABLED", "false")))
                .containsExactly("BUSINESS_TRIP", "PURCHASE_REQUISITION");
        assertThat(journeysOn("sap", "sandbox", "sandbox", Map.of("ESB_APPROVALS_PURCHASE_REQUISITION_ENABLED", "true")))
                .containsExactly("PURCHASE_REQUISITION", "QUOTE_DISCOUNT");
    }

    @Test
    void aJourneyEntryNamesItsPortsMappingsAndValue() throws Exception {
        ApprovalJourneys journeys = ApprovalJourneys.from(environment("sandbox", "sandbox", "sandbox", Map.of()));
        Map<String, Object> quote = journeys.of("QUOTE_DISCOUNT");
        assertThat(quote).containsEntry("capturePort", "crm.quotes-since").containsEntry("requests", "quotes")
                .containsEntry("watermark", "crm-quotes").containsEntry("applyPort", "crm.apply-quote-decision")
                .containsEntry("applyResult", "crm/quote-decision-result.schema.json")
                .containsEntry("mappings", "approvals/quote-discount").containsEntry("value", "discountPercent");
        assertThat(journeys.requests("QUOTE_DISCOUNT", Map.of("watermark", "7", "quotes", List.of(Map.of("a", 1)))))
                .hasSize(1);
        assertThat(journeys.requests("QUOTE_DISCOUNT", Map.of("watermark", "7"))).isEmpty();
        assertThat(journeys.requestedValue(Map.of("journey", "QUOTE_DISCOUNT",
                "subject", Map.of("discountPercent", 18.5, "quantity", 3)))).isEqualByComparingTo("18.5");
        assertThat(journeys.requestedValue(Map.of("journey", "PURCHASE_REQUISITION",
                "subject", Map.of("quantity", new BigDecimal("12.000"))))).isEqualByComparingTo("12");
        assertThat(journeys.requestedValue(Map.of("journey", "BUSINESS_TRIP", "subject", Map.of()))).isNull();

        // a trip has no value (CHANGED is refused) and two composite routes of its own as apply and reverse ports,
        // whose answers' schemas sit beside its mappings
        Map<String, Object> trip = journeys.of("BUSINESS_TRIP");
        assertThat(trip).containsEntry("capturePort", "oa.trip-requests-since").containsEntry("requests", "requests")
                .containsEntry("watermark", "oa-trips").containsEntry("applyPort", "approvals.apply-business-trip")
                .containsEntry("applyResultFile", "mappings/approvals/business-trip/apply-result.schema.json")
                .containsEntry("reversePort", "approvals.reverse-business-trip")
                .containsEntry("reverseResultFile", "mappings/approvals/business-trip/reverse-result.schema.json")
                .containsEntry("value", null);
        assertThat(quote).containsEntry("applyResultFile", "adapters/crm/quote-decision-result.schema.json")
                .containsEntry("reversePort", null);
        assertThat(journeys.requestedValue(Map.of("journey", "BUSINESS_TRIP",
                "subject", Map.of("tripId", "TR-1", "estimatedCost", 900)))).isNull();

        ApprovalJourneys sap = ApprovalJourneys.from(environment("sap", "sandbox", "sandbox", Map.of()));
        assertThatThrownBy(() -> sap.of("PURCHASE_REQUISITION")).isInstanceOf(NotRetryableException.class)
                .hasMessageContaining("off here");
        assertThatThrownBy(() -> sap.of("BUSINESS_TRIP")).isInstanceOf(NotRetryableException.class)
                .hasMessageContaining("off here");
        assertThatThrownBy(() -> sap.of("NO_SUCH_JOURNEY")).isInstanceOf(NotRetryableException.class)
                .hasMessageContaining("not configured");
    }

    @Test
    void anEntryWithoutItsPortsFailsTheStart() {
        Map<String, ApprovalJourneys.Entry> entries = Map.of("quote-discount", new ApprovalJourneys.Entry(
                "QUOTE_DISCOUNT", true, "crm.quotes-since", "quotes", "crm-quotes", null, "x.json", "discountPercent", null,
                null, null, null));
        assertThatThrownBy(() -> new ApprovalJourneys(entries, true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("esb.approvals.journeys.quote-discount.apply-port");
    }

    @Test
    void theMissingPortsAreNamedOnlyWhenTheFlowHasRoutes() throws Exception {
        ApprovalJourneys journeys = ApprovalJourneys.from(environment("sandbox", "sandbox", "sandbox", Map.of()));
        List<String> ports = ApprovalsConfiguration.ports(journeys);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:erp.requisitions-since").routeId("erp-x.requisitions-since").log("x");
                    from("direct:erp.apply-requisition-decision").routeId("erp-x.apply").log("x");
                    from("direct:crm.quotes-since").routeId("crm-x.quotes-since").log("x");
                    from("direct:oa.create-approval-task").routeId("oa-x.create").log("x");
                }
            });
            camel.start();
            assertThat(ApprovalsConfiguration.missingPorts(camel, ports)).isNull();

            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:approvals.advance").routeId("approvals.advance").routeGroup("approvals").log("x");
                }
            });
            // the trip journey's: its capture port, its composite routes and the ports they call
            assertThat(ApprovalsConfiguration.missingPorts(camel, ports)).containsExactly("oa.trip-requests-since",
                    "approvals.apply-business-trip", "approvals.reverse-business-trip", "oa.apply-trip-decision",
                    "erp.book-trip-commitment", "oa.record-absence", "erp.release-trip-commitment", "oa.remove-absence",
                    "crm.apply-quote-decision", "oa.remind-approval-task", "oa.cancel-approval-task");
        }
    }
}
