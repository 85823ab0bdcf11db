package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of port {@code crm.upsert-invoice-status} (adapters/crm/PORTS.md), run against every CRM adapter (the
 * sandbox). Each case calls the port as the payment status flow does, with the ERP's state of an invoice (its version
 * as sourceVersion), and looks at the CRM as sales and service would: the order's and the account's invoices on a day.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrmInvoicesPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @Autowired
    private CamelContext esb;

    private List<CrmInvoicesUnderTest> adapters;

    @BeforeAll
    void adapters() {
        adapters = List.of(new SandboxCrmInvoices(esb));
    }

    List<String> adapterNames() {
        return List.of("sandbox");
    }

    private CrmInvoicesUnderTest adapter(String name) {
        return adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anInvoiceIsWrittenOnceByVersionAndNeverGoesBack(String name) throws Exception {
        CrmInvoicesUnderTest crm = adapter(name);
        String order = "OPP-CI-" + suffix();
        String account = "ACC-CI-" + suffix();
        String no = "IN-CI-" + suffix();
        assertResult(crm.upsertInvoiceStatus(invoice(no, 2, "PARTLY_PAID", "1000", "400", order, account)), no, "APPLIED", 2);
        assertResult(crm.upsertInvoiceStatus(invoice(no, 2, "PARTLY_PAID", "1000", "400", order, account)), no, "DUPLICATE", 2);
        assertResult(crm.upsertInvoiceStatus(invoice(no, 1, "ISSUED", "1000", "0", order, account)), no, "ALREADY_NEWER", 1);
        CrmInvoicesUnderTest.Shown shown = crm.order(order, TODAY);
        assertThat(shown.paymentStatus()).isEqualTo("PARTLY_PAID");
        assertThat(shown.open()).isEqualByComparingTo("600");

        assertResult(crm.upsertInvoiceStatus(invoice(no, 3, "PAID", "1000", "1000", order, account)), no, "APPLIED", 3);
        assertThat(crm.order(order, TODAY).paymentStatus()).isEqualTo("PAID");
        assertThat(crm.account(account, TODAY).paymentStatus()).isEqualTo("PAID");
        assertThat(crm.account(account, TODAY).open()).isEqualByComparingTo("0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anInvoiceFallsDueOnTheDayAfterItsDueDateWithoutAnotherCall(String name) throws Exception {
        CrmInvoicesUnderTest crm = adapter(name);
        String order = "OPP-CI-" + suffix();
        String account = "ACC-CI-" + suffix();
        String no = "IN-CI-" + suffix();
        JsonNode result = crm.upsertInvoiceStatus(invoice(no, 1, "ISSUED", "800", "0", order, account));
        assertResult(result, no, "APPLIED", 1);
        assertThat(result.path("paymentStatus").asText()).isEqualTo("ISSUED");
        LocalDate due = TODAY.plusDays(30);
        assertThat(crm.order(order, due).paymentStatus()).isEqualTo("ISSUED");
        CrmInvoicesUnderTest.Shown after = crm.order(order, due.plusDays(1));
        assertThat(after.paymentStatus()).isEqualTo("OVERDUE");
        assertThat(after.overdue()).isEqualByComparingTo("800");
        assertThat(crm.account(account, due.plusDays(1)).paymentStatus()).isEqualTo("OVERDUE");
        assertThat(crm.order("OPP-CI-" + suffix(), TODAY).paymentStatus()).isEqualTo("NOT_INVOICED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aCancelledInvoiceOwesNothingBesideAnOpenOne(String name) throws Exception {
        CrmInvoicesUnderTest crm = adapter(name);
        String order = "OPP-CI-" + suffix();
        String account = "ACC-CI-" + suffix();
        String first = "IN-CI-" + suffix();
        String second = "IN-CI-" + suffix();
        crm.upsertInvoiceStatus(invoice(first, 1, "ISSUED", "500", "0", order, account));
        assertResult(crm.upsertInvoiceStatus(invoice(first, 2, "CANCELLED", "500", "0", order, account)), first, "APPLIED", 2);
        assertThat(crm.order(order, TODAY.plusYears(1)).paymentStatus()).as("cancelled is never overdue").isEqualTo("CANCELLED");
        crm.upsertInvoiceStatus(invoice(second, 1, "ISSUED", "480", "0", order, account));
        CrmInvoicesUnderTest.Shown both = crm.order(order, TODAY);
        assertThat(both.paymentStatus()).isEqualTo("ISSUED");
        assertThat(both.open()).isEqualByComparingTo("480");
        assertThat(both.invoices()).isEqualTo(2);
    }

    // --- helpers

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
    }

    /** The ERP's state of an invoice issued today, due in 30 days, as the payment status flow hands it to the port. */
    private static String invoice(String no, long version, String status, String total, String paid, String order,
                                  String account) throws Exception {
        BigDecimal open = "CANCELLED".equals(status) ? BigDecimal.ZERO : new BigDecimal(total).subtract(new BigDecimal(paid));
        ObjectNode invoice = JSON.createObjectNode();
        invoice.put("schemaVersion", 1);
        invoice.put("invoiceId", no);
        invoice.put("source", "erp");
        invoice.put("sourceVersion", version);
        invoice.put("changedAt", "2026-11-20T09:15:02.000Z");
        invoice.put("status", status);
        invoice.put("currency", "EUR");
        invoice.put("totalAmount", new BigDecimal(total));
        invoice.put("paidAmount", new BigDecimal(paid));
        invoice.put("openAmount", open);
        invoice.put("issuedOn", TODAY.toString());
        invoice.put("dueDate", TODAY.plusDays(30).toString());
        invoice.put("crmOrderRef", order);
        invoice.put("erpOrderNo", "SO-" + no);
        invoice.putObject("customer").put("customerNo", account).put("crmAccountRef", account);
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.INVOICE), invoice)).isEmpty();
        return JSON.writeValueAsString(invoice);
    }

    private static void assertResult(JsonNode result, String no, String outcome, long version) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/crm/invoice-status-result.schema.json")), result))
                .isEmpty();
        assertThat(result.path("invoiceId").asText()).isEqualTo(no);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
        assertThat(result.path("erpVersion").asLong()).isEqualTo(version);
    }
}
