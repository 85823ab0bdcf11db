package io.conduit.esb.customers;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.TaxIds;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The customer reconciliation (POST/GET /api/v1/ops/customer-master/reconciliation) on the sandbox CRM and ERP: the
 * systems are made to differ on purpose - behind the customer master's back, its capture stopped, as a user of either
 * system or a broken sync would leave them - and the report lists exactly those differences, read from the systems
 * themselves (the ESB's own state says nothing about them).
 */
class CustomerReconciliationIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(30);
    private static final String PATH = "/api/v1/ops/customer-master/reconciliation";

    @Autowired
    private CamelContext camel;

    @Test
    void listsExactlyTheCustomersTheSystemsHoldDifferently() throws Exception {
        // in step: an account the customer master carried to the ERP and whose number and terms came back
        String inStep = createAccount("Einklang GmbH", TaxIds.germanVat(), "Ulm");
        String inStepNo = awaitSynced(inStep);
        // the ERP number the CRM shows will be another than the ERP's
        String renumbered = createAccount("Zahlendreher AG", TaxIds.germanVat(), "Hof");
        String renumberedNo = awaitSynced(renumbered);
        // the ERP's copy of the name will be edited in the ERP, and the ERP's payment terms will not reach the CRM
        String edited = createAccount("Richtig Name KG", TaxIds.germanVat(), "Kiel");
        String editedNo = awaitSynced(edited);
        // a second account with the tax id of another: the customer master parks it for a person
        String parked = createAccount("Einklang (Zweitkonto)", (String) jdbc.queryForObject(
                "SELECT tax_id FROM sandbox_crm.account WHERE account_no = ?", String.class, inStep), "Ulm");
        await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM esb.parked_message WHERE flow = 'customer-master' AND business_key = ? AND status = 'PARKED'",
                Integer.class, parked) > 0);

        // two accounts of one customer, each with its ERP customer: sales will merge the second into the first
        String kept = createAccount("Doppelt GmbH", TaxIds.germanVat(), "Bonn");
        awaitSynced(kept);
        String merged = createAccount("Doppelt GmbH (alt)", TaxIds.germanVat(), "Trier");
        awaitSynced(merged);

        String missing;
        String ghost = "ACC-GHOST-" + System.nanoTime() % 1_000_000_000L;
        camel.getRouteController().stopRoute("customer-master.poller");
        try {
            // with the capture stopped: an account the ERP never gets ...
            missing = createAccount("Nie Angekommen GmbH", TaxIds.germanVat(), "Passau");
            // ... the ERP's user renames the customer and changes its terms, the CRM's copy of the number is wrong ...
            jdbc.update("UPDATE erp.cust_mst SET cust_nm = 'Falsch Name KG', pay_terms = 'NET60' WHERE cust_no = ?", editedNo);
            jdbc.update("UPDATE sandbox_crm.account SET erp_customer_no = 'C9999999' WHERE account_no = ?", renumbered);
            // ... sales merge the duplicate account (the kept one gains its address and contact; the ERP has not yet) ...
            sandbox.http().post().uri("/sandbox/crm/api/accounts/{kept}/merge", kept).contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("from", merged)).retrieve().toBodilessEntity();
            // ... and an ERP customer linked to a CRM account the CRM does not have
            jdbc.update("INSERT INTO erp.cust_mst (cust_nm, crm_ref, crm_rev) VALUES ('Geister GmbH', ?, 1)", ghost);

            ResponseEntity<JsonNode> started = operator().post().uri(PATH).retrieve().toEntity(JsonNode.class);
            assertThat(started.getStatusCode().value()).isEqualTo(202);
            String id = started.getBody().path("id").asText();
            assertThat(started.getHeaders().getLocation()).hasToString(PATH + "/" + id);

            JsonNode report = await().atMost(FLOW_TIMEOUT).until(
                    () -> viewer().get().uri(PATH + "/{id}", id).retrieve().body(JsonNode.class),
                    r -> !"RUNNING".equals(r.path("status").asText()));
            assertThat(report.path("status").asText()).as("report %s", report).isEqualTo("DONE");
            assertThat(report.path("crmCustomers").asLong()).isEqualTo(count("SELECT count(*) FROM sandbox_crm.account"));
            assertThat(report.path("erpCustomers").asLong())
                    .isEqualTo(count("SELECT count(*) FROM erp.cust_mst WHERE crm_ref IS NOT NULL"));
            assertThat(report.path("durationMs").asLong()).isNotNegative();
            assertThat(count("SELECT count(*) FROM esb.customer_reconciliation_erp WHERE run_id = CAST('" + id + "' AS uuid)"))
                    .as("the working rows are gone with the run").isZero();
            assertThat(report.path("parked").asLong()).isPositive();
            assertThat(report.path("counts").path("MISSING_IN_ERP").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(report.path("counts").path("UNKNOWN_CRM_ACCOUNT").asLong()).isPositive();
            // the latest report is this one
            assertThat(viewer().get().uri(PATH).retrieve().body(JsonNode.class).path("id").asText()).isEqualTo(id);

            assertThat(differences(id, inStep)).as("in step").isEmpty();
            assertThat(differences(id, renumbered)).containsExactly(
                    "ERP_NUMBER_DIFFERS erpCustomerNumber ERP \"" + renumberedNo + "\" \"C9999999\" null");
            assertThat(differences(id, edited)).containsExactlyInAnyOrder(
                    "FIELD_DIFFERS legalName CRM \"Richtig Name KG\" \"Falsch Name KG\" null",
                    "FIELD_DIFFERS paymentTerms ERP \"NET60\" \"NET30\" null");
            assertThat(differences(id, missing)).containsExactly("MISSING_IN_ERP null null null null null");
            assertThat(differences(id, parked)).hasSize(1).first().asString()
                    .startsWith("MISSING_IN_ERP null null null null parked for a person: ")
                    .contains("two CRM accounts for one customer");
            assertThat(differences(id, ghost)).hasSize(1).first().asString()
                    .startsWith("UNKNOWN_CRM_ACCOUNT erpCustomerNumber ERP \"C").contains("\" null the ERP customer is linked");
            assertThat(differences(id, merged)).as("a merged account is no customer of its own").isEmpty();
            assertThat(report.path("merged").asLong()).isPositive();
            assertThat(differences(id, kept)).hasSize(2).allSatisfy(d -> assertThat(d).startsWith("FIELD_DIFFERS"))
                    .anySatisfy(d -> assertThat(d).startsWith("FIELD_DIFFERS addresses CRM ").contains("Trier"))
                    .anySatisfy(d -> assertThat(d).startsWith("FIELD_DIFFERS contacts CRM ").contains("eva@trier.example"));
            assertThat(inStepNo).isNotBlank();
        } finally {
            // the ghost unlinked before the capture runs again (its terms would go to a CRM account that is not there)
            jdbc.update("UPDATE erp.cust_mst SET crm_ref = NULL WHERE crm_ref = ?", ghost);
            camel.getRouteController().startRoute("customer-master.poller");
        }
    }

    @Test
    void oneRunAtATimeAndAViewerCannotStartOne() {
        ResponseEntity<JsonNode> refused = viewer().post().uri(PATH).retrieve().toEntity(JsonNode.class);
        assertThat(refused.getStatusCode().value()).isEqualTo(403);
        // a run the database holds as running (another instance's): the next is refused with problem+json
        String other = "00000000-0000-4000-8000-00000000cafe";
        jdbc.update("INSERT INTO esb.customer_reconciliation (id, status, started_at, heartbeat_at, page_size)"
                + " VALUES (CAST(? AS uuid), 'RUNNING', now(), now(), 500)", other);
        try {
            ResponseEntity<JsonNode> busy = operator().post().uri(PATH).retrieve().toEntity(JsonNode.class);
            assertThat(busy.getStatusCode().value()).isEqualTo(409);
            assertThat(busy.getHeaders().getContentType()).hasToString("application/problem+json");
            assertThat(busy.getBody().path("detail").asText()).contains(other);
        } finally {
            jdbc.update("DELETE FROM esb.customer_reconciliation WHERE id = CAST(? AS uuid)", other);
        }
    }

    // --- the report and the systems

    /** The run's differences of one customer, each as "kind field owner ownerValue otherValue note". */
    private List<String> differences(String id, String customer) {
        JsonNode list = viewer().get().uri(PATH + "/{id}/differences?customerId={c}", id, customer).retrieve()
                .body(JsonNode.class);
        List<String> out = new ArrayList<>();
        for (JsonNode d : list) {
            out.add(d.path("kind").asText() + " " + text(d.path("field")) + " " + text(d.path("owner")) + " "
                    + (d.path("ownerValue").isNull() ? "null" : d.path("ownerValue").toString()) + " "
                    + (d.path("otherValue").isNull() ? "null" : d.path("otherValue").toString()) + " "
                    + text(d.path("note")));
        }
        return out;
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? "null" : node.asText();
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    private String createAccount(String legalName, String taxId, String city) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("legalName", legalName);
        body.put("taxId", taxId);
        body.put("addresses", List.of(Map.of("type", "BILLING", "street", "Hauptstr. 1", "postalCode", "89073",
                "city", city, "country", "DE")));
        body.put("contacts", List.of(Map.of("name", "Eva Klein", "role", "Purchasing", "email", "eva@" + city.toLowerCase() + ".example")));
        return sandbox.http().post().uri("/sandbox/crm/api/accounts").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class).path("account_no").asText();
    }

    /** Waits until the ERP has the account and the CRM shows the ERP's number; answers the number. */
    private String awaitSynced(String account) {
        String number = await().atMost(FLOW_TIMEOUT).until(() -> jdbc.queryForList(
                "SELECT cust_no FROM erp.cust_mst WHERE crm_ref = ?", String.class, account), l -> l.size() == 1).get(0);
        await().atMost(FLOW_TIMEOUT).until(() -> sandbox.http().get().uri("/sandbox/crm/api/accounts/{a}", account)
                .retrieve().body(JsonNode.class), a -> number.equals(a.path("erp_customer_no").asText())
                && "NET30".equals(a.path("payment_terms").asText()));
        return number;
    }
}
