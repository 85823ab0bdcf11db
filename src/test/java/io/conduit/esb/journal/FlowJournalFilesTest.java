package io.conduit.esb.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowJournalFilesTest {

    @Test
    void theShippedFlowsDeclareTheirDeliveriesAndKeysBesideTheirRouteFiles() {
        JournalProperties settings = new JournalProperties();
        FlowJournalFiles.mergeInto(settings, Path.of("routes"));

        assertThat(settings.getSteps()).containsKeys("order-handoff.write-erp", "complaint-routing.send-task",
                "employee-onboarding.write-oa", "inventory-feedback.update-crm-shipment", "partner-intake.publish-order");
        JournalProperties.StepSetting writeErp = settings.getSteps().get("order-handoff.write-erp");
        assertThat(writeErp.getHop()).isEqualTo(Hop.DELIVERED);
        assertThat(writeErp.getTarget()).isEqualTo("erp");
        assertThat(writeErp.getTargetId()).isEqualTo("${jsonpath($.erpOrderNumber)}");
        assertThat(settings.getFlows().get("order-handoff").getKeys().get("orderId"))
                .startsWith("${exchangeProperty.orderId}");
        assertThat(settings.getFlows()).containsKeys("complaint-routing", "employee-onboarding", "inventory-feedback",
                "partner-intake");
    }

    @Test
    void aNewFlowNeedsOnlyItsFileAndTheConfigurationWinsForTheSameEntry(@TempDir Path routes) throws Exception {
        Files.writeString(routes.resolve("returns.journal.yaml"), """
                steps:
                  "[returns.write-erp]": {hop: DELIVERED, target: erp, target-id: "${exchangeProperty.rma}"}
                  "[returns.update-crm]": {hop: DELIVERED, target: crm}
                keys:
                  rmaNo: ["${exchangeProperty.rma}", "${jsonpath($.rmaNo)}"]
                  orderId: ["${exchangeProperty.orderId}"]
                """);
        JournalProperties settings = new JournalProperties();
        JournalProperties.StepSetting configured = new JournalProperties.StepSetting();
        configured.setHop(Hop.DELIVERED);
        configured.setTarget("crm-eu");
        settings.getSteps().put("returns.update-crm", configured);
        JournalProperties.FlowSetting flow = new JournalProperties.FlowSetting();
        flow.getKeys().put("orderId", List.of("${header.order}"));
        settings.getFlows().put("returns", flow);

        FlowJournalFiles.mergeInto(settings, routes);

        assertThat(settings.getSteps().get("returns.write-erp").getTargetId()).isEqualTo("${exchangeProperty.rma}");
        assertThat(settings.getSteps().get("returns.update-crm").getTarget()).isEqualTo("crm-eu");
        assertThat(settings.getFlows().get("returns").getKeys().get("rmaNo"))
                .containsExactly("${exchangeProperty.rma}", "${jsonpath($.rmaNo)}");
        assertThat(settings.getFlows().get("returns").getKeys().get("orderId")).containsExactly("${header.order}");
    }

    @Test
    void aFileThatIsNotValidFailsTheStartNamingTheFile(@TempDir Path routes) throws Exception {
        Files.writeString(routes.resolve("broken.journal.yaml"), "steps:\n  \"[broken.x]\": {hop: ARRIVED}\n");
        assertThatThrownBy(() -> FlowJournalFiles.mergeInto(new JournalProperties(), routes))
                .hasMessageContaining("broken.journal.yaml");
        Files.writeString(routes.resolve("broken.journal.yaml"), "steps: [unclosed\n");
        assertThatThrownBy(() -> FlowJournalFiles.mergeInto(new JournalProperties(), routes))
                .hasMessageContaining("broken.journal.yaml");
    }
}
