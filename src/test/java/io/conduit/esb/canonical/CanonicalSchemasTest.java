package io.conduit.esb.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalSchemasTest {

    static Order fullOrder() {
        return new Order("OPP-1001", 2, "crm", new CustomerRef("ACC-204", "Acme GmbH"),
                LocalDate.of(2026, 11, 20), LocalDate.of(2026, 12, 1), "EUR",
                List.of(new OrderLine(1, "P-100", "Steel bracket", new BigDecimal("10"), new BigDecimal("100.00"),
                                new BigDecimal("1000.00")),
                        new OrderLine(2, "P-200", "Bolt set", new BigDecimal("5"), new BigDecimal("46.90"),
                                new BigDecimal("234.50"))),
                new BigDecimal("1234.50"));
    }

    static Order minimalOrder() {
        return new Order("OPP-1002", 1, "crm", new CustomerRef("ACC-311", "Nordlicht Logistik AG"),
                LocalDate.of(2026, 11, 21), null, "CHF",
                List.of(new OrderLine(1, "P-300", null, BigDecimal.ONE, new BigDecimal("89.90"), new BigDecimal("89.90"))),
                new BigDecimal("89.90"));
    }

    static Customer fullCustomer() {
        return new Customer(1, "ACC-204", "crm", 3, OffsetDateTime.of(2026, 11, 20, 9, 0, 0, 0, ZoneOffset.UTC), "C0000042",
                "Acme GmbH", "DE136695976", true,
                List.of(new Customer.CustomerAddress("BILLING", "Industriestr. 5", "10115", "Berlin", "DE"),
                        new Customer.CustomerAddress("SHIPPING", null, null, "Potsdam", "DE")),
                List.of(new Customer.Contact("Eva Klein", "Purchasing", "orders@acme.example", "+49 30 1234567")),
                null, null, null);
    }

    static Invoice invoice() {
        return new Invoice(1, "IN0000042", "erp", 3, OffsetDateTime.of(2026, 11, 20, 9, 15, 2, 0, ZoneOffset.UTC),
                "PARTLY_PAID", "EUR", new BigDecimal("11900.00"), new BigDecimal("4000.00"), new BigDecimal("7900.00"),
                LocalDate.of(2026, 11, 2), LocalDate.of(2026, 12, 2), "OPP-1042", "SO0000017",
                new Invoice.Customer("C0000042", "ACC-204"));
    }

    static Supplier supplier() {
        return new Supplier(1, "SUP-30001", "crm", 2, OffsetDateTime.of(2026, 12, 1, 9, 0, 0, 0, ZoneOffset.UTC), "V0000007",
                "Stahlwerk Nord GmbH", "DE811569869", true, 4,
                List.of(new Customer.CustomerAddress("BILLING", "Hafenweg 3", "20457", "Hamburg", "DE")),
                List.of(new Customer.Contact("Jan Ohlsen", "Sales", "jan@stahlwerk.example", null)));
    }

    static Product product() {
        return new Product(1, "P-100", "erp", 3, OffsetDateTime.of(2026, 11, 20, 9, 15, 2, 0, ZoneOffset.UTC),
                "Hydraulic pump HP-10", "EA", "PUMP", true, new Product.Money(new BigDecimal("1250.00"), "EUR"));
    }

    static PriceList priceList() {
        return new PriceList(1, "STANDARD", "erp", 7, OffsetDateTime.of(2026, 11, 20, 9, 15, 2, 0, ZoneOffset.UTC),
                "Standard prices 2027", "EUR", true, List.of(
                new PriceList.Entry("P-100", new BigDecimal("1190.00"), null, LocalDate.of(2026, 12, 31)),
                new PriceList.Entry("P-100", new BigDecimal("1290.00"), LocalDate.of(2027, 1, 1), null)));
    }

    static Customer erpCustomer() {
        return new Customer(1, "ACC-204", "erp", 7, OffsetDateTime.of(2026, 11, 21, 8, 0, 0, 0, ZoneOffset.UTC), "C0000042",
                null, null, null, null, null, new Customer.CreditLimit(new BigDecimal("50000.00"), "EUR"), "NET30", false);
    }

    static OrderAcknowledgement acknowledgement() {
        return new OrderAcknowledgement("OPP-1001", "crm", 2, "SO0100001", OrderStatus.ACCEPTED, "NEW",
                OrderAcknowledgement.Outcome.CREATED, OffsetDateTime.of(2026, 11, 20, 9, 15, 2, 120_000_000, ZoneOffset.UTC));
    }

    static ApprovalRequest requisition() {
        Map<String, Object> item = new java.util.LinkedHashMap<>();
        item.put("itemId", "P-1600");
        item.put("description", "Hydraulic pump");
        item.put("unit", "PCS");
        Map<String, Object> supplier = new java.util.LinkedHashMap<>();
        supplier.put("supplierId", "S-100");
        supplier.put("name", "Pumpen Meyer GmbH");
        Map<String, Object> subject = new java.util.LinkedHashMap<>();
        subject.put("requisitionNo", "PR0000001");
        subject.put("item", item);
        subject.put("quantity", 8);
        subject.put("unitPrice", 7500.5);
        subject.put("estimatedCost", 60004.0);
        subject.put("neededBy", "2026-12-01");
        subject.put("suggestedSupplier", supplier);
        subject.put("budgetLine", "PRD-2026");
        Map<String, Object> context = new java.util.LinkedHashMap<>();
        context.put("remainingBudget", 440000.0);
        context.put("budgetTotal", 500000);
        return new ApprovalRequest("PR0000001", ApprovalJourney.PURCHASE_REQUISITION, "erp", 1,
                ApprovalRequest.Status.PENDING, "PRODUCTION", "jdoe", new BigDecimal("60004.00"), "EUR",
                "8 PCS P-1600 Hydraulic pump", subject, context,
                OffsetDateTime.of(2026, 11, 20, 9, 15, 2, 0, ZoneOffset.UTC));
    }

    static ApprovalRequest quote() {
        Map<String, Object> subject = new java.util.LinkedHashMap<>();
        subject.put("quoteNo", "Q-5007");
        subject.put("customer", Map.of("accountNo", "ACC-1001", "name", "M\u00fcller Maschinenbau GmbH"));
        subject.put("opportunityId", null);
        subject.put("salesperson", "anna.berger");
        subject.put("lines", List.of(Map.of("sku", "HX-200", "quantity", 2, "unitPrice", 25000)));
        subject.put("listTotal", 50000);
        subject.put("discountPercent", 18);
        subject.put("discountAmount", 9000);
        subject.put("netTotal", 41000);
        subject.put("marginPercent", 14.63);
        return new ApprovalRequest("Q-5007", ApprovalJourney.QUOTE_DISCOUNT, "crm", 2,
                ApprovalRequest.Status.PENDING, "SALES-DACH", "anna.berger", new BigDecimal("9000.00"), "EUR",
                "Quote Q-5007: 18 % discount", subject, Map.of("approvalReason", "discount 18.00 % above 10.00 %"),
                OffsetDateTime.of(2026, 12, 1, 9, 15, 0, 0, ZoneOffset.UTC));
    }

    static ApprovalDecision quoteDecision() {
        OffsetDateTime at = OffsetDateTime.of(2026, 12, 2, 15, 0, 0, 0, ZoneOffset.UTC);
        Map<String, Object> subject = new java.util.LinkedHashMap<>();
        subject.put("quoteNo", "Q-5007");
        subject.put("requestedDiscountPercent", 18);
        subject.put("approvedDiscountPercent", 12);
        return new ApprovalDecision("Q-5007@2", "Q-5007", ApprovalJourney.QUOTE_DISCOUNT, 2, "b".repeat(64),
                ApprovalDecision.Outcome.CHANGED, null, "12 % is as far as we go", "sales.director", at,
                List.of(new ApprovalDecision.Step(1, "SALES-HEAD-SALES-DACH", 0, ApprovalDecision.Outcome.CHANGED,
                        "sales.director", null, new BigDecimal("12"), at)), subject);
    }

    static ApprovalDecision approvalDecision() {
        OffsetDateTime at = OffsetDateTime.of(2026, 11, 21, 10, 0, 0, 0, ZoneOffset.UTC);
        return new ApprovalDecision("PR0000001@2", "PR0000001", ApprovalJourney.PURCHASE_REQUISITION, 2,
                "a".repeat(64), ApprovalDecision.Outcome.CHANGED, new BigDecimal("6"), null, "cfo.office",
                at, List.of(new ApprovalDecision.Step(1, "HEAD-PRODUCTION", 0, ApprovalDecision.Outcome.CHANGED,
                                "head.production", "6 are enough", new BigDecimal("6"), at.minusHours(2)),
                        new ApprovalDecision.Step(2, "CFO", 1, ApprovalDecision.Outcome.APPROVED, "cfo.office", null,
                                null, at)),
                Map.of("requisitionNo", "PR0000001"));
    }

    static TripRequest trip() {
        return new TripRequest("TR-000001", "E-1042", "Maria Weber", "SALES", "TRV-SALES",
                new TripRequest.Destination("Lyon", "FR"), "Customer workshop at Acme France",
                LocalDate.of(2026, 12, 7), LocalDate.of(2026, 12, 9), TripRequest.Transport.TRAIN,
                new BigDecimal("1450.00"), new BigDecimal("300.00"), "EUR");
    }

    /** A business trip as an approval request: the trip is the subject, its estimated cost the amount. */
    static ApprovalRequest tripApproval() {
        Map<String, Object> subject;
        try {
            // as a map holds it after JSON (numbers as doubles), so the record survives the round trip
            subject = JsonSchemas.JSON.readValue(JsonSchemas.JSON.writeValueAsString(trip()),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new ApprovalRequest("TR-000001", ApprovalJourney.BUSINESS_TRIP, "oa", 2,
                ApprovalRequest.Status.PENDING, "SALES", "E-1042", new BigDecimal("1450.00"), "EUR",
                "Business trip TR-000001: Maria Weber to Lyon (FR), 2026-12-07 to 2026-12-09", subject, null,
                OffsetDateTime.of(2026, 11, 20, 9, 15, 2, 0, ZoneOffset.UTC));
    }

    static ApprovalDecision tripDecision() {
        OffsetDateTime at = OffsetDateTime.of(2026, 11, 21, 10, 0, 0, 0, ZoneOffset.UTC);
        return new ApprovalDecision("TR-000001@2", "TR-000001", ApprovalJourney.BUSINESS_TRIP, 2, "b".repeat(64),
                ApprovalDecision.Outcome.APPROVED, null, null, "head.sales", at,
                List.of(new ApprovalDecision.Step(1, "HEAD-SALES", 0, ApprovalDecision.Outcome.APPROVED, "head.sales",
                        null, null, at)),
                Map.of("tripId", "TR-000001"));
    }

    static List<Object[]> validInstances() {
        return List.of(
                new Object[]{"full order", CanonicalSchemas.ORDER, fullOrder()},
                new Object[]{"order without optional fields", CanonicalSchemas.ORDER, minimalOrder()},
                new Object[]{"full customer", CanonicalSchemas.CUSTOMER, fullCustomer()},
                new Object[]{"customer: the ERP's fields", CanonicalSchemas.CUSTOMER, erpCustomer()},
                new Object[]{"supplier", CanonicalSchemas.SUPPLIER, supplier()},
                new Object[]{"supplier not rated, without tax id or vendor number yet", CanonicalSchemas.SUPPLIER,
                        new Supplier(1, "SUP-30002", "crm", 1, OffsetDateTime.of(2026, 12, 1, 9, 0, 0, 0, ZoneOffset.UTC), null,
                                "Kleinteile Meyer", null, false, null, List.of(), List.of())},
                new Object[]{"product", CanonicalSchemas.PRODUCT, product()},
                new Object[]{"product without list price or group", CanonicalSchemas.PRODUCT,
                        new Product(1, "P-2000", "erp", 1, OffsetDateTime.of(2026, 11, 20, 9, 15, 2, 0, ZoneOffset.UTC),
                                "Installation service (per hour)", "H", null, false, null)},
                new Object[]{"price list with dated entries", CanonicalSchemas.PRICE_LIST, priceList()},
                new Object[]{"partly paid invoice", CanonicalSchemas.INVOICE, invoice()},
                new Object[]{"direct invoice without CRM order, account or due date", CanonicalSchemas.INVOICE,
                        new Invoice(1, "IN0000043", "erp", 1, OffsetDateTime.of(2026, 11, 20, 9, 15, 2, 0, ZoneOffset.UTC),
                                "ISSUED", "EUR", new BigDecimal("80.00"), BigDecimal.ZERO, new BigDecimal("80.00"),
                                LocalDate.of(2026, 11, 20), null, null, null, new Invoice.Customer("C0000007", null))},
                new Object[]{"acknowledgement", CanonicalSchemas.ORDER_ACKNOWLEDGEMENT, acknowledgement()},
                new Object[]{"purchase requisition approval request", CanonicalSchemas.APPROVAL_REQUEST, requisition()},
                new Object[]{"withdrawn requisition without supplier or context", CanonicalSchemas.APPROVAL_REQUEST,
                        new ApprovalRequest("PR0000002", ApprovalJourney.PURCHASE_REQUISITION, "erp", 3,
                                ApprovalRequest.Status.WITHDRAWN, "MAINTENANCE", null, new BigDecimal("12.50"), "EUR",
                                "5 PCS P-100", new java.util.LinkedHashMap<>(Map.of("requisitionNo", "PR0000002",
                                "item", Map.of("itemId", "P-100"), "quantity", 5, "unitPrice", 2.5,
                                "estimatedCost", 12.5, "neededBy", "2026-12-01", "budgetLine", "MNT-2026")),
                                null, OffsetDateTime.of(2026, 11, 20, 9, 15, 2, 0, ZoneOffset.UTC))},
                new Object[]{"approval decision changed over two steps", CanonicalSchemas.APPROVAL_DECISION,
                        approvalDecision()},
                new Object[]{"quote discount approval request", CanonicalSchemas.APPROVAL_REQUEST, quote()},
                new Object[]{"quote discount approved lower", CanonicalSchemas.APPROVAL_DECISION, quoteDecision()},
                new Object[]{"business trip request", CanonicalSchemas.TRIP_REQUEST, trip()},
                new Object[]{"business trip approval request", CanonicalSchemas.APPROVAL_REQUEST, tripApproval()},
                new Object[]{"business trip approval decision", CanonicalSchemas.APPROVAL_DECISION, tripDecision()});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validInstances")
    void serialisedRecordsAreValid(String description, CanonicalSchemas.Schema schema, Object record) {
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(schema), record)).isEmpty();
        assertThat(CanonicalSchemas.byType(record.getClass())).contains(schema);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validInstances")
    void recordsSurviveAJsonRoundTrip(String description, CanonicalSchemas.Schema schema, Object record)
            throws Exception {
        String text = JsonSchemas.JSON.writeValueAsString(record);
        assertThat(JsonSchemas.JSON.readValue(text, record.getClass())).isEqualTo(record);
    }

    @Test
    void datesAreIsoStringsEvenWhereTheMapperWritesDatesAsTimestamps() {
        ObjectMapper timestamps = JsonMapper.builder().addModule(new JavaTimeModule()).build();
        JsonNode order = timestamps.valueToTree(fullOrder());
        JsonNode ack = timestamps.valueToTree(acknowledgement());
        assertThat(order.get("orderDate").asText()).isEqualTo("2026-11-20");
        assertThat(ack.get("acknowledgedAt").asText()).isEqualTo("2026-11-20T09:15:02.12Z");
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.ORDER), order)).isEmpty();
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.ORDER_ACKNOWLEDGEMENT), ack)).isEmpty();
    }

    @Test
    void optionalFieldsMayAlsoBeExplicitNull() {
        ObjectNode order = JsonSchemas.JSON.valueToTree(minimalOrder());
        order.putNull("requestedDeliveryDate");
        ((ObjectNode) order.get("lines").get(0)).putNull("description");
        ObjectNode customer = JsonSchemas.JSON.valueToTree(fullCustomer());
        customer.putNull("taxId").putNull("erpCustomerNumber").putNull("creditLimit").putNull("paymentTerms");
        ObjectNode erp = JsonSchemas.JSON.valueToTree(erpCustomer());
        erp.putNull("creditLimit").putNull("paymentTerms");

        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.ORDER), order)).isEmpty();
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.CUSTOMER), customer)).isEmpty();
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.CUSTOMER), erp)).isEmpty();
    }

    static List<Object[]> invalidInstances() {
        return List.of(
                invalid("currency not ISO 4217", CanonicalSchemas.ORDER, fullOrder(),
                        o -> o.put("currency", "eur"), "/currency"),
                invalid("revision 0", CanonicalSchemas.ORDER, fullOrder(), o -> o.put("revision", 0), "/revision"),
                invalid("no lines", CanonicalSchemas.ORDER, fullOrder(), o -> o.putArray("lines"), "/lines"),
                invalid("zero quantity", CanonicalSchemas.ORDER, fullOrder(),
                        o -> line(o, 1).put("quantity", 0), "/lines/1/quantity"),
                invalid("amount as string", CanonicalSchemas.ORDER, fullOrder(),
                        o -> o.put("totalAmount", "1234.50"), "/totalAmount"),
                invalid("order date not a date", CanonicalSchemas.ORDER, fullOrder(),
                        o -> o.put("orderDate", "20.11.2026"), "/orderDate"),
                invalid("missing order id", CanonicalSchemas.ORDER, fullOrder(), o -> o.remove("orderId"), "orderId"),
                invalid("missing customer name", CanonicalSchemas.ORDER, fullOrder(),
                        o -> ((ObjectNode) o.get("customer")).remove("name"), "name"),
                invalid("unknown property", CanonicalSchemas.ORDER, fullOrder(),
                        o -> o.put("discount", 5), "discount"),
                invalid("unknown line property", CanonicalSchemas.ORDER, fullOrder(),
                        o -> line(o, 0).put("sku", "P-100"), "sku"),
                invalid("price valid from a day that is no date", CanonicalSchemas.PRICE_LIST, priceList(),
                        o -> ((ObjectNode) o.get("entries").get(1)).put("validFrom", "2027-02-30x"), "/entries/1/validFrom"),
                invalid("unknown payment status", CanonicalSchemas.INVOICE, invoice(), o -> o.put("status", "DUNNED"), "/status"),
                invalid("negative open amount", CanonicalSchemas.INVOICE, invoice(), o -> o.put("openAmount", -1), "/openAmount"),
                invalid("invoice without its customer", CanonicalSchemas.INVOICE, invoice(), o -> o.remove("customer"), "customer"),
                invalid("supplier rated 6", CanonicalSchemas.SUPPLIER, supplier(), o -> o.put("rating", 6), "/rating"),
                invalid("negative list price", CanonicalSchemas.PRODUCT, product(),
                        o -> ((ObjectNode) o.get("listPrice")).put("amount", -1), "/listPrice"),
                invalid("product of the CRM", CanonicalSchemas.PRODUCT, product(), o -> o.put("source", "crm"), "/source"),
                invalid("country not alpha-2", CanonicalSchemas.CUSTOMER, fullCustomer(),
                        o -> ((ObjectNode) o.get("addresses").get(0)).put("country", "DEU"), "/addresses/0/country"),
                invalid("unknown address type", CanonicalSchemas.CUSTOMER, fullCustomer(),
                        o -> ((ObjectNode) o.get("addresses").get(1)).put("type", "HOME"), "/addresses/1/type"),
                invalid("CRM state without its legal name", CanonicalSchemas.CUSTOMER, fullCustomer(),
                        o -> o.remove("legalName"), "legalName"),
                invalid("ERP state without its customer number", CanonicalSchemas.CUSTOMER, erpCustomer(),
                        o -> o.putNull("erpCustomerNumber"), "/erpCustomerNumber"),
                invalid("ERP state without the block", CanonicalSchemas.CUSTOMER, erpCustomer(),
                        o -> o.remove("blocked"), "blocked"),
                invalid("negative credit limit", CanonicalSchemas.CUSTOMER, erpCustomer(),
                        o -> ((ObjectNode) o.get("creditLimit")).put("amount", -1), "/creditLimit"),
                invalid("tax id with spaces", CanonicalSchemas.CUSTOMER, fullCustomer(),
                        o -> o.put("taxId", "DE 136 695 976"), "/taxId"),
                invalid("unknown status", CanonicalSchemas.ORDER_ACKNOWLEDGEMENT, acknowledgement(),
                        o -> o.put("status", "DONE"), "/status"),
                invalid("unknown outcome", CanonicalSchemas.ORDER_ACKNOWLEDGEMENT, acknowledgement(),
                        o -> o.put("outcome", "IGNORED"), "/outcome"),
                invalid("acknowledgedAt not a date-time", CanonicalSchemas.ORDER_ACKNOWLEDGEMENT, acknowledgement(),
                        o -> o.put("acknowledgedAt", "2026-11-20"), "/acknowledgedAt"),
                invalid("missing ERP order number", CanonicalSchemas.ORDER_ACKNOWLEDGEMENT, acknowledgement(),
                        o -> o.remove("erpOrderNumber"), "erpOrderNumber"),
                // limits of the ERP columns an order ends in
                invalid("revision 1e32 (a whole number, so an integer to JSON Schema)", CanonicalSchemas.ORDER, fullOrder(),
                        o -> o.put("revision", 1e32), "/revision"),
                invalid("revision above the ERP's integer", CanonicalSchemas.ORDER, fullOrder(),
                        o -> o.put("revision", 2147483648L), "/revision"),
                invalid("negative revision", CanonicalSchemas.ORDER, fullOrder(), o -> o.put("revision", -1), "/revision"),
                invalid("line number 1e32", CanonicalSchemas.ORDER, fullOrder(),
                        o -> line(o, 0).put("lineNumber", 1e32), "/lines/0/lineNumber"),
                invalid("2,001-character customer name", CanonicalSchemas.ORDER, fullOrder(),
                        o -> ((ObjectNode) o.get("customer")).put("name", "x".repeat(2001)), "/customer/name"),
                invalid("customer name with NUL", CanonicalSchemas.ORDER, fullOrder(),
                        o -> ((ObjectNode) o.get("customer")).put("name", "Acme\u0000GmbH"), "/customer/name"),
                invalid("customer id longer than the ERP's 32 characters", CanonicalSchemas.ORDER, fullOrder(),
                        o -> ((ObjectNode) o.get("customer")).put("customerId", "C".repeat(33)), "/customer/customerId"),
                invalid("order id with a trailing line break", CanonicalSchemas.ORDER, fullOrder(),
                        o -> o.put("orderId", "OPP-1001\n"), "/orderId"),
                invalid("order id as a path", CanonicalSchemas.ORDER, fullOrder(),
                        o -> o.put("orderId", "../../etc/passwd"), "/orderId"),
                invalid("source longer than the ERP's 16 characters", CanonicalSchemas.ORDER, fullOrder(),
                        o -> o.put("source", "a".repeat(17)), "/source"),
                invalid("product code with an emoji", CanonicalSchemas.ORDER, fullOrder(),
                        o -> line(o, 0).put("productCode", "P-\uD83D\uDE00"), "/lines/0/productCode"),
                invalid("line description with a control character", CanonicalSchemas.ORDER, fullOrder(),
                        o -> line(o, 0).put("description", "Steel\u001Bbracket"), "/lines/0/description"),
                invalid("total amount beyond numeric(18,2)", CanonicalSchemas.ORDER, fullOrder(),
                        o -> o.put("totalAmount", new BigDecimal("10000000000000000")), "/totalAmount"),
                invalid("501 lines", CanonicalSchemas.ORDER, fullOrder(), o -> {
                    ArrayNode lines = (ArrayNode) o.get("lines");
                    while (lines.size() < 501) {
                        lines.add(lines.get(0).deepCopy());
                    }
                }, "/lines"),
                invalid("acknowledged revision 1e32", CanonicalSchemas.ORDER_ACKNOWLEDGEMENT, acknowledgement(),
                        o -> o.put("revision", 1e32), "/revision"),
                invalid("2,001-character customer name (customer)", CanonicalSchemas.CUSTOMER, fullCustomer(),
                        o -> o.put("legalName", "x".repeat(2001)), "/legalName"),
                invalid("unknown approval journey", CanonicalSchemas.APPROVAL_REQUEST, requisition(),
                        o -> o.put("journey", "HOLIDAY"), "/journey"),
                invalid("requisition without budget line", CanonicalSchemas.APPROVAL_REQUEST, requisition(),
                        o -> ((ObjectNode) o.get("subject")).remove("budgetLine"), "budgetLine"),
                invalid("zero quantity requested", CanonicalSchemas.APPROVAL_REQUEST, requisition(),
                        o -> ((ObjectNode) o.get("subject")).put("quantity", 0), "/subject/quantity"),
                invalid("quote without its discount", CanonicalSchemas.APPROVAL_REQUEST, quote(),
                        o -> ((ObjectNode) o.get("subject")).remove("discountPercent"), "discountPercent"),
                invalid("quote discount of 100 %", CanonicalSchemas.APPROVAL_REQUEST, quote(),
                        o -> ((ObjectNode) o.get("subject")).put("discountPercent", 100), "/subject/discountPercent"),
                invalid("quote subject on a requisition", CanonicalSchemas.APPROVAL_REQUEST, quote(),
                        o -> o.put("journey", "PURCHASE_REQUISITION"), "/subject"),
                invalid("decision id not requestId@version", CanonicalSchemas.APPROVAL_DECISION, approvalDecision(),
                        o -> o.put("decisionId", "PR0000001"), "/decisionId"),
                invalid("decision without steps", CanonicalSchemas.APPROVAL_DECISION, approvalDecision(),
                        o -> o.putArray("steps"), "/steps"),
                // the subject is chosen by journey: a trip's subject is a TripRequest, a requisition's is not one
                invalid("trip without cost centre", CanonicalSchemas.APPROVAL_REQUEST, tripApproval(),
                        o -> ((ObjectNode) o.get("subject")).remove("costCentre"), "costCentre"),
                invalid("trip with a requisition's subject", CanonicalSchemas.APPROVAL_REQUEST, requisition(),
                        o -> o.put("journey", "BUSINESS_TRIP"), "tripId"),
                invalid("requisition with a trip's subject", CanonicalSchemas.APPROVAL_REQUEST, tripApproval(),
                        o -> o.put("journey", "PURCHASE_REQUISITION"), "requisitionNo"),
                invalid("trip destination country not alpha-2", CanonicalSchemas.TRIP_REQUEST, trip(),
                        o -> ((ObjectNode) o.get("destination")).put("country", "FRA"), "/destination/country"),
                invalid("unknown means of transport", CanonicalSchemas.TRIP_REQUEST, trip(),
                        o -> o.put("transport", "BICYCLE"), "/transport"),
                invalid("negative advance", CanonicalSchemas.TRIP_REQUEST, trip(),
                        o -> o.put("advanceRequested", -1), "/advanceRequested"),
                invalid("trip decision naming a requisition", CanonicalSchemas.APPROVAL_DECISION, tripDecision(),
                        o -> o.putObject("subject").put("requisitionNo", "TR-000001"), "tripId"));
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        ObjectNode order = JsonSchemas.JSON.valueToTree(fullOrder());
        order.put("revision", 2147483647);
        order.put("orderId", "A".repeat(64));
        order.put("source", "a".repeat(16));
        ((ObjectNode) order.get("customer")).put("name", "M\u00fcller & S\u00f6hne \u00e9\u00e8 \u4e2d\u6587 ".repeat(10).substring(0, 200))
                .put("customerId", "C".repeat(32));
        line(order, 0).put("lineNumber", 2147483647).put("productCode", "P".repeat(32)).put("description", "d".repeat(200));
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.ORDER), order)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidInstances")
    void invalidInstancesAreRejectedNamingTheField(String description, CanonicalSchemas.Schema schema,
                                                   JsonNode instance, String field) {
        List<ValidationMessage> violations = JsonSchemas.validate(JsonSchemas.canonical(schema), instance);
        assertThat(violations).as(description).isNotEmpty();
        assertThat(violations).as(description)
                .anySatisfy(v -> assertThat(v.getInstanceLocation() + " " + v.getMessage()).contains(field));
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void schemaFilesFollowTheConventions(CanonicalSchemas.Schema schema) {
        JsonNode node = JsonSchemas.canonicalSchemaNode(schema);
        assertThat(node.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(node.path("$id").asText()).isEqualTo(schema.id()).startsWith("urn:conduit:schema:" + schema.name());
        assertThat(node.path("required")).isNotEmpty();
        assertThat(objectsWithoutAdditionalPropertiesFalse(node, "#")).isEmpty();
        assertThat(CanonicalSchemas.byId(schema.id())).contains(schema);
        assertThat(JsonSchemas.unboundedStrings(node)).as("strings without maxLength").isEmpty();
    }

    @Test
    void theEnvelopeBoundsItsStringsToo() {
        assertThat(JsonSchemas.unboundedStrings(JsonSchemas.canonicalSchemaNode(CanonicalSchemas.ENVELOPE))).isEmpty();
    }

    static List<CanonicalSchemas.Schema> schemas() {
        return CanonicalSchemas.all();
    }

    @Test
    void eventTypesNameTheirPayloadSchemas() {
        assertThat(EventTypes.payloadSchema(EventTypes.ORDER_RECEIVED)).contains(CanonicalSchemas.ORDER);
        assertThat(EventTypes.payloadSchema(EventTypes.ORDER_ACKNOWLEDGED))
                .contains(CanonicalSchemas.ORDER_ACKNOWLEDGEMENT);
        assertThat(EventTypes.payloadSchema("io.conduit.unknown")).isEmpty();
        assertThat(CanonicalSchemas.ORDER.location()).isEqualTo("schemas/canonical/order.schema.json");
    }

    private static Object[] invalid(String description, CanonicalSchemas.Schema schema, Object valid,
                                    Consumer<ObjectNode> breakIt, String field) {
        ObjectNode node = JsonSchemas.JSON.valueToTree(valid);
        breakIt.accept(node);
        return new Object[]{description, schema, node, field};
    }

    private static ObjectNode line(ObjectNode order, int index) {
        return (ObjectNode) ((ArrayNode) order.get("lines")).get(index);
    }

    /**
     * JSON pointers of object schemas (with "properties") that do not forbid additional properties. Conditional
     * subschemas ({@code if}/{@code then}/{@code else}, {@code not}) only test or narrow properties declared where
     * the object is (the subject chosen by journey), so they are not searched; what they refer to in $defs is.
     */
    private static List<String> objectsWithoutAdditionalPropertiesFalse(JsonNode node, String pointer) {
        List<String> found = new ArrayList<>();
        // an if/then/else of a journey's subject shape constrains an object declared (closed) elsewhere: not one itself
        boolean conditional = pointer.endsWith("/if") || pointer.endsWith("/then") || pointer.endsWith("/else");
        if (node.isObject() && conditional) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getKey().equals("properties")) {
                    found.addAll(objectsWithoutAdditionalPropertiesFalse(field.getValue(), pointer + "/" + field.getKey()));
                }
            }
        } else if (node.isObject()) {
            if (node.has("properties") && !node.path("additionalProperties").isBoolean()) {
                found.add(pointer);
            } else if (node.has("properties") && node.get("additionalProperties").asBoolean()) {
                found.add(pointer);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                found.addAll(objectsWithoutAdditionalPropertiesFalse(field.getValue(), pointer + "/" + field.getKey()));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                found.addAll(objectsWithoutAdditionalPropertiesFalse(node.get(i), pointer + "/" + i));
            }
        }
        return found;
    }
}
