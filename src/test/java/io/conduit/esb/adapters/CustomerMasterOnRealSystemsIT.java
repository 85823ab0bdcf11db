package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.realsystems.RealSystemsIntegrationTest;
import io.conduit.esb.support.TaxIds;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The customer master with the ERP switched to a real Tryton by configuration only (the pair sandbox.tryton of
 * esb.customer-master.adapters): an account created in the (sandbox) CRM becomes one Tryton party - the CRM account and
 * the tax id as its identifiers, its address and contact mechanisms -, Tryton's party code comes back to the CRM as the
 * ERP number; finance's credit limit, payment term and block set in Tryton come back to the CRM account, and a rename
 * in the CRM reaches the party without touching them. A party entered in Tryton first is found by its tax id, not
 * created twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerMasterOnRealSystemsIT extends RealSystemsIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerMasterOnRealSystemsIT.class);
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);

    private TrytonErp tryton;

    @Autowired
    private CamelContext camel;

    @BeforeAll
    void systems() throws Exception {
        tryton = TrytonErp.startTrytonIfAvailable().orElseThrow();
        assertThat(tryton.whyNoCustomers()).as("Tryton's customer set-up (ops/real-systems/start.sh)").isNull();
        // Tryton keeps its parties between runs, each carrying the CRM account it came from, while every run's sandbox
        // CRM numbers its accounts from ACC-20001 again: a second run's ACC-20001 found the first run's party by that
        // reference (as it should, for one CRM) and the assertions failed. Each run numbers its accounts apart.
        jdbc.queryForObject("SELECT setval('sandbox_crm.account_seq', ?)", Long.class,
                System.currentTimeMillis() / 1000 * 10);
    }

    @AfterAll
    void stopSystems() {
        tryton.close();
    }

    @Test
    void anAccountBecomesATrytonPartyAndTrytonsTermsComeBackWhileEachSideKeepsItsOwn() throws Exception {
        String tax = TaxIds.germanVat();
        long created = System.currentTimeMillis();
        String account = createAccount("Rheinland Armaturen GmbH", tax, "Köln", "einkauf@rheinland.example");

        JsonNode withNumber = awaitAccount(account, a -> !a.path("erp_customer_no").isNull());
        LOG.info("The CRM account {} shows Tryton's party code {} {} ms after it was created", account,
                withNumber.path("erp_customer_no").asText(), System.currentTimeMillis() - created);
        String code = withNumber.path("erp_customer_no").asText();
        ErpCustomersUnderTest.ErpCustomer party = tryton.customer(code);
        assertThat(party.name()).isEqualTo("Rheinland Armaturen GmbH");
        assertThat(party.taxId()).isEqualTo(tax);
        assertThat(party.crmRef()).isEqualTo(account);
        assertThat(party.cities()).containsExactly("Köln");
        assertThat(party.emails()).containsExactly("einkauf@rheinland.example");
        assertThat(tryton.customersOfAccount(account)).isEqualTo(1);

        // finance sets the credit limit, a payment term and the block in Tryton while sales rename the account
        long set = System.currentTimeMillis();
        tryton.setTerms(code, "30000", "NET60", true);
        sandbox.http().patch().uri("/sandbox/crm/api/accounts/{a}", account).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("legalName", "Rheinland Armaturen GmbH & Co. KG")).retrieve().toBodilessEntity();
        JsonNode terms = awaitAccount(account, a -> a.path("blocked").asBoolean() && "NET60".equals(a.path("payment_terms").asText()));
        LOG.info("The CRM account {} shows Tryton's credit hold {} ms after finance set it", account, System.currentTimeMillis() - set);
        assertThat(terms.path("credit_limit").decimalValue()).isEqualByComparingTo("30000");
        assertThat(terms.path("legal_name").asText()).isEqualTo("Rheinland Armaturen GmbH & Co. KG");
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            ErpCustomersUnderTest.ErpCustomer renamed = tryton.customer(code);
            assertThat(renamed.name()).isEqualTo("Rheinland Armaturen GmbH & Co. KG");
            assertThat(renamed.creditLimit()).isEqualByComparingTo("30000");
            assertThat(renamed.paymentTerms()).isEqualTo("NET60");
            assertThat(renamed.blocked()).isTrue();
        });
        assertThat(tryton.customersOfAccount(account)).isEqualTo(1);
    }

    @Test
    void aPartyEnteredInTrytonFirstIsFoundByItsTaxIdNotCreatedTwice() throws Exception {
        String tax = TaxIds.germanVat();
        String code = tryton.enterCustomer("Elbe Hydraulik AG", tax);
        String account = createAccount("Elbe Hydraulik AG", tax, "Dresden", "info@elbe.example");
        awaitAccount(account, a -> code.equals(a.path("erp_customer_no").asText()));
        assertThat(tryton.customersWithTaxId(tax)).isEqualTo(1);
        assertThat(tryton.customer(code).crmRef()).isEqualTo(account);
        assertThat(jdbc.queryForObject("SELECT crm_outcome FROM esb.customer_master WHERE customer_id = ?", String.class,
                account)).isEqualTo("LINKED");
    }

    /**
     * An order for a customer Tryton does not know yet is not refused: the order handoff makes the party (the CRM account
     * as its identifier, the opportunity's account name). The customer master, capturing the account afterwards, finds
     * that party by the account and completes it (legal name, tax id, address, contacts): one party, not two. Here the
     * order certainly comes first: the customer master's capture is held until the sale is in Tryton.
     */
    @Test
    void anOrderWonBeforeItsAccountReachedTrytonMakesThePartyAndTheCustomerMasterCompletesIt() throws Exception {
        String tax = TaxIds.germanVat();
        String opportunity = "OPP-RSC" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String account;
        camel.getRouteController().stopRoute("customer-master.poller");
        try {
            account = createAccount("Weser Pumpen GmbH", tax, "Bremen", "einkauf@weser.example");
            sandbox.createOpportunity(opportunity, account, "Weser Pumpen");
            sandbox.win(opportunity);
            await().atMost(FLOW_TIMEOUT).until(() -> tryton.ordersWithReference(opportunity) == 1);
            assertThat(tryton.customersOfAccount(account)).as("the order handoff made the party").isEqualTo(1);
        } finally {
            camel.getRouteController().startRoute("customer-master.poller");
        }

        String code = awaitAccount(account, a -> !a.path("erp_customer_no").isNull()).path("erp_customer_no").asText();
        assertThat(tryton.customersOfAccount(account)).as("still one party for the account").isEqualTo(1);
        assertThat(tryton.customersWithTaxId(tax)).isEqualTo(1);
        ErpCustomersUnderTest.ErpCustomer party = tryton.customer(code);
        assertThat(party.name()).as("the CRM's legal name, not the order's account name").isEqualTo("Weser Pumpen GmbH");
        assertThat(party.taxId()).isEqualTo(tax);
        assertThat(party.crmRef()).isEqualTo(account);
        assertThat(party.cities()).contains("Bremen");
        assertThat(jdbc.queryForObject("SELECT crm_outcome FROM esb.customer_master WHERE customer_id = ?", String.class,
                account)).as("the party was found, not created").isNotEqualTo("CREATED");
    }

    /**
     * Two CRM accounts of one customer, both already Tryton parties, one with a sale: sales merge the duplicate into the
     * account they keep. Tryton's own Replace wizard replaces the duplicate's party by the kept one's - the sale moves
     * over, the duplicate's party is archived with "replaced by", nothing is deleted - and the kept party gains the
     * duplicate's address and contact.
     */
    @Test
    void twoAccountsMergedInTheCrmAreOnePartyInTrytonWithTheDuplicatesSales() throws Exception {
        String kept = createAccount("Mosel Kellerei GmbH", TaxIds.germanVat(), "Trier", "einkauf@mosel.example");
        String duplicate = createAccount("Mosel Kellerei (Bernkastel)", TaxIds.germanVat(), "Bernkastel", "bk@mosel.example");
        String keptCode = awaitAccount(kept, a -> !a.path("erp_customer_no").isNull()).path("erp_customer_no").asText();
        String duplicateCode = awaitAccount(duplicate, a -> !a.path("erp_customer_no").isNull()).path("erp_customer_no").asText();
        String opportunity = "OPP-RSM" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        sandbox.createOpportunity(opportunity, duplicate, "Mosel Kellerei (Bernkastel)");
        sandbox.win(opportunity);
        await().atMost(FLOW_TIMEOUT).until(() -> tryton.ordersWithReference(opportunity) == 1);
        assertThat(tryton.partyOfOrder(opportunity)).isEqualTo(duplicateCode);

        long merged = System.currentTimeMillis();
        sandbox.http().post().uri("/sandbox/crm/api/accounts/{a}/merge", kept).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("from", duplicate)).retrieve().toBodilessEntity();

        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> keptCode.equals(tryton.mergedInto(duplicateCode)));
        LOG.info("Tryton replaced party {} by {} {} ms after the merge in the CRM", duplicateCode, keptCode,
                System.currentTimeMillis() - merged);
        assertThat(tryton.partyOfOrder(opportunity)).as("the duplicate's sale moved to the kept party").isEqualTo(keptCode);
        await().atMost(FLOW_TIMEOUT).untilAsserted(() -> {
            ErpCustomersUnderTest.ErpCustomer party = tryton.customer(keptCode);
            assertThat(party.crmRef()).isEqualTo(kept);
            assertThat(party.cities()).contains("Trier", "Bernkastel");
            assertThat(party.emails()).contains("einkauf@mosel.example", "bk@mosel.example");
        });
        assertThat(jdbc.queryForObject("SELECT crm_outcome FROM esb.customer_master WHERE customer_id = ?", String.class,
                duplicate)).isEqualTo("MERGED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM esb.parked_message WHERE flow = 'customer-master'"
                + " AND business_key IN (?, ?) AND status = 'PARKED'", Integer.class, kept, duplicate)).isZero();
    }

    private String createAccount(String legalName, String taxId, String city, String email) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("legalName", legalName);
        body.put("taxId", taxId);
        body.put("addresses", List.of(Map.of("type", "BILLING", "street", "Rheinufer 1", "postalCode", "50668",
                "city", city, "country", "DE")));
        body.put("contacts", List.of(Map.of("name", "Eva Klein", "role", "Purchasing", "email", email)));
        return sandbox.http().post().uri("/sandbox/crm/api/accounts").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().body(JsonNode.class).path("account_no").asText();
    }

    private JsonNode awaitAccount(String account, Predicate<JsonNode> wanted) {
        return await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> sandbox.http().get()
                .uri("/sandbox/crm/api/accounts/{a}", account).retrieve().body(JsonNode.class), wanted::test);
    }
}
