package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.TaxIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a real Tryton, the ports that make parties at the same instant: the order handoff's sales order for a CRM account
 * Tryton does not know yet (it makes the party) and the customer master's upsert of that account (it looks the party up
 * by the account and the tax id, and makes it when missing) - and the supplier master's vendor with the customer's tax
 * id. Each looks up, then creates, in separate Tryton calls; run together they both found nothing and both created
 * (two parties for one account). They take turns now (bean keyedLocks, the ports' "-in-turn" routes): one party each.
 * <p>
 * One pair at a time: parties of different accounts made at the same instant collide on the test Tryton's party code
 * (SQLite has no database sequence: two transactions take the same next code and one is refused, "The code on party
 * must be unique"); that is the test Tryton's, not what this test is about.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrytonPartiesInTurnIT {

    private static final int PAIRS = 6;

    private TrytonErp tryton;

    @BeforeAll
    void tryton() throws Exception {
        tryton = TrytonErp.startTrytonIfAvailable().orElse(null);
        Assumptions.assumeTrue(tryton != null, TrytonErp::whyNotAvailable);
        assertThat(tryton.whyNoCustomers()).isNull();
        assertThat(tryton.whyNoVendors()).isNull();
    }

    @AfterAll
    void close() {
        if (tryton != null) {
            tryton.close();
        }
    }

    @Test
    void anOrderAndItsAccountArrivingAtOnceMakeOnePartyNotTwo() throws Exception {
        List<String> accounts = new ArrayList<>();
        List<String> taxIds = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            String account = "CT-IT" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
            String tax = TaxIds.germanVat();
            accounts.add(account);
            taxIds.add(tax);
            String order = ErpPortContractIT.order("OPP-IT" + account.substring(5), 1, "1")
                    .replace("\"ACC-TCK-1\"", "\"" + account + "\"");
            String customer = ErpCustomerPortContractIT.crmState(account, 1, "In Turn " + account + " GmbH", tax,
                    "Bremen", true, null);
            runAtOnce(List.of(() -> tryton.upsert(order), () -> tryton.upsertCustomer(customer)));
        }

        for (int i = 0; i < PAIRS; i++) {
            assertThat(tryton.customersOfAccount(accounts.get(i))).as("parties of account %s", accounts.get(i)).isEqualTo(1);
            assertThat(tryton.customersWithTaxId(taxIds.get(i))).as("parties with tax id %s", taxIds.get(i)).isEqualTo(1);
        }
    }

    @Test
    void aCustomerAndASupplierOfOneTaxIdArrivingAtOnceMakeOnePartyNotTwo() throws Exception {
        List<String> taxIds = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            String suffix = UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
            String tax = TaxIds.germanVat();
            taxIds.add(tax);
            String customer = ErpCustomerPortContractIT.crmState("CT-IC" + suffix, 1, "Both Ways " + suffix + " AG",
                    tax, "Kiel", true, null);
            String supplier = ErpVendorPortContractIT.crmState("SUP-IT" + suffix, 1, "Both Ways " + suffix + " AG", tax, 4,
                    "Kiel", true, null);
            runAtOnce(List.of(() -> tryton.upsertCustomer(customer), () -> tryton.upsertVendor(supplier)));
        }

        for (String tax : taxIds) {
            assertThat(tryton.customersWithTaxId(tax)).as("parties with tax id %s", tax).isEqualTo(1);
        }
    }

    /** Every call started together; each must have answered (a call that failed fails the test with its cause). */
    private static void runAtOnce(List<Callable<JsonNode>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (Callable<JsonNode> call : calls) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            for (Future<JsonNode> answer : answers) {
                assertThat(answer.get()).isNotNull();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
