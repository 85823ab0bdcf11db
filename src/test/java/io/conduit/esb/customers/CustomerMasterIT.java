package io.conduit.esb.customers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.TaxIds;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The customer master flow (routes/customer-master.camel.yaml) on the sandbox CRM and ERP, driven as their users
 * would drive them: sales keep accounts in the CRM, finance keeps credit limits, payment terms and blocks in the ERP.
 * Asserted in the systems' own tables and APIs: the ERP customer (erp.cust_mst) and the CRM account.
 */
class CustomerMasterIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext camel;

    @Test
    void aNewAccountBecomesOneErpCustomerAndItsChangesFollowWhileTheErpNumberAndTermsComeBack() {
        String tax = TaxIds.germanVat();
        String account = createAccount("Müller Maschinenbau GmbH", tax, "Stuttgart", "eva.klein@mueller.example");

        Map<String, Object> erp = awaitErpCustomer(account, c -> "Müller Maschinenbau GmbH".equals(c.get("cust_nm")));
        assertThat(erp.get("tax_id")).isEqualTo(tax);
        assertThat(erp.get("addr").toString()).contains("Stuttgart");
        assertThat(erp.get("cntc").toString()).contains("eva.klein@mueller.example");
        String number = (String) erp.get("cust_no");
        JsonNode shown = awaitAccount(account, a -> number.equals(a.path("erp_customer_no").asText()));
        assertThat(shown.path("payment_terms").asText()).as("the ERP's default terms").isEqualTo("NET30");
        assertThat(shown.path("blocked").asBoolean()).isFalse();
        assertThat(shown.path("credit_limit").isNull()).isTrue();
        assertThat(shown.path("revision").asInt()).as("the ERP's side is no new revision of the account").isEqualTo(1);

        // sales change the name and the address: the ERP follows; one ERP customer, never a second
        patchAccount(account, Map.of("legalName", "Müller Maschinenbau GmbH & Co. KG", "addresses",
                List.of(Map.of("type", "BILLING", "street", "Hafenstr. 1", "postalCode", "70173", "city", "Esslingen", "country", "DE"))));
        Map<String, Object> changed = awaitErpCustomer(account, c -> ((Number) c.get("crm_rev")).intValue() == 2);
        assertThat(changed.get("cust_nm")).isEqualTo("Müller Maschinenbau GmbH & Co. KG");
        assertThat(changed.get("addr").toString()).contains("Esslingen").doesNotContain("Stuttgart");
        assertThat(changed.get("cust_no")).isEqualTo(number);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.cust_mst WHERE crm_ref = ? OR tax_id = ?", Integer.class,
                account, tax)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT crm_outcome FROM esb.customer_master WHERE customer_id = ?", String.class,
                account)).isEqualTo("UPDATED");
        // the journal has the customer's journeys by its account: to the ERP, and the ERP's side back to the CRM
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(viewer().get()
                .uri("/api/v1/ops/journal/journey?key={k}", account).retrieve().body(String.class))
                .contains("customer-master.upsert-erp").contains("customer-master.update-crm").contains(number));
    }

    @Test
    void eachSideKeepsWhatItOwnsWhenBothEditAtOnce() {
        String account = createAccount("Ostwind KG", TaxIds.germanVat(), "Bremen", "info@ostwind.example");
        String number = (String) awaitErpCustomer(account, c -> true).get("cust_no");
        awaitAccount(account, a -> number.equals(a.path("erp_customer_no").asText()));

        // finance puts the customer on credit hold with a limit and longer terms while sales rename it
        putTerms(number, Map.of("creditLimit", 50000, "paymentTerms", "NET60", "blocked", true));
        patchAccount(account, Map.of("legalName", "Ostwind Handels KG"));

        JsonNode crm = awaitAccount(account, a -> a.path("blocked").asBoolean() && "NET60".equals(a.path("payment_terms").asText()));
        assertThat(crm.path("credit_limit").decimalValue()).isEqualByComparingTo("50000");
        assertThat(crm.path("legal_name").asText()).as("the CRM keeps its own edit").isEqualTo("Ostwind Handels KG");
        Map<String, Object> erp = awaitErpCustomer(account, c -> "Ostwind Handels KG".equals(c.get("cust_nm")));
        assertThat((BigDecimal) erp.get("cr_lmt")).as("the ERP keeps its own edit").isEqualByComparingTo("50000");
        assertThat(erp.get("pay_terms")).isEqualTo("NET60");
        assertThat(erp.get("blk_flg")).isEqualTo("Y");

        // and again later: a CRM edit never overwrites the ERP's fields, an ERP edit never the CRM's
        patchAccount(account, Map.of("contacts", List.of(Map.of("name", "Jonas Bauer", "email", "jonas@ostwind.example"))));
        awaitErpCustomer(account, c -> c.get("cntc").toString().contains("jonas@ostwind.example"));
        putTerms(number, Map.of("blocked", false));
        JsonNode released = awaitAccount(account, a -> !a.path("blocked").asBoolean());
        assertThat(released.path("legal_name").asText()).isEqualTo("Ostwind Handels KG");
        assertThat(released.path("contacts").toString()).contains("jonas@ostwind.example");
        assertThat(released.path("credit_limit").decimalValue()).isEqualByComparingTo("50000");
        Map<String, Object> after = erpCustomer(account);
        assertThat((BigDecimal) after.get("cr_lmt")).isEqualByComparingTo("50000");
        assertThat(after.get("pay_terms")).isEqualTo("NET60");
    }

    @Test
    void aCustomerTheErpAlreadyHasByTaxIdIsLinkedNotCreatedTwice() {
        String tax = TaxIds.germanVat();
        String entered = sandbox.http().post().uri("/sandbox/erp/customers").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "Nordlicht Logistik AG", "taxId", tax, "creditLimit", 20000, "paymentTerms", "NET60"))
                .retrieve().body(JsonNode.class).path("cust_no").asText();

        String account = createAccount("Nordlicht Logistik AG", tax.substring(0, 2) + " " + tax.substring(2), "Kiel", "nord@licht.example");
        JsonNode crm = awaitAccount(account, a -> entered.equals(a.path("erp_customer_no").asText()));
        assertThat(crm.path("credit_limit").decimalValue()).isEqualByComparingTo("20000");
        assertThat(crm.path("payment_terms").asText()).isEqualTo("NET60");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.cust_mst WHERE tax_id = ?", Integer.class, tax)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT crm_ref FROM erp.cust_mst WHERE cust_no = ?", String.class, entered)).isEqualTo(account);
        assertThat(jdbc.queryForObject("SELECT crm_outcome FROM esb.customer_master WHERE customer_id = ?", String.class,
                account)).isEqualTo("LINKED");

        // a second CRM account with the same tax id: parked for a person (a merge), no second ERP customer
        String duplicate = createAccount("Nordlicht (Kiel)", tax, "Kiel", "kiel@licht.example");
        await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM esb.parked_message WHERE flow = 'customer-master' AND business_key = ? AND status = 'PARKED'"
                        + " AND reason LIKE ?", Integer.class, duplicate, "%two CRM accounts for one customer%") > 0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.cust_mst WHERE tax_id = ? OR crm_ref = ?", Integer.class,
                tax, duplicate)).isEqualTo(1);

        // the customer master's report lists the conflict with its reason, and the linked account as got, not waiting
        // (asked until then: the resync publishes a parked state again every few seconds and it is parked anew)
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            JsonNode report = viewer().get().uri("/api/v1/ops/customer-master").retrieve().body(JsonNode.class);
            assertThat(report.path("running").asBoolean()).isTrue();
            JsonNode conflict = null;
            for (JsonNode c : report.path("conflicts")) {
                if (duplicate.equals(c.path("customerId").asText())) {
                    conflict = c;
                }
            }
            assertThat(conflict).as("conflict of %s in %s", duplicate, report.path("conflicts")).isNotNull();
            assertThat(conflict.path("direction").asText()).isEqualTo("CRM_TO_ERP");
            assertThat(conflict.path("reason").asText()).contains("two CRM accounts for one customer");
            assertThat(conflict.path("parkedId").asText()).isNotBlank();
            JsonNode progress = report.path("progress");
            assertThat(progress.path("conflicts").asLong()).isPositive();
            assertThat(progress.path("crmToErp").path("outcomes").path("LINKED").asLong()).isPositive();
            assertThat(progress.path("crmToErp").path("delivered").asLong())
                    .isLessThanOrEqualTo(progress.path("crmToErp").path("captured").asLong());
            for (JsonNode w : report.path("waiting")) {
                assertThat(w.path("customerId").asText() + " " + w.path("direction").asText())
                        .isNotEqualTo(account + " CRM_TO_ERP");
            }
        });
    }

    @Test
    void olderRevisionsAreNeverAppliedOverNewerOnes() throws Exception {
        String account = createAccount("Westfalen Pumpen GmbH", TaxIds.germanVat(), "Münster", "info@wp.example");
        awaitErpCustomer(account, c -> true);
        String revision1 = jdbc.queryForObject("SELECT CAST(crm_state AS text) FROM esb.customer_master WHERE customer_id = ?",
                String.class, account);
        patchAccount(account, Map.of("legalName", "Westfalen Pumpen GmbH (2)"));
        patchAccount(account, Map.of("legalName", "Westfalen Pumpen GmbH (3)"));
        awaitErpCustomer(account, c -> ((Number) c.get("crm_rev")).intValue() == 3);

        // a late event carrying revision 1 (a redelivery, a replay) on the flow's topic: coalesced, nothing sent
        ProducerTemplate producer = camel.createProducerTemplate();
        producer.sendBodyAndHeaders("kafka:{{esb.topics.names.customers}}", revision1,
                Map.of("kafka.KEY", account, "ce_subject", account));
        // the same old state handed to the ERP port the flow's way (versioned): superseded, not sent
        Object answer = producer.requestBody("versioned:erp.upsert-customer?key=" + account + "&version=1", revision1);
        assertThat(answer == null ? "" : answer.toString()).doesNotContain("UPDATED");
        // and straight to the port: the ERP itself refuses to go back (STALE)
        JsonNode stale = JSON.readTree(producer.requestBody("direct:erp.upsert-customer", revision1, String.class));
        assertThat(stale.path("outcome").asText()).isEqualTo("STALE");

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, Object> erp = erpCustomer(account);
            assertThat(erp.get("cust_nm")).isEqualTo("Westfalen Pumpen GmbH (3)");
            assertThat(((Number) erp.get("crm_rev")).intValue()).isEqualTo(3);
        });
        // a capture that saw revision 3 keeps it: an older captured state is not kept
        ObjectNode older = (ObjectNode) JSON.readTree(revision1);
        assertThat(jdbc.queryForObject("SELECT crm_version FROM esb.customer_master WHERE customer_id = ?", Long.class, account))
                .isEqualTo(3L);
        assertThat(older.path("sourceVersion").asInt()).isEqualTo(1);
    }

    @Test
    void theCrmDownThenBackGetsTheErpsSideOnceItIsBack() {
        String account = createAccount("Südwerk GmbH", TaxIds.germanVat(), "Ulm", "info@suedwerk.example");
        String number = (String) awaitErpCustomer(account, c -> true).get("cust_no");
        awaitAccount(account, a -> number.equals(a.path("erp_customer_no").asText()));

        sandbox.setFault("crm", "down", 0, 0);
        putTerms(number, Map.of("creditLimit", 12345, "blocked", true));
        // the CRM call fails, is redelivered, then waits in the retry lane and is parked when it still fails (8 s in tests)
        await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM esb.parked_message WHERE flow = 'customer-master' AND business_key = ? AND status = 'PARKED'",
                Integer.class, account) > 0);
        assertThat(account(account).path("blocked").asBoolean()).isFalse();
        // the resync publishes the state again and it is parked again (the CRM still down): the earlier park is
        // superseded by the resync, so the parking lot holds the state once, not once per resync
        await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM esb.parked_message WHERE flow = 'customer-master' AND business_key = ?",
                Integer.class, account) >= 2);
        // (asked until it holds: between the resync marking the newest park REPLAYED and the republished state being
        // parked again, every row is REPLAYED for a moment - a CI run once read the lot in that moment)
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForList(
                "SELECT status || ' ' || coalesce(resolved_by, '-') FROM esb.parked_message"
                        + " WHERE flow = 'customer-master' AND business_key = ? ORDER BY parked_at", String.class, account))
                .startsWith("REPLAYED customer-master.resync").endsWith("PARKED -")
                .filteredOn(s -> s.startsWith("PARKED")).hasSize(1));

        sandbox.setFault("crm", "normal", 0, 0);
        // no further change: the resync publishes the state the CRM has not got again
        JsonNode back = awaitAccount(account, a -> a.path("blocked").asBoolean());
        assertThat(back.path("credit_limit").decimalValue()).isEqualByComparingTo("12345");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM esb.parked_message WHERE flow = 'customer-master' AND business_key = ? AND status = 'PARKED'",
                Integer.class, account)).isZero());
    }

    @Test
    void aDeactivationInTheCrmBlocksNothingInTheErpAndAnAccountDeactivatedBeforeItsFirstSyncIsNotCreated() {
        String account = createAccount("Alpen Technik AG", TaxIds.germanVat(), "Kempten", "info@alpen.example");
        String number = (String) awaitErpCustomer(account, c -> true).get("cust_no");
        sandbox.http().post().uri("/sandbox/crm/api/accounts/{a}/deactivate", account).retrieve().toBodilessEntity();
        Map<String, Object> erp = awaitErpCustomer(account, c -> "N".equals(c.get("crm_act")));
        assertThat(erp.get("blk_flg")).as("not blocked in the ERP").isEqualTo("N");
        assertThat(erp.get("cust_no")).isEqualTo(number);
        assertThat(account(account).path("blocked").asBoolean()).isFalse();

        // created and deactivated before the flow saw it: the ERP never gets it
        String neverAccount = createAccountDeactivated("Never Traded GmbH");
        await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM esb.customer_master WHERE customer_id = ? AND crm_outcome = 'NOT_CREATED'",
                Integer.class, neverAccount) == 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.cust_mst WHERE crm_ref = ?", Integer.class, neverAccount)).isZero();
    }

    @Test
    void aDuplicateAccountMergedInTheCrmEndsItsConflictWithoutASecondErpCustomer() {
        String tax = TaxIds.germanVat();
        String kept = createAccount("Seewind Reederei GmbH", tax, "Kiel", "info@seewind.example");
        String keptNo = awaitErpCustomer(kept, c -> true).get("cust_no").toString();
        String duplicate = createAccount("Seewind (Hamburg)", tax, "Hamburg", "hh@seewind.example");
        await().atMost(FLOW_TIMEOUT).until(() -> parked(duplicate) > 0);

        // sales merge the duplicate into the account they keep
        JsonNode merged = merge(kept, duplicate);
        assertThat(merged.path("merged").path("merged_into").asText()).isEqualTo(kept);
        assertThat(merged.path("merged").path("active").asBoolean()).isFalse();
        assertThat(merged.path("account").path("addresses").size()).isEqualTo(2);

        // the conflict is gone (superseded by the merge, not left for a person), the kept customer has the duplicate's
        // address and contact, and there is still one ERP customer for the tax id
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            assertThat(parked(duplicate)).isZero();
            assertThat(jdbc.queryForObject("SELECT crm_outcome FROM esb.customer_master WHERE customer_id = ?", String.class,
                    duplicate)).isEqualTo("MERGED");
            assertThat(erpCustomer(kept).get("addr").toString()).contains("Hamburg");
            assertThat(erpCustomer(kept).get("cntc").toString()).contains("hh@seewind.example");
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.cust_mst WHERE tax_id = ? OR crm_ref IN (?, ?)",
                Integer.class, tax, kept, duplicate)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT erp_customer_no FROM esb.customer_master WHERE customer_id = ?", String.class,
                duplicate)).isEqualTo(keptNo);
        assertThat(mergeStatus(kept, duplicate)).isEqualTo(409);
    }

    @Test
    void twoAccountsWithErpCustomersMergedInTheCrmMergeTheirErpCustomersAndNothingIsDeleted() {
        String kept = createAccount("Bergmann Werkzeuge KG", TaxIds.germanVat(), "Ulm", "einkauf@bergmann.example");
        String other = createAccount("Bergmann Werkzeug (alt)", TaxIds.germanVat(), "Neu-Ulm", "alt@bergmann.example");
        String keptNo = awaitErpCustomer(kept, c -> true).get("cust_no").toString();
        String otherNo = awaitErpCustomer(other, c -> true).get("cust_no").toString();
        awaitAccount(other, a -> otherNo.equals(a.path("erp_customer_no").asText()));

        merge(kept, other);

        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            Map<String, Object> loser = jdbc.queryForMap("SELECT crm_ref, crm_act, merged_into FROM erp.cust_mst WHERE cust_no = ?",
                    otherNo);
            assertThat(loser.get("merged_into")).isEqualTo(keptNo);
            assertThat(loser.get("crm_act")).isEqualTo("N");
            assertThat(loser.get("crm_ref")).isEqualTo(other);
            assertThat(erpCustomer(kept).get("addr").toString()).contains("Neu-Ulm");
            // recorded by the ESB once the ERP's answer is back, a moment after the ERP's rows show the merge
            assertThat(jdbc.queryForObject("SELECT crm_outcome FROM esb.customer_master WHERE customer_id = ?", String.class,
                    other)).isEqualTo("MERGED");
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.cust_mst WHERE cust_no IN (?, ?)", Integer.class, keptNo, otherNo))
                .isEqualTo(2);
    }

    @Test
    void anAccountMergedIntoOneTheErpDidNotKnowHandsItsErpCustomerOver() {
        String tax = TaxIds.germanVat();
        String first = createAccount("Lindner Agrar GmbH", tax, "Celle", "info@lindner.example");
        String firstNo = awaitErpCustomer(first, c -> true).get("cust_no").toString();
        // sales created a second account for the same customer and keep that one: it was parked (the ERP's customer of
        // the tax id belongs to the first account)
        String keep = createAccount("Lindner Agrar GmbH & Co. KG", tax, "Celle", "zentrale@lindner.example");
        await().atMost(FLOW_TIMEOUT).until(() -> parked(keep) > 0);

        merge(keep, first);

        // the ERP customer is the kept account's now; its number and terms reach the kept account; nothing is parked
        JsonNode crm = awaitAccount(keep, a -> firstNo.equals(a.path("erp_customer_no").asText()));
        assertThat(crm.path("payment_terms").asText()).isEqualTo("NET30");
        awaitErpCustomer(keep, c -> c.get("cust_nm").equals("Lindner Agrar GmbH & Co. KG")
                && c.get("cntc").toString().contains("zentrale@lindner.example"));
        await().atMost(FLOW_TIMEOUT).until(() -> parked(keep) + parked(first) == 0);
        assertThat(erpCustomer(first)).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM erp.cust_mst WHERE tax_id = ?", Integer.class, tax)).isEqualTo(1);
    }

    // --- the systems, as their users use them

    private String createAccount(String legalName, String taxId, String city, String email) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("legalName", legalName);
        body.put("taxId", taxId);
        body.put("addresses", List.of(Map.of("type", "BILLING", "street", "Industriestr. 5", "postalCode", "70565",
                "city", city, "country", "DE")));
        body.put("contacts", List.of(Map.of("name", "Eva Klein", "role", "Purchasing", "email", email)));
        return sandbox.http().post().uri("/sandbox/crm/api/accounts").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class).path("account_no").asText();
    }

    /** An account created and deactivated in one CRM transaction, so no capture sees it active. */
    private String createAccountDeactivated(String legalName) {
        return jdbc.queryForObject("INSERT INTO sandbox_crm.account (legal_name, active) VALUES (?, false) RETURNING account_no",
                String.class, legalName);
    }

    private void patchAccount(String account, Map<String, Object> change) {
        sandbox.http().patch().uri("/sandbox/crm/api/accounts/{a}", account).contentType(MediaType.APPLICATION_JSON)
                .body(change).retrieve().toBodilessEntity();
    }

    private void putTerms(String number, Map<String, Object> terms) {
        sandbox.http().put().uri("/sandbox/erp/customers/{c}/terms", number).contentType(MediaType.APPLICATION_JSON)
                .body(terms).retrieve().toBodilessEntity();
    }

    private JsonNode merge(String kept, String duplicate) {
        return sandbox.http().post().uri("/sandbox/crm/api/accounts/{a}/merge", kept).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("from", duplicate)).retrieve().body(JsonNode.class);
    }

    private int mergeStatus(String kept, String duplicate) {
        return sandbox.http().post().uri("/sandbox/crm/api/accounts/{a}/merge", kept).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("from", duplicate)).exchange((request, response) -> response.getStatusCode().value());
    }

    private int parked(String customerId) {
        return jdbc.queryForObject("SELECT count(*) FROM esb.parked_message WHERE flow = 'customer-master'"
                + " AND business_key = ? AND status = 'PARKED'", Integer.class, customerId);
    }

    private JsonNode account(String account) {
        return sandbox.http().get().uri("/sandbox/crm/api/accounts/{a}", account).retrieve().body(JsonNode.class);
    }

    private JsonNode awaitAccount(String account, java.util.function.Predicate<JsonNode> wanted) {
        return await().atMost(FLOW_TIMEOUT).until(() -> account(account), wanted::test);
    }

    private Map<String, Object> erpCustomer(String account) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT cust_no, cust_nm, tax_id, crm_rev, crm_act, CAST(addr AS text)"
                + " AS addr, CAST(cntc AS text) AS cntc, cr_lmt, pay_terms, blk_flg FROM erp.cust_mst WHERE crm_ref = ?", account);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private Map<String, Object> awaitErpCustomer(String account, java.util.function.Predicate<Map<String, Object>> wanted) {
        return await().atMost(FLOW_TIMEOUT).until(() -> erpCustomer(account), c -> c != null && wanted.test(c));
    }
}
