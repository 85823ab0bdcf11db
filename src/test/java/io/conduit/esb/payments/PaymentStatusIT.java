package io.conduit.esb.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.support.EsbIntegrationTest;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The payment status flow (routes/payment-status.camel.yaml) on the sandbox ERP and CRM, driven as their users would
 * drive them: accounting issues invoices for sales orders, books payments and cancels in the ERP; sales and service
 * read the CRM's order and account. Asserted in the CRM's own API (the order's and the account's invoices, on a given
 * day) and in the ESB's state of the invoice.
 */
class PaymentStatusIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext camel;

    @Test
    void anInvoiceIssuedThenPaidInPartsShowsOnTheOrderAndTheAccount() {
        String order = crmOrder();
        String account = account();
        String invoice = issue(salesOrder(order, account), "1000.00", LocalDate.now(), LocalDate.now().plusDays(30));

        JsonNode issued = awaitOrder(order, o -> "ISSUED".equals(o.path("payment_status").asText()));
        assertThat(issued.path("invoices").get(0).path("invoice_no").asText()).isEqualTo(invoice);
        assertThat(total(issued, "open")).isEqualByComparingTo("1000");
        assertThat(total(issued, "invoiced")).isEqualByComparingTo("1000");

        pay(invoice, "400.00");
        JsonNode partly = awaitOrder(order, o -> "PARTLY_PAID".equals(o.path("payment_status").asText()));
        assertThat(total(partly, "paid")).isEqualByComparingTo("400");
        assertThat(total(partly, "open")).isEqualByComparingTo("600");
        assertThat(partly.path("invoices").get(0).path("payment_status").asText()).isEqualTo("PARTLY_PAID");

        pay(invoice, "600.00");
        JsonNode paid = awaitOrder(order, o -> "PAID".equals(o.path("payment_status").asText()));
        assertThat(total(paid, "open")).isEqualByComparingTo("0");
        // paid stays paid after its due date
        assertThat(orderInvoices(order, LocalDate.now().plusDays(60)).path("payment_status").asText()).isEqualTo("PAID");

        // the account shows it too
        JsonNode onAccount = sandbox.http().get().uri("/sandbox/crm/api/accounts/{a}/invoices", account).retrieve()
                .body(JsonNode.class);
        assertThat(onAccount.path("payment_status").asText()).isEqualTo("PAID");
        assertThat(onAccount.path("invoices").get(0).path("opportunity_id").asText()).isEqualTo(order);
        await().atMost(FLOW_TIMEOUT).until(() -> "APPLIED".equals(jdbc.queryForObject(
                "SELECT outcome FROM esb.payment_status WHERE invoice_id = ? AND delivered_version = version",
                String.class, invoice)));
        // the journal has the invoice's journey by its number and by the CRM order
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(viewer().get()
                .uri("/api/v1/ops/journal/journey?key={k}", invoice).retrieve().body(String.class))
                .contains("payment-status.upsert-invoice-status"));
    }

    @Test
    void moneyOpenAfterTheDueDateIsOverdueAtCaptureAndOnTheDayItFallsDueWithoutAnErpChange() {
        String order = crmOrder();
        String salesOrder = salesOrder(order, account());
        LocalDate today = LocalDate.now();
        // issued 40 days ago, due 10 days ago, partly paid: overdue when captured
        String late = issue(salesOrder, "500.00", today.minusDays(40), today.minusDays(10));
        pay(late, "100.00");
        JsonNode overdue = awaitOrder(order, o -> "OVERDUE".equals(o.path("payment_status").asText())
                && total(o, "paid").compareTo(new BigDecimal("100")) == 0);
        assertThat(total(overdue, "overdue")).isEqualByComparingTo("400");
        await().atMost(FLOW_TIMEOUT).until(() -> "OVERDUE".equals(jdbc.queryForObject(
                "SELECT state ->> 'status' FROM esb.payment_status WHERE invoice_id = ?", String.class, late)));

        // a second invoice, due in 5 days: issued today, overdue on the sixth day, with no ERP change and no write
        String soon = issue(salesOrder, "200.00", today, today.plusDays(5));
        JsonNode shown = await().atMost(FLOW_TIMEOUT).ignoreExceptions().until(() -> crmInvoice(soon, null),
                i -> i.hasNonNull("invoice_no"));
        assertThat(shown.path("payment_status").asText()).isEqualTo("ISSUED");
        assertThat(crmInvoice(soon, today.plusDays(5)).path("payment_status").asText()).isEqualTo("ISSUED");
        JsonNode dayAfter = crmInvoice(soon, today.plusDays(6));
        assertThat(dayAfter.path("payment_status").asText()).isEqualTo("OVERDUE");
        assertThat(dayAfter.path("erp_version").asLong()).isEqualTo(shown.path("erp_version").asLong());
        assertThat(dayAfter.path("update_count").asInt()).isEqualTo(1);
        assertThat(total(orderInvoices(order, today.plusDays(6)), "overdue")).isEqualByComparingTo("600");

        // paid in full after the due date: paid, not overdue
        pay(late, "400.00");
        awaitOrder(order, o -> o.path("invoices").get(0).path("payment_status").asText().equals("PAID"));
    }

    @Test
    void aCancelledInvoiceShowsCancelledAndOwesNothing() {
        String order = crmOrder();
        String invoice = issue(salesOrder(order, account()), "750.00", LocalDate.now().minusDays(40), LocalDate.now().minusDays(10));
        awaitOrder(order, o -> "OVERDUE".equals(o.path("payment_status").asText()));
        sandbox.http().post().uri("/sandbox/erp/invoices/{i}/cancel", invoice).retrieve().toBodilessEntity();
        JsonNode cancelled = awaitOrder(order, o -> "CANCELLED".equals(o.path("payment_status").asText()));
        assertThat(cancelled.path("invoices").get(0).path("open_amount").decimalValue()).isEqualByComparingTo("0");
        assertThat(cancelled.path("totals").size()).as("a cancelled invoice counts nowhere").isZero();
    }

    @Test
    void anOlderVersionNeverOverwritesANewerOne() throws Exception {
        String order = crmOrder();
        String invoice = issue(salesOrder(order, account()), "300.00", LocalDate.now(), LocalDate.now().plusDays(14));
        awaitOrder(order, o -> "ISSUED".equals(o.path("payment_status").asText()));
        String version1 = await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForObject(
                "SELECT CAST(state AS text) FROM esb.payment_status WHERE invoice_id = ?", String.class, invoice), s -> s != null);
        pay(invoice, "100.00");
        pay(invoice, "50.00");
        JsonNode latest = awaitOrder(order, o -> total(o, "paid").compareTo(new BigDecimal("150")) == 0);
        long newest = latest.path("invoices").get(0).path("erp_version").asLong();

        // a late event carrying version 1 (a redelivery, a replay) on the flow's topic: coalesced, nothing sent
        ProducerTemplate producer = camel.createProducerTemplate();
        producer.sendBodyAndHeaders("kafka:{{esb.topics.names.invoices}}", version1,
                Map.of("kafka.KEY", invoice, "ce_subject", invoice, "ce_type", "io.conduit.invoice.changed"));
        // the same old state handed to the CRM port the flow's way (versioned): superseded, not sent
        Object answer = producer.requestBody("versioned:crm.upsert-invoice-status?key=" + invoice + "&version=1", version1);
        assertThat(answer == null ? "" : answer.toString()).doesNotContain("APPLIED");
        // and straight to the port: the CRM itself refuses to go back
        JsonNode stale = JSON.readTree(producer.requestBody("direct:crm.upsert-invoice-status", version1, String.class));
        assertThat(stale.path("outcome").asText()).isEqualTo("ALREADY_NEWER");

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode shown = crmInvoice(invoice, null);
            assertThat(shown.path("paid_amount").decimalValue()).isEqualByComparingTo("150");
            assertThat(shown.path("payment_status").asText()).isEqualTo("PARTLY_PAID");
            assertThat(shown.path("erp_version").asLong()).isEqualTo(newest);
        });
        assertThat(jdbc.queryForObject("SELECT version FROM esb.payment_status WHERE invoice_id = ?", Long.class, invoice))
                .isEqualTo(newest);
    }

    @Test
    void theCrmDownThenBackGetsThePaymentOnceItIsBack() {
        String order = crmOrder();
        String invoice = issue(salesOrder(order, account()), "900.00", LocalDate.now(), LocalDate.now().plusDays(30));
        awaitOrder(order, o -> "ISSUED".equals(o.path("payment_status").asText()));
        int writes = crmInvoice(invoice, null).path("update_count").asInt();

        sandbox.setFault("crm", "down", 0, 0);
        try {
            pay(invoice, "900.00");
            // the CRM call fails, is redelivered, then waits in the retry lane and is parked when it still fails
            await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM esb.parked_message WHERE flow = 'payment-status' AND business_key = ? AND status = 'PARKED'",
                    Integer.class, invoice) > 0);
            assertThat(jdbc.queryForObject("SELECT delivered_version < version FROM esb.payment_status WHERE invoice_id = ?",
                    Boolean.class, invoice)).as("the payment not given to the CRM yet").isTrue();
        } finally {
            sandbox.setFault("crm", "normal", 0, 0);
        }

        // no further change: the resync publishes the state the CRM has not got again
        JsonNode paid = awaitOrder(order, o -> "PAID".equals(o.path("payment_status").asText()));
        assertThat(total(paid, "open")).isEqualByComparingTo("0");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM esb.parked_message WHERE flow = 'payment-status' AND business_key = ? AND status = 'PARKED'",
                Integer.class, invoice)).isZero());
        // delivered once: one more write than before the outage
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(crmInvoice(invoice, null).path("update_count").asInt()).isEqualTo(writes + 1));
    }

    // --- the systems, as their users use them

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
    }

    private static String crmOrder() {
        return "OPP-PS-" + suffix();
    }

    private static String account() {
        return "ACC-PS-" + suffix();
    }

    /** The ERP's sales order of a CRM order (as the order handoff stages it); its number. */
    private String salesOrder(String crmOrder, String account) {
        return jdbc.queryForObject("""
                INSERT INTO erp.so_stage_hdr (ext_ref, ext_rev, src_sys, cust_no, ord_date, curr_cd, tot_amt, stat_cd)
                VALUES (?, 1, 'CRM', ?, current_date, 'EUR', 1000, 'DLV') RETURNING so_no""", String.class, crmOrder, account);
    }

    private String issue(String salesOrder, String total, LocalDate invoiceDate, LocalDate dueDate) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("salesOrderNo", salesOrder);
        body.put("total", new BigDecimal(total));
        body.put("invoiceDate", invoiceDate.toString());
        body.put("dueDate", dueDate.toString());
        return sandbox.http().post().uri("/sandbox/erp/invoices").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class).path("inv_no").asText();
    }

    private void pay(String invoice, String amount) {
        sandbox.http().post().uri("/sandbox/erp/invoices/{i}/payments", invoice).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("amount", new BigDecimal(amount))).retrieve().toBodilessEntity();
    }

    private JsonNode orderInvoices(String order, LocalDate on) {
        return on == null
                ? sandbox.http().get().uri("/sandbox/crm/api/opportunities/{o}/invoices", order).retrieve().body(JsonNode.class)
                : sandbox.http().get().uri("/sandbox/crm/api/opportunities/{o}/invoices?on={d}", order, on).retrieve().body(JsonNode.class);
    }

    private JsonNode awaitOrder(String order, Predicate<JsonNode> wanted) {
        return await().atMost(FLOW_TIMEOUT).until(() -> orderInvoices(order, null), wanted);
    }

    private JsonNode crmInvoice(String invoice, LocalDate on) {
        return on == null
                ? sandbox.http().get().uri("/sandbox/crm/api/invoices/{i}", invoice).retrieve().body(JsonNode.class)
                : sandbox.http().get().uri("/sandbox/crm/api/invoices/{i}?on={d}", invoice, on).retrieve().body(JsonNode.class);
    }

    /** One of the EUR totals of an order's or account's invoices (0 when there are none). */
    private static BigDecimal total(JsonNode invoices, String which) {
        for (JsonNode t : invoices.path("totals")) {
            if ("EUR".equals(t.path("currency").asText())) {
                return t.path(which).decimalValue();
            }
        }
        return BigDecimal.ZERO;
    }
}
