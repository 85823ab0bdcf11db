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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of ports {@code erp.upsert-customer} and {@code erp.customers-since} (adapters/erp/PORTS.md), run
 * against every ERP adapter: the sandbox (always) and a real Tryton 6 with module account_credit_limit (started by
 * {@code ops/real-systems/start.sh}; skipped with a message when it is not running, required when
 * {@code CONDUIT_REAL_SYSTEMS=required}). Each case calls the upsert as the customer master flow does, with the CRM's
 * state of an account (its revision as sourceVersion), does in the ERP what its users would (enter a customer first,
 * set the credit limit, payment terms and block) and reads the capture with the watermark of the previous answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErpCustomerPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext esb;

    private final List<ErpCustomersUnderTest> adapters = new ArrayList<>();
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    void startAdapters() throws Exception {
        // the customer master flow would carry the test's customers to the CRM (which has no such accounts): its capture
        // is stopped while the ports are driven by hand
        esb.getRouteController().stopRoute("customer-master.poller");
        adapters.add(new SandboxErp(esb, jdbc));
        TrytonErp.startTrytonIfAvailable().ifPresent(erp -> {
            adapters.add(erp);
            started.add(erp);
        });
    }

    @AfterAll
    void stopAdapters() throws Exception {
        for (AutoCloseable erp : started) {
            erp.close();
        }
        esb.getRouteController().startRoute("customer-master.poller");
    }

    List<String> adapterNames() {
        return List.of("sandbox", "tryton");
    }

    private ErpCustomersUnderTest adapter(String name) {
        ErpCustomersUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "ERP adapter '" + name + "' skipped: " + TrytonErp.whyNotAvailable());
        String why = found.whyNoCustomers();
        if (why != null && "required".equals(System.getenv("CONDUIT_REAL_SYSTEMS"))) {
            throw new IllegalStateException("CONDUIT_REAL_SYSTEMS=required but " + why);
        }
        Assumptions.assumeTrue(why == null, () -> "ERP adapter '" + name + "' customer cases skipped: " + why);
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aNewAccountIsCreatedOnceAndTheSameRevisionAgainIsADuplicate(String name) throws Exception {
        ErpCustomersUnderTest erp = adapter(name);
        String account = account();
        String tax = TaxIds.germanVat();
        JsonNode created = erp.upsertCustomer(crmState(account, 1, "Müller Maschinenbau GmbH", tax, "Stuttgart", true, null));
        assertResult(created, account, "CREATED", 1);
        assertThat(created.path("matchedBy").isNull()).isTrue();
        String number = created.path("erpCustomerNumber").asText();
        assertThat(number).isNotBlank();

        JsonNode again = erp.upsertCustomer(crmState(account, 1, "Müller Maschinenbau GmbH", tax, "Stuttgart", true, null));
        assertResult(again, account, "DUPLICATE", 1);
        assertThat(again.path("erpCustomerNumber").asText()).isEqualTo(number);

        ErpCustomersUnderTest.ErpCustomer held = erp.customer(number);
        assertThat(held.name()).isEqualTo("Müller Maschinenbau GmbH");
        assertThat(held.taxId()).isEqualTo(tax);
        assertThat(held.crmRef()).isEqualTo(account);
        assertThat(held.cities()).containsExactly("Stuttgart");
        assertThat(held.emails()).containsExactly("eva.klein@" + account.toLowerCase() + ".example");
        assertThat(erp.customersOfAccount(account)).as("one customer per CRM account").isEqualTo(1);
        assertThat(erp.customersWithTaxId(tax)).as("one customer per tax id").isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aNewerRevisionWritesTheCrmFieldsOnlyAndAnOlderOneIsStale(String name) throws Exception {
        ErpCustomersUnderTest erp = adapter(name);
        String account = account();
        String tax = TaxIds.germanVat();
        String number = erp.upsertCustomer(crmState(account, 1, "Ostwind KG", tax, "Bremen", true, null))
                .path("erpCustomerNumber").asText();
        erp.setTerms(number, "50000", "NET60", true);

        // the CRM's state carries its copy of the ERP's side (here a wrong one): the ERP's own values stay
        ObjectNode revised = (ObjectNode) JSON.readTree(crmState(account, 2, "Ostwind Handels KG", tax, "Hamburg", true, number));
        revised.putObject("creditLimit").put("amount", 1).put("currency", "EUR");
        revised.put("paymentTerms", "NET10");
        revised.put("blocked", false);
        JsonNode updated = erp.upsertCustomer(JSON.writeValueAsString(revised));
        assertResult(updated, account, "UPDATED", 2);
        assertThat(updated.path("erpCustomerNumber").asText()).isEqualTo(number);
        ErpCustomersUnderTest.ErpCustomer held = erp.customer(number);
        assertThat(held.name()).isEqualTo("Ostwind Handels KG");
        assertThat(held.cities()).as("the address no longer in the CRM is gone (deactivated)").containsExactly("Hamburg");
        assertThat(held.creditLimit()).isEqualByComparingTo("50000");
        assertThat(held.paymentTerms()).isEqualTo("NET60");
        assertThat(held.blocked()).isTrue();

        JsonNode stale = erp.upsertCustomer(crmState(account, 1, "Ostwind KG", tax, "Bremen", true, number));
        assertResult(stale, account, "STALE", 2);
        assertThat(erp.customer(number).name()).as("never older over newer").isEqualTo("Ostwind Handels KG");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aCustomerEnteredInTheErpFirstIsFoundByItsTaxIdAndLinkedNotCreatedTwice(String name) throws Exception {
        ErpCustomersUnderTest erp = adapter(name);
        String tax = TaxIds.germanVat();
        String number = erp.enterCustomer("Nordlicht Logistik AG", tax);
        String account = account();
        JsonNode linked = erp.upsertCustomer(crmState(account, 1, "Nordlicht Logistik AG", tax, "Kiel", true, null));
        assertResult(linked, account, "LINKED", 1);
        assertThat(linked.path("matchedBy").asText()).isEqualTo("TAX_ID");
        assertThat(linked.path("erpCustomerNumber").asText()).isEqualTo(number);
        assertThat(erp.customersWithTaxId(tax)).isEqualTo(1);
        assertThat(erp.customer(number).crmRef()).isEqualTo(account);

        // a second CRM account with the same tax id is a duplicate in the CRM: nothing written, for a person to merge
        String other = account();
        Throwable conflict = catchThrowable(() -> erp.upsertCustomer(crmState(other, 1, "Nordlicht (duplicate)", tax, "Kiel", true, null)));
        assertThat(rootOf(conflict)).isInstanceOf(NotRetryableException.class).hasMessageContaining(account);
        assertThat(erp.customersWithTaxId(tax)).isEqualTo(1);
        assertThat(erp.customersOfAccount(other)).isZero();
        assertThat(erp.customer(number).name()).isEqualTo("Nordlicht Logistik AG");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aDeactivationBlocksNothingAndAnAccountDeactivatedBeforeTheErpKnewItIsNotCreated(String name) throws Exception {
        ErpCustomersUnderTest erp = adapter(name);
        String account = account();
        String tax = TaxIds.germanVat();
        String number = erp.upsertCustomer(crmState(account, 1, "Südwerk GmbH", tax, "Ulm", true, null))
                .path("erpCustomerNumber").asText();
        JsonNode deactivated = erp.upsertCustomer(crmState(account, 2, "Südwerk GmbH", tax, "Ulm", false, number));
        assertResult(deactivated, account, "UPDATED", 2);
        assertThat(erp.customer(number).blocked()).as("a CRM deactivation blocks nothing in the ERP").isFalse();

        String unknown = account();
        String otherTax = TaxIds.germanVat();
        JsonNode notCreated = erp.upsertCustomer(crmState(unknown, 1, "Never Traded GmbH", otherTax, "Ulm", false, null));
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/erp/customer-result.schema.json")), notCreated)).isEmpty();
        assertThat(notCreated.path("outcome").asText()).isEqualTo("NOT_CREATED");
        assertThat(notCreated.path("erpCustomerNumber").isNull()).isTrue();
        assertThat(erp.customersOfAccount(unknown)).isZero();
        assertThat(erp.customersWithTaxId(otherTax)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anAccountMergedIntoAnotherMergesItsCustomerHandsItOverOrChangesNothing(String name) throws Exception {
        ErpCustomersUnderTest erp = adapter(name);
        // both accounts have an ERP customer: the duplicate's is merged into the kept one's, nothing is deleted
        String kept = account();
        String duplicate = account();
        String keptNo = erp.upsertCustomer(crmState(kept, 1, "Bergmann Werkzeuge KG", TaxIds.germanVat(), "Ulm", true, null))
                .path("erpCustomerNumber").asText();
        String duplicateTax = TaxIds.germanVat();
        String duplicateNo = erp.upsertCustomer(crmState(duplicate, 1, "Bergmann (alt)", duplicateTax, "Neu-Ulm", true, null))
                .path("erpCustomerNumber").asText();
        String merged = mergedState(duplicate, 2, "Bergmann (alt)", duplicateTax, kept, duplicateNo);
        JsonNode result = erp.upsertCustomer(merged);
        assertResult(result, kept, "MERGED", 2);
        assertThat(result.path("erpCustomerNumber").asText()).isEqualTo(keptNo);
        assertThat(result.path("matchedBy").asText()).isEqualTo("CRM_REF");
        assertThat(erp.mergedInto(duplicateNo)).isEqualTo(keptNo);
        assertThat(erp.mergedInto(keptNo)).isNull();
        assertThat(erp.customer(keptNo).crmRef()).isEqualTo(kept);
        assertThat(erp.customersOfAccount(kept)).isEqualTo(1);
        // the same merge again changes nothing
        assertResult(erp.upsertCustomer(merged), kept, "DUPLICATE", 2);
        assertThat(erp.mergedInto(duplicateNo)).isEqualTo(keptNo);

        // only the duplicate has one: it becomes the kept account's, whose own state is then written over it
        String keep = account();
        String first = account();
        String tax = TaxIds.germanVat();
        String firstNo = erp.upsertCustomer(crmState(first, 1, "Lindner Agrar GmbH", tax, "Celle", true, null))
                .path("erpCustomerNumber").asText();
        JsonNode handedOver = erp.upsertCustomer(mergedState(first, 2, "Lindner Agrar GmbH", tax, keep, firstNo));
        assertResult(handedOver, keep, "MERGED", 2);
        assertThat(handedOver.path("erpCustomerNumber").asText()).isEqualTo(firstNo);
        assertThat(erp.customer(firstNo).crmRef()).isEqualTo(keep);
        assertThat(erp.customersOfAccount(first)).isZero();
        JsonNode keptState = erp.upsertCustomer(crmState(keep, 1, "Lindner Agrar GmbH & Co. KG", tax, "Celle", true, null));
        assertResult(keptState, keep, "UPDATED", 1);
        assertThat(keptState.path("erpCustomerNumber").asText()).isEqualTo(firstNo);
        assertThat(erp.customer(firstNo).name()).isEqualTo("Lindner Agrar GmbH & Co. KG");
        assertThat(erp.customersWithTaxId(tax)).isEqualTo(1);

        // neither has one: nothing is created
        String unknown = account();
        String alsoUnknown = account();
        JsonNode nothing = erp.upsertCustomer(mergedState(unknown, 2, "Never Traded GmbH", TaxIds.germanVat(), alsoUnknown, null));
        assertResult(nothing, alsoUnknown, "MERGED", 2);
        assertThat(nothing.path("erpCustomerNumber").isNull()).isTrue();
        assertThat(erp.customersOfAccount(unknown) + erp.customersOfAccount(alsoUnknown)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void theErpsSideIsReportedOnceAndAgainWhenFinanceChangesIt(String name) throws Exception {
        ErpCustomersUnderTest erp = adapter(name);
        CapturePoll poll = poll(erp, caughtUp(erp));
        String account = account();
        String number = erp.upsertCustomer(crmState(account, 1, "Westfalen Pumpen GmbH", TaxIds.germanVat(), "Münster", true, null))
                .path("erpCustomerNumber").asText();
        JsonNode first = poll.until(account, c -> true);
        assertCustomer(first);
        assertThat(first.path("erpCustomerNumber").asText()).isEqualTo(number);
        assertThat(first.path("blocked").asBoolean()).isFalse();
        long v1 = first.path("sourceVersion").asLong();

        erp.setTerms(number, "25000.50", "NET60", true);
        JsonNode changed = poll.until(account, c -> c.path("blocked").asBoolean());
        assertCustomer(changed);
        assertThat(changed.path("sourceVersion").asLong()).as("a later state has a higher version").isGreaterThan(v1);
        assertThat(changed.path("creditLimit").path("amount").decimalValue()).isEqualByComparingTo("25000.50");
        assertThat(changed.path("creditLimit").path("currency").asText()).isEqualTo("EUR");
        assertThat(changed.path("paymentTerms").asText()).isEqualTo("NET60");
        long reported = poll.reported(account);
        poll.next();
        poll.next();
        assertThat(poll.reported(account)).as("not again with the new watermark").isEqualTo(reported);

        // a customer entered in the ERP alone (no CRM account) is not reported: nothing in the CRM to show it on
        String alone = erp.enterCustomer("Only In The ERP GmbH", TaxIds.germanVat());
        erp.setTerms(alone, "1000", "NET30", false);
        poll.next();
        assertThat(poll.all()).noneMatch(c -> c.path("erpCustomerNumber").asText().equals(alone));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void theErpAwayIsRetryable(String name) throws Exception {
        ErpCustomersUnderTest erp = adapter(name);
        String watermark = caughtUp(erp);
        String account = account();
        Throwable upsert = erp.whileCustomersDown(() -> catchThrowable(() ->
                erp.upsertCustomer(crmState(account, 1, "Away GmbH", TaxIds.germanVat(), "Ulm", true, null))));
        Throwable capture = erp.whileCustomersDown(() -> catchThrowable(() -> erp.customersSince(watermark)));
        assertThat(upsert).isNotNull();
        assertThat(rootOf(upsert)).isNotInstanceOf(NotRetryableException.class);
        assertThat(capture).isNotNull();
        assertThat(rootOf(capture)).isNotInstanceOf(NotRetryableException.class);
        assertThat(erp.customersOfAccount(account)).isZero();
    }

    // --- helpers

    private static String account() {
        return "CT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

    /** A canonical Customer as the CRM's capture reports it: one billing address, one contact. */
    static String crmState(String account, int revision, String legalName, String taxId, String city, boolean active,
                           String erpNumber) throws Exception {
        ObjectNode c = JSON.createObjectNode();
        c.put("schemaVersion", 1);
        c.put("customerId", account);
        c.put("source", "crm");
        c.put("sourceVersion", revision);
        c.put("changedAt", "2026-12-01T10:00:0" + Math.min(revision, 9) + "Z");
        if (erpNumber == null) {
            c.putNull("erpCustomerNumber");
        } else {
            c.put("erpCustomerNumber", erpNumber);
        }
        c.put("legalName", legalName);
        c.put("taxId", taxId);
        c.put("active", active);
        c.putArray("addresses").addObject().put("type", "BILLING").put("street", "Hafenstr. " + revision)
                .put("postalCode", "28195").put("city", city).put("country", "DE");
        c.putArray("contacts").addObject().put("name", "Eva Klein").put("role", "Purchasing")
                .put("email", "eva.klein@" + account.toLowerCase() + ".example").put("phone", "+49 421 555 0100");
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.CUSTOMER), c))
                .as("the test's CRM state is canonical").isEmpty();
        return JSON.writeValueAsString(c);
    }

    /** The CRM's state of an account merged into another: deactivated, naming the account it was merged into. */
    private static String mergedState(String account, int revision, String legalName, String taxId, String into,
                                      String erpNumber) throws Exception {
        ObjectNode c = (ObjectNode) JSON.readTree(crmState(account, revision, legalName, taxId, "Ulm", false, erpNumber));
        c.put("mergedInto", into);
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.CUSTOMER), c)).isEmpty();
        return JSON.writeValueAsString(c);
    }

    private static void assertResult(JsonNode result, String account, String outcome, int crmVersion) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/erp/customer-result.schema.json")), result)).isEmpty();
        assertThat(result.path("customerId").asText()).isEqualTo(account);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
        assertThat(result.path("crmVersion").asInt()).isEqualTo(crmVersion);
    }

    private static void assertCustomer(JsonNode customer) {
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.CUSTOMER), customer)).isEmpty();
        assertThat(customer.path("source").asText()).isEqualTo("erp");
    }

    private static void assertChanges(JsonNode result) {
        assertThat(JsonSchemas.validate(JsonSchemas.file(Path.of("adapters/erp/customer-changes.schema.json")), result)).isEmpty();
        Set<String> seen = new HashSet<>();
        result.path("customers").forEach(c -> assertThat(seen.add(c.path("customerId").asText()))
                .as("each customer at most once per answer: " + c.path("customerId").asText()).isTrue());
    }

    /** A watermark after everything the ERP holds now (other tests' customers are read past once). */
    private static String caughtUp(ErpCustomersUnderTest erp) throws Exception {
        JsonNode result = erp.customersSince(null);
        assertChanges(result);
        return result.path("watermark").isNull() ? null : result.path("watermark").asText();
    }

    private static CapturePoll poll(ErpCustomersUnderTest erp, String watermark) {
        return new CapturePoll(erp::customersSince, "customers", "customerId", ErpCustomerPortContractIT::assertChanges, watermark);
    }

    private static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }
}
