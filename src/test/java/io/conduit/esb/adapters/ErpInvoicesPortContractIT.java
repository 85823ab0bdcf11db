package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of port {@code erp.invoices-since} (adapters/erp/PORTS.md), run against every ERP adapter that
 * implements it: the sandbox (always) and a real Tryton when ops/real-systems/start.sh has started one (required in CI).
 * Each case does in the ERP what accounting would (invoice a sales order of a CRM order, book payments, cancel) and
 * reads the capture with the watermark of the previous answer, as the payment status flow does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErpInvoicesPortContractIT extends EsbIntegrationTest {

    @Autowired
    private CamelContext esb;

    private final List<ErpInvoicesUnderTest> adapters = new ArrayList<>();
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        // the payment status flow would carry the test's invoices to the CRM: its capture is stopped while the port is
        // driven by hand
        esb.getRouteController().stopRoute("payment-status.poller");
        adapters.add(new SandboxErp(esb, jdbc));
        TrytonErp.startTrytonIfAvailable().ifPresent(erp -> {
            adapters.add(erp);
            started.add(erp);
        });
    }

    @AfterAll
    void restartCapture() throws Exception {
        for (AutoCloseable erp : started) {
            erp.close();
        }
        esb.getRouteController().startRoute("payment-status.poller");
    }

    List<String> adapterNames() {
        return List.of("sandbox", "tryton");
    }

    private ErpInvoicesUnderTest adapter(String name) {
        ErpInvoicesUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "ERP adapter '" + name + "' skipped: " + TrytonErp.whyNotAvailable());
        String why = found.whyNoInvoices();
        if (why != null && "required".equals(System.getenv("CONDUIT_REAL_SYSTEMS"))) {
            throw new IllegalStateException("CONDUIT_REAL_SYSTEMS=required but " + why);
        }
        Assumptions.assumeTrue(why == null, () -> "ERP adapter '" + name + "' invoice cases skipped: " + why);
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anInvoiceIsReportedIssuedThenAgainWithAHigherVersionForEachPaymentUntilPaid(String name) throws Exception {
        ErpInvoicesUnderTest erp = adapter(name);
        CapturePoll poll = invoices(erp, caughtUp(erp));
        String order = "OPP-IC-" + suffix();
        String account = "ACC-IC-" + suffix();
        String invoice = erp.issueInvoice(order, account, "1000.00", LocalDate.now(), LocalDate.now().plusDays(30));

        JsonNode issued = poll.until(invoice, i -> true);
        assertInvoice(issued);
        assertThat(issued.path("status").asText()).isEqualTo("ISSUED");
        assertThat(issued.path("totalAmount").decimalValue()).isEqualByComparingTo("1000");
        assertThat(issued.path("openAmount").decimalValue()).isEqualByComparingTo("1000");
        assertThat(issued.path("currency").asText()).isEqualTo("EUR");
        assertThat(issued.path("crmOrderRef").asText()).isEqualTo(order);
        assertThat(issued.path("customer").path("crmAccountRef").asText()).isEqualTo(account);
        assertThat(issued.path("dueDate").asText()).isEqualTo(LocalDate.now().plusDays(30).toString());

        erp.pay(invoice, "250.00");
        JsonNode partly = poll.until(invoice, i -> "PARTLY_PAID".equals(i.path("status").asText()));
        assertInvoice(partly);
        assertThat(partly.path("paidAmount").decimalValue()).isEqualByComparingTo("250");
        assertThat(partly.path("openAmount").decimalValue()).isEqualByComparingTo("750");
        assertThat(partly.path("sourceVersion").asLong()).as("a later state has a higher version")
                .isGreaterThan(issued.path("sourceVersion").asLong());

        erp.pay(invoice, "750.00");
        JsonNode paid = poll.until(invoice, i -> "PAID".equals(i.path("status").asText()));
        assertThat(paid.path("openAmount").decimalValue()).isEqualByComparingTo("0");
        assertThat(paid.path("sourceVersion").asLong()).isGreaterThan(partly.path("sourceVersion").asLong());
        long reported = poll.reported(invoice);
        poll.next();
        poll.next();
        assertThat(poll.reported(invoice)).as("not again with the new watermark").isEqualTo(reported);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void moneyOpenAfterTheDueDateIsReportedOverdueAndACancelledInvoiceOwesNothing(String name) throws Exception {
        ErpInvoicesUnderTest erp = adapter(name);
        CapturePoll poll = invoices(erp, caughtUp(erp));
        String late = erp.issueInvoice("OPP-IC-" + suffix(), "ACC-IC-" + suffix(), "400.00",
                LocalDate.now().minusDays(40), LocalDate.now().minusDays(10));
        JsonNode overdue = poll.until(late, i -> true);
        assertInvoice(overdue);
        assertThat(overdue.path("status").asText()).isEqualTo("OVERDUE");
        assertThat(overdue.path("openAmount").decimalValue()).isEqualByComparingTo("400");

        erp.cancel(late);
        JsonNode cancelled = poll.until(late, i -> "CANCELLED".equals(i.path("status").asText()));
        assertInvoice(cancelled);
        assertThat(cancelled.path("openAmount").decimalValue()).isEqualByComparingTo("0");
        assertThat(cancelled.path("totalAmount").decimalValue()).isEqualByComparingTo("400");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void theSameWatermarkAgainAnswersTheSameInvoiceWithoutSideEffects(String name) throws Exception {
        ErpInvoicesUnderTest erp = adapter(name);
        String watermark = caughtUp(erp);
        String invoice = erp.issueInvoice("OPP-IC-" + suffix(), "ACC-IC-" + suffix(), "120.00", LocalDate.now(),
                LocalDate.now().plusDays(14));
        JsonNode first = new CapturePoll(erp::invoicesSince, "invoices", "invoiceId",
                ErpInvoicesPortContractIT::assertChanges, watermark).until(invoice, i -> true);
        JsonNode again = erp.invoicesSince(watermark);
        assertChanges(again);
        JsonNode repeated = null;
        for (JsonNode i : again.path("invoices")) {
            if (invoice.equals(i.path("invoiceId").asText())) {
                repeated = i;
            }
        }
        assertThat(repeated).as("asked again from the same watermark").isNotNull();
        assertThat(repeated.path("sourceVersion").asLong()).isEqualTo(first.path("sourceVersion").asLong());
        assertThat(repeated.path("status").asText()).isEqualTo("ISSUED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void theErpAwayIsRetryable(String name) throws Exception {
        ErpInvoicesUnderTest erp = adapter(name);
        String watermark = caughtUp(erp);
        Throwable capture = erp.whileInvoicesDown(() -> catchThrowable(() -> erp.invoicesSince(watermark)));
        assertThat(capture).isNotNull();
        assertThat(rootOf(capture)).isNotInstanceOf(NotRetryableException.class);
    }

    // --- helpers

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
    }

    private static void assertInvoice(JsonNode invoice) {
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.INVOICE), invoice)).isEmpty();
    }

    private static void assertChanges(JsonNode result) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/erp/invoice-changes.schema.json")), result)).isEmpty();
        Set<String> seen = new HashSet<>();
        result.path("invoices").forEach(i -> assertThat(seen.add(i.path("invoiceId").asText()))
                .as("each invoice at most once per answer: " + i.path("invoiceId").asText()).isTrue());
    }

    /** A watermark after everything the ERP holds now (other tests' invoices are read past once). */
    private static String caughtUp(ErpInvoicesUnderTest erp) throws Exception {
        JsonNode result = erp.invoicesSince(null);
        assertChanges(result);
        return result.path("watermark").isNull() ? null : result.path("watermark").asText();
    }

    private static CapturePoll invoices(ErpInvoicesUnderTest erp, String watermark) {
        return new CapturePoll(erp::invoicesSince, "invoices", "invoiceId", ErpInvoicesPortContractIT::assertChanges, watermark);
    }

    private static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }
}
