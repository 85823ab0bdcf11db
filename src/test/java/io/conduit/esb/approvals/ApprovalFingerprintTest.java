package io.conduit.esb.approvals;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fingerprint changes exactly when what the approvers see changes. */
class ApprovalFingerprintTest {

    private final ApprovalFingerprint fingerprint = new ApprovalFingerprint();

    private static Map<String, Object> request(Object quantity, Object remaining) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("itemId", "P-1600");
        item.put("unit", "PCS");
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("requisitionNo", "PR0000001");
        subject.put("item", item);
        subject.put("quantity", quantity);
        subject.put("unitPrice", new BigDecimal("7500.00"));
        subject.put("suggestedSupplier", null);
        subject.put("tags", List.of("a", "b"));
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("requestId", "PR0000001");
        request.put("journey", "PURCHASE_REQUISITION");
        request.put("sourceVersion", 1);
        request.put("status", "PENDING");
        request.put("department", "PRODUCTION");
        request.put("amount", 60000.0);
        request.put("currency", "EUR");
        request.put("subject", subject);
        request.put("context", Map.of("remainingBudget", remaining));
        request.put("changedAt", "2026-12-01T08:00:00Z");
        return request;
    }

    @Test
    void isSha256HexAndIgnoresKeyOrder() {
        Map<String, Object> a = request(8, 100);
        Map<String, Object> reversed = new LinkedHashMap<>();
        List<String> keys = List.copyOf(a.keySet());
        for (int i = keys.size() - 1; i >= 0; i--) {
            reversed.put(keys.get(i), a.get(keys.get(i)));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> subject = (Map<String, Object>) reversed.get("subject");
        Map<String, Object> subjectReversed = new LinkedHashMap<>();
        List<String> subjectKeys = List.copyOf(subject.keySet());
        for (int i = subjectKeys.size() - 1; i >= 0; i--) {
            subjectReversed.put(subjectKeys.get(i), subject.get(subjectKeys.get(i)));
        }
        reversed.put("subject", subjectReversed);

        assertThat(fingerprint.of(a)).matches("[0-9a-f]{64}").isEqualTo(fingerprint.of(reversed));
    }

    @Test
    void numbersCompareByValue() {
        assertThat(fingerprint.of(request(10, 1))).isEqualTo(fingerprint.of(request(10.0, 1)))
                .isEqualTo(fingerprint.of(request(new BigDecimal("10.000"), 1)))
                .isEqualTo(fingerprint.of(request(10L, 1)));
        assertThat(fingerprint.of(request(10, 1))).isNotEqualTo(fingerprint.of(request(10.5, 1)));
    }

    @Test
    void contextAndMetadataAreLeftOutButTheSubjectCounts() {
        Map<String, Object> base = request(8, 440000);
        Map<String, Object> otherBudgetAndTime = request(8, 1);
        otherBudgetAndTime.put("changedAt", "2026-12-02T08:00:00Z");
        otherBudgetAndTime.put("sourceVersion", 2);
        otherBudgetAndTime.put("status", "WITHDRAWN");
        assertThat(fingerprint.of(base)).isEqualTo(fingerprint.of(otherBudgetAndTime));

        Map<String, Object> otherDepartment = request(8, 440000);
        otherDepartment.put("department", "IT");
        assertThat(fingerprint.of(otherDepartment)).isNotEqualTo(fingerprint.of(base));
        assertThat(fingerprint.of(request(9, 440000))).isNotEqualTo(fingerprint.of(base));
    }

    @Test
    void canonicalJsonEscapesTextAndKeepsNulls() {
        StringBuilder out = new StringBuilder();
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("b", "say \"hi\"\n");
        value.put("a", null);
        value.put("c", List.of(new BigDecimal("1.50"), true));
        ApprovalFingerprint.write(value, out);
        assertThat(out).hasToString("{\"a\":null,\"b\":\"say \\\"hi\\\"\\u000a\",\"c\":[1.5,true]}");
    }
}
