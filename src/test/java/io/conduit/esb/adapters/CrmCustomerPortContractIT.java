package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import io.conduit.esb.support.TaxIds;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of ports {@code crm.customers-since} and {@code crm.apply-customer-terms} (adapters/crm/PORTS.md), run
 * against every CRM adapter that implements them: so far the sandbox (there is no real CRM on the test machine; a new
 * adapter adds a {@link CrmCustomersUnderTest} to {@link #adapterNames}). Each case does in the CRM what its
 * salespeople would (create, rename, deactivate an account), then calls the ports as the customer master flow does:
 * the capture with the watermark of the previous answer, the ERP's side with the ERP's revision as sourceVersion.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrmCustomerPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext esb;

    private final List<CrmCustomersUnderTest> adapters = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        adapters.add(new SandboxCrmCustomers(esb));
        // the customer master flow would sync the test's accounts meanwhile (its terms written back are a change of the
        // account): its capture is stopped while the ports are driven by hand
        esb.getRouteController().stopRoute("customer-master.poller");
    }

    @org.junit.jupiter.api.AfterAll
    void startFlowAgain() throws Exception {
        esb.getRouteController().startRoute("customer-master.poller");
    }

    List<String> adapterNames() {
        return List.of("sandbox");
    }

    private CrmCustomersUnderTest adapter(String name) {
        return adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anAccountIsReportedOnceInItsCurrentStateAndAgainWhenSalesChangeIt(String name) throws Exception {
        CrmCustomersUnderTest crm = adapter(name);
        CapturePoll poll = poll(crm, caughtUp(crm));
        String tax = TaxIds.germanVat();
        String account = crm.createAccount("Müller Maschinenbau GmbH", tax.substring(0, 2) + " " + tax.substring(2), "Stuttgart",
                "eva.klein@mueller.example");
        crm.rename(account, "Müller Maschinenbau GmbH & Co. KG");
        assertThat(crm.account(account).revision()).as("a rename is a new revision").isEqualTo(2);

        JsonNode customer = poll.until(account, c -> true);
        assertCustomer(customer);
        assertThat(customer.path("sourceVersion").asInt()).as("created and renamed before the poll: its current state").isEqualTo(2);
        assertThat(customer.path("legalName").asText()).isEqualTo("Müller Maschinenbau GmbH & Co. KG");
        assertThat(customer.path("taxId").asText()).as("compact, as the CRM keeps it").isEqualTo(tax);
        assertThat(customer.path("active").asBoolean()).isTrue();
        assertThat(customer.path("addresses").get(0).path("city").asText()).isEqualTo("Stuttgart");
        assertThat(customer.path("addresses").get(0).path("type").asText()).isEqualTo("BILLING");
        assertThat(customer.path("contacts").get(0).path("email").asText()).isEqualTo("eva.klein@mueller.example");
        assertThat(customer.path("erpCustomerNumber").isNull()).isTrue();
        assertThat(poll.reported(account)).as("reported once").isEqualTo(1);

        poll.next();
        poll.next();
        assertThat(poll.reported(account)).as("not again with the new watermark").isEqualTo(1);

        // the ERP's side written by the ESB is a change of the account, but not of what sales own: same revision
        crm.applyTerms(erpState(account, 1, "C0000777", "1000", "NET30", false));
        JsonNode withNumber = poll.until(account, c -> "C0000777".equals(c.path("erpCustomerNumber").asText()));
        assertCustomer(withNumber);
        assertThat(withNumber.path("sourceVersion").asInt()).isEqualTo(2);

        crm.deactivate(account);
        JsonNode deactivated = poll.until(account, c -> !c.path("active").asBoolean());
        assertThat(deactivated.path("sourceVersion").asInt()).as("a deactivation is a new revision").isEqualTo(3);
        assertThat(deactivated.has("mergedInto")).as("not merged: no mergedInto").isFalse();

        // merged into another account: reported with the account it was merged into; the kept one gains its contact
        String kept = crm.createAccount("Müller Holding AG", TaxIds.germanVat(), "Esslingen", "holding@mueller.example");
        crm.merge(kept, account);
        JsonNode merged = poll.until(account, c -> c.hasNonNull("mergedInto"));
        assertCustomer(merged);
        assertThat(merged.path("mergedInto").asText()).isEqualTo(kept);
        assertThat(merged.path("active").asBoolean()).isFalse();
        assertThat(merged.path("sourceVersion").asInt()).as("a merge is a new revision").isEqualTo(4);
        JsonNode keptState = poll.until(kept, c -> c.path("contacts").size() == 2);
        assertThat(keptState.path("addresses").size()).isEqualTo(2);
        assertThat(keptState.has("mergedInto")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void theErpsSideIsWrittenAloneOnceAndNeverOlderOverNewer(String name) throws Exception {
        CrmCustomersUnderTest crm = adapter(name);
        String account = crm.createAccount("Ostwind KG", TaxIds.germanVat(), "Bremen", "info@ostwind.example");

        // the ERP's state carries its copy of the CRM's fields (here a wrong one): the CRM's own values stay
        ObjectNode terms = (ObjectNode) JSON.readTree(erpState(account, 5, "C0000042", "50000", "NET60", true));
        terms.put("legalName", "what the ERP holds");
        JsonNode applied = crm.applyTerms(JSON.writeValueAsString(terms));
        assertResult(applied, account, "APPLIED", 5);
        CrmCustomersUnderTest.Account shown = crm.account(account);
        assertThat(shown.erpCustomerNumber()).isEqualTo("C0000042");
        assertThat(shown.creditLimit()).isEqualByComparingTo("50000");
        assertThat(shown.paymentTerms()).isEqualTo("NET60");
        assertThat(shown.blocked()).isTrue();
        assertThat(shown.erpVersion()).isEqualTo(5L);
        assertThat(shown.legalName()).isEqualTo("Ostwind KG");
        assertThat(shown.revision()).as("the ERP's side is no new revision of the account").isEqualTo(1);

        assertResult(crm.applyTerms(erpState(account, 5, "C0000042", "50000", "NET60", true)), account, "DUPLICATE", 5);
        assertResult(crm.applyTerms(erpState(account, 4, "C0000042", "10", "NET30", false)), account, "ALREADY_NEWER", 4);
        assertThat(crm.account(account)).as("an older state changes nothing").isEqualTo(shown);

        JsonNode cleared = crm.applyTerms(erpState(account, 6, "C0000042", null, "NET30", false));
        assertResult(cleared, account, "APPLIED", 6);
        assertThat(crm.account(account).creditLimit()).as("no credit limit in the ERP: none in the CRM").isNull();

        assertThat(crm.refusesCreditLimitEdit(account)).as("sales cannot edit what the ERP owns").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anUnknownAccountIsPermanentTheCrmAwayIsRetryable(String name) throws Exception {
        CrmCustomersUnderTest crm = adapter(name);
        assertThat(rootOf(catchThrowable(() -> crm.applyTerms(erpState("ACC-NOSUCH", 1, "C1", null, "NET30", false)))))
                .isInstanceOf(NotRetryableException.class);
        String account = crm.createAccount("Away GmbH", null, "Ulm", "a@away.example");
        String watermark = caughtUp(crm);
        Throwable capture = crm.whileDown(() -> catchThrowable(() -> crm.customersSince(watermark)));
        Throwable apply = crm.whileDown(() -> catchThrowable(() -> crm.applyTerms(erpState(account, 1, "C1", null, "NET30", false))));
        assertThat(capture).isNotNull();
        assertThat(rootOf(capture)).isNotInstanceOf(NotRetryableException.class);
        assertThat(apply).isNotNull();
        assertThat(rootOf(apply)).isNotInstanceOf(NotRetryableException.class);
        assertThat(crm.account(account).erpCustomerNumber()).isNull();
    }

    // --- helpers

    /** A canonical Customer as the ERP's capture reports it. */
    static String erpState(String account, long version, String number, String creditLimit, String paymentTerms,
                           boolean blocked) throws Exception {
        ObjectNode c = JSON.createObjectNode();
        c.put("schemaVersion", 1);
        c.put("customerId", account);
        c.put("source", "erp");
        c.put("sourceVersion", version);
        c.put("changedAt", "2026-12-01T10:00:00Z");
        c.put("erpCustomerNumber", number);
        if (creditLimit == null) {
            c.putNull("creditLimit");
        } else {
            c.putObject("creditLimit").put("amount", new java.math.BigDecimal(creditLimit)).put("currency", "EUR");
        }
        c.put("paymentTerms", paymentTerms);
        c.put("blocked", blocked);
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.CUSTOMER), c))
                .as("the test's ERP state is canonical").isEmpty();
        return JSON.writeValueAsString(c);
    }

    private static void assertResult(JsonNode result, String account, String outcome, long erpVersion) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/crm/customer-terms-result.schema.json")), result)).isEmpty();
        assertThat(result.path("customerId").asText()).isEqualTo(account);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
        assertThat(result.path("erpVersion").asLong()).isEqualTo(erpVersion);
    }

    private static void assertCustomer(JsonNode customer) {
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.CUSTOMER), customer)).isEmpty();
        assertThat(customer.path("source").asText()).isEqualTo("crm");
    }

    private static void assertChanges(JsonNode result) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/crm/customer-changes.schema.json")), result)).isEmpty();
        Set<String> seen = new HashSet<>();
        result.path("customers").forEach(c -> assertThat(seen.add(c.path("customerId").asText()))
                .as("each account at most once per answer: " + c.path("customerId").asText()).isTrue());
    }

    private static String caughtUp(CrmCustomersUnderTest crm) throws Exception {
        JsonNode result = crm.customersSince(null);
        assertChanges(result);
        return result.path("watermark").isNull() ? null : result.path("watermark").asText();
    }

    private static CapturePoll poll(CrmCustomersUnderTest crm, String watermark) {
        return new CapturePoll(crm::customersSince, "customers", "customerId", CrmCustomerPortContractIT::assertChanges, watermark);
    }

    private static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }
}
