package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.realsystems.RealSystemsIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The payment status with the ERP switched to a real Tryton by configuration only: an opportunity won in the CRM
 * becomes a Tryton sale through the order handoff; accounting invoices it in Tryton and books two payments with the
 * invoice's Pay wizard; sales see the invoice on the CRM opportunity and account, issued, partly paid, then paid - all
 * polled from Tryton through port erp.invoices-since, nothing read from the sandbox ERP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaymentStatusOnRealSystemsIT extends RealSystemsIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);

    /** What accounting does in Tryton (its own connection, not through the ESB). */
    private TrytonErp tryton;

    @BeforeAll
    void tryton() throws Exception {
        tryton = TrytonErp.startTrytonIfAvailable().orElseThrow();
    }

    @AfterAll
    void stopTryton() {
        tryton.close();
    }

    @Test
    void anInvoiceOfAWonOpportunityPaidInTwoPartsInTrytonShowsOnTheCrmOpportunityAndAccount() throws Exception {
        String id = "OPP-RSP" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        sandbox.createOpportunity(id);
        sandbox.win(id);
        await().atMost(FLOW_TIMEOUT).until(() -> tryton.ordersWithReference(id) == 1);

        String invoice = tryton.invoiceSale(id, LocalDate.now(), LocalDate.now().plusDays(30));
        JsonNode issued = awaitOpportunity(id, o -> "ISSUED".equals(o.path("payment_status").asText()));
        assertThat(issued.path("invoices").get(0).path("invoice_no").asText()).isEqualTo(invoice);
        assertThat(total(issued, "invoiced")).isEqualByComparingTo("1234.50");
        assertThat(total(issued, "open")).isEqualByComparingTo("1234.50");

        tryton.pay(invoice, "234.50");
        JsonNode partly = awaitOpportunity(id, o -> "PARTLY_PAID".equals(o.path("payment_status").asText()));
        assertThat(total(partly, "paid")).isEqualByComparingTo("234.50");
        assertThat(total(partly, "open")).isEqualByComparingTo("1000");

        long booked = System.nanoTime();
        tryton.pay(invoice, "1000.00");
        JsonNode paid = awaitOpportunity(id, o -> "PAID".equals(o.path("payment_status").asText()));
        assertThat(total(paid, "open")).isEqualByComparingTo("0");
        System.out.printf("payment status on Tryton: invoice %s paid in Tryton, PAID on the CRM opportunity %d ms later%n",
                invoice, (System.nanoTime() - booked) / 1_000_000);

        // the CRM account of the opportunity (the Tryton party's identifier) shows it too
        JsonNode onAccount = sandbox.http().get().uri("/sandbox/crm/api/accounts/{a}/invoices", "ACC-204").retrieve()
                .body(JsonNode.class);
        JsonNode listed = null;
        for (JsonNode i : onAccount.path("invoices")) {
            if (invoice.equals(i.path("invoice_no").asText())) {
                listed = i;
            }
        }
        assertThat(listed).as("invoice %s on account ACC-204: %s", invoice, onAccount).isNotNull();
        assertThat(listed.path("payment_status").asText()).isEqualTo("PAID");
        assertThat(listed.path("opportunity_id").asText()).isEqualTo(id);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.inv_hdr WHERE inv_no = ?", Integer.class, invoice))
                .as("nothing of it in the sandbox ERP").isZero();
    }

    private JsonNode awaitOpportunity(String id, Predicate<JsonNode> wanted) {
        return await().atMost(FLOW_TIMEOUT).until(() -> sandbox.http().get()
                .uri("/sandbox/crm/api/opportunities/{o}/invoices", id).retrieve().body(JsonNode.class), wanted);
    }

    /** One of the EUR totals of an opportunity's invoices (0 when there are none). */
    private static BigDecimal total(JsonNode invoices, String which) {
        for (JsonNode t : invoices.path("totals")) {
            if ("EUR".equals(t.path("currency").asText())) {
                return t.path(which).decimalValue();
            }
        }
        return BigDecimal.ZERO;
    }
}
