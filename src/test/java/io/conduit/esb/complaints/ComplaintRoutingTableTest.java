package io.conduit.esb.complaints;

import io.conduit.esb.tables.DecisionTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The routing table as IT edits it ({@code mappings/complaints/routing-table.yaml}) and the decision table behind it. */
class ComplaintRoutingTableTest {

    private static final Path TABLE = Path.of("mappings/complaints/routing-table.yaml");

    private final DecisionTable table = new DecisionTable("test", List.of(TABLE), 0,
            ComplaintRoutingConfiguration::checkRow);

    @ParameterizedTest(name = "{0} {1} {2} {3} -> {4} {5} {6}")
    @CsvSource(nullValues = "-", value = {
            "DAMAGED_GOODS,  CRITICAL, STANDARD, -,      LOGISTICS,     9, PT1H",
            "DAMAGED_GOODS,  LOW,      PLATINUM, -,      LOGISTICS,     8, PT2H",
            "damaged_goods,  high,     GOLD,     -,      LOGISTICS,     7, PT4H",
            "DAMAGED_GOODS,  MEDIUM,   -,        -,      LOGISTICS,     5, PT8H",
            "LATE_DELIVERY,  CRITICAL, STANDARD, -,      LOGISTICS,     7, PT2H",
            "LATE_DELIVERY,  LOW,      STANDARD, -,      LOGISTICS,     4, P1D",
            "WRONG_INVOICE,  HIGH,     GOLD,     -,      FINANCE,       6, PT4H",
            "WRONG_INVOICE,  MEDIUM,   GOLD,     -,      FINANCE,       3, P2D",
            "PRODUCT_DEFECT, HIGH,     STANDARD, PUMPS,  QUALITY-PUMPS, 9, PT1H",
            "PRODUCT_DEFECT, CRITICAL, STANDARD, VALVES, QUALITY,       9, PT2H",
            "PRODUCT_DEFECT, HIGH,     STANDARD, -,      QUALITY,       7, PT8H",
            "PRODUCT_DEFECT, LOW,      STANDARD, PUMPS,  QUALITY,       5, P1D"})
    void routesByCategorySeverityTierAndProductLine(String category, String severity, String tier, String productLine,
                                                    String department, int priority, String sla) {
        Map<String, Object> result = table.decide(complaint(category, severity, tier, productLine));
        assertThat(result).containsEntry("department", department).containsEntry("priority", priority)
                .containsEntry("sla", sla).containsEntry("queue", "OA.TASKS." + department)
                .containsEntry("managerQueue", "OA.TASKS." + department + ".MANAGER").containsEntry("flagged", false);
        assertThat(result.get("rule")).isNotNull();
    }

    @Test
    void unknownOrMissingCategoryGoesToTheDefaultQueueFlagged() {
        Map<String, Object> unknown = table.decide(complaint("PKG_WASTE", "CRITICAL", "PLATINUM", null));
        assertThat(unknown).containsEntry("queue", "OA.TASKS.COMPLAINTS-DESK").containsEntry("priority", 4)
                .containsEntry("flagged", true).containsEntry("rule", null);
        assertThat((String) unknown.get("flagReason")).isEqualTo("unknown category 'PKG_WASTE'");
        assertThat(table.decide(Map.of("severity", "LOW"))).containsEntry("flagged", true);
    }

    @Test
    void anEditIsPickedUpAndABrokenEditIsIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("table.yaml");
        Files.writeString(file, """
                inputs: {category: category}
                flagUnknown: [category]
                defaults: {department: DESK, queue: "Q.{department}", managerQueue: "Q.{department}.M", priority: 4, sla: PT8H}
                rules:
                  - {category: A, department: ONE, priority: 5}
                """);
        DecisionTable editable = new DecisionTable("edit", List.of(file), 0, ComplaintRoutingConfiguration::checkRow);
        assertThat(editable.decide(Map.of("category", "A"))).containsEntry("queue", "Q.ONE").containsEntry("priority", 5);

        Files.writeString(file, Files.readString(file).replace("priority: 5}", "priority: 6}\n  - {category: B, department: TWO}"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(editable.decide(Map.of("category", "A"))).containsEntry("priority", 6);
        assertThat(editable.decide(Map.of("category", "B"))).containsEntry("queue", "Q.TWO").containsEntry("flagged", false);

        Files.writeString(file, Files.readString(file).replace("priority: 6}", "priority: 12}"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(editable.decide(Map.of("category", "A"))).containsEntry("priority", 6);
    }

    @Test
    void aTableWithATypoOrABadValueIsRejected(@TempDir Path dir) throws Exception {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, """
                inputs: {category: category}
                defaults: {department: DESK, queue: Q, managerQueue: QM, priority: 4, sla: PT8H}
                rules:
                  - {categroy: A, department: ONE}
                """);
        assertThatThrownBy(() -> new DecisionTable("typo", List.of(typo), 0, ComplaintRoutingConfiguration::checkRow))
                .hasMessageContaining("categroy");
        Path badSla = dir.resolve("sla.yaml");
        Files.writeString(badSla, """
                inputs: {category: category}
                defaults: {department: DESK, queue: Q, managerQueue: QM, priority: 4, sla: 4 hours}
                rules: []
                """);
        assertThatThrownBy(() -> new DecisionTable("sla", List.of(badSla), 0, ComplaintRoutingConfiguration::checkRow))
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void extraFilesAddRows() {
        DecisionTable withTestRows = new DecisionTable("extra",
                List.of(TABLE, Path.of("src/test/resources/complaints/routing-table-test.yaml")), 0,
                ComplaintRoutingConfiguration::checkRow);
        assertThat(withTestRows.decide(complaint("TEST_SLA", "LOW", null, null)))
                .containsEntry("queue", "OA.TASKS.SLA-TEST").containsEntry("sla", "PT2S").containsEntry("flagged", false);
        assertThat(table.decide(complaint("TEST_SLA", "LOW", null, null))).containsEntry("flagged", true);
    }

    private static Map<String, Object> complaint(String category, String severity, String tier, String productLine) {
        Map<String, Object> complaint = new HashMap<>();
        complaint.put("category", category);
        complaint.put("severity", severity);
        Map<String, Object> customer = new HashMap<>();
        customer.put("tier", tier);
        complaint.put("customer", customer);
        if (productLine != null) {
            complaint.put("product", Map.of("sku", "P-1", "productLine", productLine));
        }
        return complaint;
    }
}
