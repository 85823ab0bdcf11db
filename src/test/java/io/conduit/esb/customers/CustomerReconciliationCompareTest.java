package io.conduit.esb.customers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the reconciliation counts as a difference between the CRM's account and the ERP's customer linked to it (the
 * ports' answers, adapters/{crm,erp}/customers-page.schema.json): each owned field by its owner, numbers by value,
 * lists whatever their order, a field a system does not keep (left out of its answer) not compared.
 */
class CustomerReconciliationCompareTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CustomerReconciliation reconciliation = new CustomerReconciliation(null, null, JSON, 500);

    private static final String CRM = """
            {"customerId": "ACC-1", "erpCustomerNumber": "C0000001", "mergedInto": null, "legalName": "Ostwind KG",
             "taxId": "DE136695976", "active": true,
             "addresses": [{"type": "BILLING", "street": null, "postalCode": null, "city": "Kiel", "country": "DE"},
                           {"type": "SHIPPING", "street": "Hafen 1", "postalCode": "24103", "city": "Kiel", "country": "DE"}],
             "contacts": [{"name": "Eva Klein", "role": null, "email": "eva@ostwind.example", "phone": null}],
             "creditLimit": {"amount": 50000.00, "currency": "EUR"}, "paymentTerms": "NET60", "blocked": true}""";

    @Test
    void theSameCustomerHeldAlikeDiffersInNothingWhateverTheOrderOfItsListsAndTheScaleOfItsNumbers() throws Exception {
        String erp = """
                {"customerId": "ACC-1", "erpCustomerNumber": "C0000001", "legalName": "Ostwind KG", "taxId": "DE136695976",
                 "active": true,
                 "addresses": [{"type": "SHIPPING", "street": "Hafen 1", "postalCode": "24103", "city": "Kiel", "country": "DE"},
                               {"type": "BILLING", "street": null, "postalCode": null, "city": "Kiel", "country": "DE"}],
                 "contacts": [{"name": "Eva Klein", "role": null, "email": "eva@ostwind.example", "phone": null}],
                 "creditLimit": {"amount": 50000, "currency": "EUR"}, "paymentTerms": "NET60", "blocked": true}""";
        assertThat(reconciliation.compare("ACC-1", JSON.readTree(CRM), JSON.readTree(erp))).isEmpty();
    }

    @Test
    void eachDifferingFieldIsNamedWithItsOwnerTheOwnersValueAndTheOthers() throws Exception {
        String erp = """
                {"customerId": "ACC-1", "erpCustomerNumber": "C0000002", "legalName": "Ostwind Handels KG",
                 "taxId": "DE136695976", "active": false, "addresses": [], "contacts": [],
                 "creditLimit": null, "paymentTerms": "NET30", "blocked": true}""";
        List<String> found = reconciliation.compare("ACC-1", JSON.readTree(CRM), JSON.readTree(erp)).stream()
                .map(d -> d.kind() + " " + d.field() + " " + d.owner() + " " + d.ownerValue() + " " + d.otherValue()).toList();
        assertThat(found).containsExactly(
                "ERP_NUMBER_DIFFERS erpCustomerNumber ERP \"C0000002\" \"C0000001\"",
                "FIELD_DIFFERS legalName CRM \"Ostwind KG\" \"Ostwind Handels KG\"",
                "FIELD_DIFFERS active CRM true false",
                "FIELD_DIFFERS addresses CRM " + JSON.readTree(CRM).path("addresses") + " []",
                "FIELD_DIFFERS contacts CRM " + JSON.readTree(CRM).path("contacts") + " []",
                "FIELD_DIFFERS creditLimit ERP null {\"amount\":50000.0,\"currency\":\"EUR\"}",
                "FIELD_DIFFERS paymentTerms ERP \"NET30\" \"NET60\"");
    }

    @Test
    void aFieldTheErpDoesNotKeepIsNotComparedButANumberTheCrmDoesNotShowIsADifference() throws Exception {
        // Tryton's answer: no "active", no "contacts"
        String erp = """
                {"customerId": "ACC-1", "erpCustomerNumber": "C0000001", "legalName": "Ostwind KG", "taxId": "DE136695976",
                 "addresses": [{"type": "BILLING", "street": null, "postalCode": null, "city": "Kiel", "country": "DE"},
                               {"type": "SHIPPING", "street": "Hafen 1", "postalCode": "24103", "city": "Kiel", "country": "DE"}],
                 "creditLimit": {"amount": 50000, "currency": "EUR"}, "paymentTerms": "NET60", "blocked": true}""";
        JsonNode crm = JSON.readTree(CRM.replace("\"active\": true", "\"active\": false").replace("\"C0000001\"", "null"));
        assertThat(reconciliation.compare("ACC-1", crm, JSON.readTree(erp))).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo("ERP_NUMBER_DIFFERS");
            assertThat(d.ownerValue().asText()).isEqualTo("C0000001");
            assertThat(d.otherValue().isNull()).isTrue();
        });
    }
}
