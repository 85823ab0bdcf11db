package io.conduit.esb.support;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadMaskTest {

    private final PayloadMask mask = new PayloadMask(List.of("email", "fullName", "salary", "iban"), 200);

    @Test
    void masksConfiguredFieldsAtAnyDepthWhateverTheirType() {
        String masked = mask.apply("""
                {"employeeId":"E-1","fullName":"Anna \\"Ann\\" Schmidt","contact":{"email":"anna@example.com"},
                 "salary": 5200.50, "iban":"DE89 3704", "department":"SALES"}""");
        assertThat(masked).contains("\"employeeId\":\"E-1\"", "\"department\":\"SALES\"")
                .contains("\"fullName\":\"***\"", "\"email\":\"***\"", "\"salary\": \"***\"", "\"iban\":\"***\"")
                .doesNotContain("Schmidt", "anna@", "5200");
    }

    @Test
    void masksConfiguredFieldsInKeyValueText() {
        assertThat(mask.apply("{user={emp_no=E-1, fullName=Anna Schmidt, salary=5200}, roles=[]}"))
                .isEqualTo("{user={emp_no=E-1, fullName=***, salary=***}, roles=[]}");
    }

    @Test
    void masksEmailAddressesInFreeText() {
        assertThat(mask.apply("mail to bob.builder@example.com failed")).isEqualTo("mail to b***@example.com failed");
    }

    @Test
    void truncatesLongPayloads() {
        String masked = mask.apply("x".repeat(250));
        assertThat(masked).startsWith("x".repeat(200)).endsWith("...[50 more chars]");
        assertThat(mask.apply(null)).isNull();
    }
}
