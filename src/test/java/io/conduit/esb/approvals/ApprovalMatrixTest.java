package io.conduit.esb.approvals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The project's approval matrix (mappings/approvals/approval-matrix.yaml) and the matrix mechanics. */
class ApprovalMatrixTest {

    private static final Path PROJECT_MATRIX = Path.of("mappings/approvals/approval-matrix.yaml");

    @TempDir
    Path dir;

    private static Map<String, Object> request(String department, Object amount, String currency) {
        return Map.of("requestId", "PR0000001", "journey", "PURCHASE_REQUISITION", "department", department,
                "amount", amount, "currency", currency);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> decision) {
        return (List<Map<String, Object>>) decision.get("steps");
    }

    private static List<Object> groups(Map<String, Object> decision) {
        return steps(decision).stream().map(s -> s.get("group")).toList();
    }

    @Test
    void amountBoundsDecideTheSteps() {
        ApprovalMatrix matrix = new ApprovalMatrix(List.of(PROJECT_MATRIX), 0);

        assertThat(groups(matrix.decide(request("PRODUCTION", new BigDecimal("4999.99"), "EUR"))))
                .containsExactly("HEAD-PRODUCTION");
        assertThat(groups(matrix.decide(request("PRODUCTION", 5000, "EUR"))))
                .containsExactly("HEAD-PRODUCTION", "FINANCE-CONTROLLING");
        assertThat(groups(matrix.decide(request("PRODUCTION", 49999.99, "EUR"))))
                .containsExactly("HEAD-PRODUCTION", "FINANCE-CONTROLLING");
        Map<String, Object> big = matrix.decide(request("production", "50000.00", "EUR"));
        assertThat(groups(big)).containsExactly("HEAD-PRODUCTION", "FINANCE-CONTROLLING", "MANAGING-DIRECTOR");
        assertThat(big).containsEntry("rule", 4).containsEntry("flagged", false);
        assertThat(steps(big).get(0)).containsEntry("step", 1).containsEntry("approver", "HEAD")
                .containsEntry("escalateTo", "DIRECTOR-PRODUCTION").containsEntry("deadline", "PT48H")
                .containsEntry("remindAfter", "PT24H");
        // the approver's own deadline beats the defaults
        assertThat(steps(big).get(1)).containsEntry("deadline", "PT24H").containsEntry("escalateTo", "CFO");
        assertThat(steps(big).get(2)).containsEntry("deadline", "PT72H");
        assertThat((String) big.get("stepsJson")).startsWith("[{\"step\":1,\"approver\":\"HEAD\"");
    }

    @Test
    void aDepartmentRuleOverridesAndItsDeadlineBeatsTheApprovers() {
        ApprovalMatrix matrix = new ApprovalMatrix(List.of(PROJECT_MATRIX), 0);
        Map<String, Object> repair = matrix.decide(request("MAINTENANCE", 1999, "EUR"));
        assertThat(repair).containsEntry("rule", 1);
        assertThat(steps(repair)).singleElement().satisfies(s -> assertThat(s)
                .containsEntry("group", "HEAD-MAINTENANCE").containsEntry("deadline", "PT8H")
                .containsEntry("remindAfter", "PT4H"));
        assertThat(matrix.decide(request("MAINTENANCE", 2000, "EUR"))).containsEntry("rule", 2);
    }

    @Test
    void aForeignCurrencyOrNoMatchTakesTheStrictestRuleFlagged() {
        ApprovalMatrix matrix = new ApprovalMatrix(List.of(PROJECT_MATRIX), 0);
        Map<String, Object> usd = matrix.decide(request("PRODUCTION", 100, "USD"));
        assertThat(usd).containsEntry("flagged", true).containsEntry("rule", 4);
        assertThat((String) usd.get("flagReason")).contains("USD");
        assertThat(groups(usd)).hasSize(3);

        Map<String, Object> noAmount = matrix.decide(Map.of("journey", "PURCHASE_REQUISITION", "department", "IT",
                "currency", "EUR"));
        assertThat(noAmount).containsEntry("flagged", true).containsEntry("rule", 4);

        assertThatThrownBy(() -> matrix.decide(Map.of("journey", "NO_SUCH_JOURNEY", "department", "IT", "amount", 1,
                "currency", "EUR")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("NO_SUCH_JOURNEY");
    }

    @Test
    void aBusinessTripIsTheHeadsBelow3000AndAlsoFinancesFromIt() {
        ApprovalMatrix matrix = new ApprovalMatrix(List.of(PROJECT_MATRIX), 0);
        Map<String, Object> small = matrix.decide(Map.of("journey", "BUSINESS_TRIP", "department", "SALES",
                "amount", 2999.99, "currency", "EUR"));
        assertThat(small).containsEntry("flagged", false);
        assertThat(groups(small)).containsExactly("HEAD-SALES");
        Map<String, Object> large = matrix.decide(Map.of("journey", "BUSINESS_TRIP", "department", "SALES",
                "amount", 3000, "currency", "EUR"));
        assertThat(groups(large)).containsExactly("HEAD-SALES", "FINANCE-CONTROLLING");
    }

    @Test
    void extraFilesAddRulesTriedFirst() throws IOException {
        Path extra = dir.resolve("fast.yaml");
        Files.writeString(extra, """
                rules:
                  - {journey: PURCHASE_REQUISITION, department: TEST-FAST, steps: [HEAD], remindAfter: PT1S, deadline: PT3S}
                """);
        ApprovalMatrix matrix = new ApprovalMatrix(List.of(PROJECT_MATRIX, extra), 0);
        Map<String, Object> fast = matrix.decide(request("TEST-FAST", 100000, "EUR"));
        assertThat(fast).containsEntry("rule", 1).containsEntry("flagged", false);
        assertThat(steps(fast)).singleElement().satisfies(s -> assertThat(s).containsEntry("group", "HEAD-TEST-FAST")
                .containsEntry("escalateTo", "DIRECTOR-TEST-FAST").containsEntry("deadline", "PT3S")
                .containsEntry("remindAfter", "PT1S"));
        // the main file's rules follow, numbered after the extra ones
        assertThat(matrix.decide(request("PRODUCTION", 100, "EUR"))).containsEntry("rule", 3);

        Files.writeString(extra, "currency: USD\nrules: []\n");
        assertThatThrownBy(() -> new ApprovalMatrix(List.of(PROJECT_MATRIX, extra), 0))
                .hasMessageContaining("only the main matrix");
    }

    @Test
    void aBrokenEditIsRefusedAndTheLastGoodVersionStays() throws IOException {
        Path file = dir.resolve("matrix.yaml");
        String good = """
                currency: EUR
                defaults: {deadline: P2D, remindAfter: P1D}
                approvers:
                  HEAD: {group: "HEAD-{department}", escalateTo: "DIRECTOR-{department}"}
                rules:
                  - {journey: PURCHASE_REQUISITION, steps: [HEAD]}
                """;
        Files.writeString(file, good);
        ApprovalMatrix matrix = new ApprovalMatrix(List.of(file), 0);
        assertThat(groups(matrix.decide(request("IT", 1, "EUR")))).containsExactly("HEAD-IT");

        edit(file, good.replace("steps: [HEAD]", "steps: [HEAD, BOARD]"), 5);
        assertThat(groups(matrix.decide(request("IT", 1, "EUR")))).containsExactly("HEAD-IT");

        edit(file, good.replace("steps: [HEAD]}", "steps: [HEAD], deadline: two days}"), 10);
        assertThat(groups(matrix.decide(request("IT", 1, "EUR")))).containsExactly("HEAD-IT");

        edit(file, good.replace("rules:", "rules:\n  - {journey: PURCHASE_REQUISITION, department: IT, steps: [HEAD], deadline: PT1H}"), 15);
        assertThat(steps(matrix.decide(request("IT", 1, "EUR"))).get(0)).containsEntry("deadline", "PT1H");
    }

    @Test
    void loadChecksNameWhatIsWrong() throws IOException {
        assertRefused("steps: [HEAD]", "steps: [BOARD]", "unknown approver 'BOARD'");
        assertRefused("steps: [HEAD]}", "steps: [HEAD], from: 5000, below: 5000}", "must be below");
        assertRefused("steps: [HEAD]", "steps: []", "at least one approver");
        assertRefused("deadline: P2D", "deadline: PT0S", "must be positive");
        assertRefused("\"HEAD-{department}\"", "\"HEAD-{division}\"", "unknown placeholder {division}");
        assertRefused("escalateTo: \"DIRECTOR-{department}\"", "escalateTo: \"DIRECTOR-{department\"", "group name");
        assertRefused("steps: [HEAD]}", "steps: [HEAD], amount: 5}", "unknown key 'amount'");
        assertRefused("currency: EUR", "currency: Euro", "ISO 4217");
    }

    private void assertRefused(String from, String to, String message) throws IOException {
        Path file = dir.resolve("bad.yaml");
        String good = """
                currency: EUR
                defaults: {deadline: P2D, remindAfter: P1D}
                approvers:
                  HEAD: {group: "HEAD-{department}", escalateTo: "DIRECTOR-{department}"}
                rules:
                  - {journey: PURCHASE_REQUISITION, steps: [HEAD]}
                """;
        assertThat(good).contains(from);
        Files.writeString(file, good.replace(from, to));
        assertThatThrownBy(() -> new ApprovalMatrix(List.of(file), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private static void edit(Path file, String text, int secondsLater) throws IOException {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
    }
}
