package io.conduit.esb.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.conduit.esb.canonical.JsonSchemas;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inbound schemas refuse at intake what the targets would refuse later (and what must never become a login, a
 * path or a log line): integers beyond the targets' integer columns (1e32 is a whole number, so an integer to JSON
 * Schema), negative revisions, over-long names, identifiers that are paths or carry NUL, emoji or a line break.
 * Each refusal names the field. Valid data at the limits stays valid.
 */
class InboundSchemaLimitsTest {

    private static final String OPPORTUNITY = "crm/opportunity-webhook.schema.json";
    private static final String CASE = "crm/complaint-case-webhook.schema.json";
    private static final String HR_EVENT = "oa/hr-event.schema.json";
    private static final String TASK_EVENT = "oa/task-event.schema.json";
    private static final String PARTNER_ORDER = "partners/standard-v1/order.schema.json";
    private static final String PARTNER_COMPLAINT = "partners/standard-v1/complaint.schema.json";

    private static final String NAME_2001 = "x".repeat(2001);
    private static final String PATH = "../../etc/passwd";
    private static final String NUL = "E-1\u0000";
    private static final String EMOJI = "E-\uD83D\uDE00";

    static List<Object[]> refused() {
        List<Object[]> cases = new ArrayList<>();
        // CRM opportunity webhook -> canonical order -> ERP staging tables
        cases.add(refuse(OPPORTUNITY, "revision 1e32", w -> data(w).put("revision", 1e32), "/data/revision"));
        cases.add(refuse(OPPORTUNITY, "revision above 2147483647", w -> data(w).put("revision", 2147483648L), "/data/revision"));
        cases.add(refuse(OPPORTUNITY, "negative revision", w -> data(w).put("revision", -1), "/data/revision"));
        cases.add(refuse(OPPORTUNITY, "2,001-character account name", w -> data(w).put("accountName", NAME_2001), "/data/accountName"));
        cases.add(refuse(OPPORTUNITY, "account name with NUL", w -> data(w).put("accountName", "Acme\u0000GmbH"), "/data/accountName"));
        cases.add(refuse(OPPORTUNITY, "opportunity id as a path", w -> data(w).put("opportunityId", PATH), "/data/opportunityId"));
        cases.add(refuse(OPPORTUNITY, "opportunity id with NUL", w -> data(w).put("opportunityId", "OPP\u00001"), "/data/opportunityId"));
        cases.add(refuse(OPPORTUNITY, "opportunity id with a trailing line break", w -> data(w).put("opportunityId", "OPP-1\n"), "/data/opportunityId"));
        cases.add(refuse(OPPORTUNITY, "account number longer than the ERP's 32", w -> data(w).put("accountNo", "A".repeat(33)), "/data/accountNo"));
        cases.add(refuse(OPPORTUNITY, "event id with a quote", w -> w.put("eventId", "wh-\"1"), "/eventId"));
        cases.add(refuse(OPPORTUNITY, "SKU with an emoji", w -> product(w, 0).put("sku", EMOJI), "/data/products/0/sku"));
        cases.add(refuse(OPPORTUNITY, "line number 1e32", w -> product(w, 0).put("lineNo", 1e32), "/data/products/0/lineNo"));
        cases.add(refuse(OPPORTUNITY, "201-character product name", w -> product(w, 0).put("productName", "p".repeat(201)), "/data/products/0/productName"));
        cases.add(refuse(OPPORTUNITY, "amount with 17 integer digits", w -> data(w).put("amount", "1".repeat(17)), "/data/amount"));
        cases.add(refuse(OPPORTUNITY, "amount with 3 decimals", w -> data(w).put("amount", "1.005"), "/data/amount"));
        cases.add(refuse(OPPORTUNITY, "quantity with 16 integer digits", w -> product(w, 0).put("qty", "1".repeat(16)), "/data/products/0/qty"));
        cases.add(refuse(OPPORTUNITY, "unit price with 5 decimals", w -> product(w, 0).put("unitPrice", "1.00001"), "/data/products/0/unitPrice"));
        cases.add(refuse(OPPORTUNITY, "501 products", w -> {
            ArrayNode products = (ArrayNode) data(w).get("products");
            while (products.size() < 501) {
                products.add(products.get(0).deepCopy());
            }
        }, "/data/products"));

        // CRM case webhook -> canonical complaint
        cases.add(refuse(CASE, "2,001-character account name", w -> data(w).put("accountName", NAME_2001), "/data/accountName"));
        cases.add(refuse(CASE, "case number as a path", w -> data(w).put("caseNumber", PATH), "/data/caseNumber"));
        cases.add(refuse(CASE, "case number with NUL", w -> data(w).put("caseNumber", NUL), "/data/caseNumber"));
        cases.add(refuse(CASE, "case number with an emoji", w -> data(w).put("caseNumber", EMOJI), "/data/caseNumber"));
        cases.add(refuse(CASE, "10,001-character description", w -> data(w).put("description", "d".repeat(10001)), "/data/description"));
        cases.add(refuse(CASE, "description with NUL", w -> data(w).put("description", "cracked\u0000"), "/data/description"));
        cases.add(refuse(CASE, "subject over two lines", w -> data(w).put("subject", "Pump\r\ncracked"), "/data/subject"));
        cases.add(refuse(CASE, "related opportunity as a path", w -> data(w).put("relatedOpportunityId", PATH), "/data/relatedOpportunityId"));
        cases.add(refuse(CASE, "product SKU with an emoji", w -> data(w).put("productSku", EMOJI), "/data/productSku"));

        // OA HR event -> canonical employee -> ERP user, OA account (login), CRM user
        cases.add(refuse(HR_EVENT, "employee number as a path", w -> w.put("employeeNo", PATH), "/employeeNo"));
        cases.add(refuse(HR_EVENT, "employee number with NUL", w -> w.put("employeeNo", NUL), "/employeeNo"));
        cases.add(refuse(HR_EVENT, "employee number with an emoji", w -> w.put("employeeNo", EMOJI), "/employeeNo"));
        cases.add(refuse(HR_EVENT, "employee number with a trailing line break", w -> w.put("employeeNo", "E-1\n"), "/employeeNo"));
        cases.add(refuse(HR_EVENT, "employee number with a colon", w -> w.put("employeeNo", "ad:E-1"), "/employeeNo"));
        cases.add(refuse(HR_EVENT, "33-character employee number", w -> w.put("employeeNo", "E".repeat(33)), "/employeeNo"));
        cases.add(refuse(HR_EVENT, "manager number as a path", w -> w.put("managerNo", PATH), "/managerNo"));
        cases.add(refuse(HR_EVENT, "2,001-character full name", w -> w.put("fullName", NAME_2001), "/fullName"));
        cases.add(refuse(HR_EVENT, "full name with NUL", w -> w.put("fullName", "Anna\u0000Schmidt"), "/fullName"));
        cases.add(refuse(HR_EVENT, "e-mail address with NUL", w -> w.put("email", "anna\u0000@example.com"), "/email"));
        cases.add(refuse(HR_EVENT, "event id with a quote", w -> w.put("eventId", "HR-\"1"), "/eventId"));

        // OA task event -> canonical complaint status -> ESB complaint table, CRM case
        cases.add(refuse(TASK_EVENT, "task id as a path", w -> w.put("taskId", PATH), "/taskId"));
        cases.add(refuse(TASK_EVENT, "assignee with NUL", w -> w.put("assignee", "m.berg\u0000"), "/assignee"));
        cases.add(refuse(TASK_EVENT, "4,001-character resolution", w -> w.put("resolution", "r".repeat(4001)), "/resolution"));

        // partner order -> canonical order -> ERP staging tables
        cases.add(refuse(PARTNER_ORDER, "revision 1e32", w -> message(w).put("revision", 1e32), "/revision"));
        cases.add(refuse(PARTNER_ORDER, "negative revision", w -> message(w).put("revision", -1), "/revision"));
        cases.add(refuse(PARTNER_ORDER, "2,001-character buyer name", w -> buyer(w).put("name", NAME_2001), "/buyer/name"));
        cases.add(refuse(PARTNER_ORDER, "buyer name with NUL", w -> buyer(w).put("name", "Acme\u0000GmbH"), "/buyer/name"));
        cases.add(refuse(PARTNER_ORDER, "customer number as a path", w -> buyer(w).put("customerNumber", PATH), "/buyer/customerNumber"));
        cases.add(refuse(PARTNER_ORDER, "customer number longer than the ERP's 32", w -> buyer(w).put("customerNumber", "C".repeat(33)), "/buyer/customerNumber"));
        cases.add(refuse(PARTNER_ORDER, "SKU with an emoji", w -> line(w, 0).put("sku", EMOJI), "/lines/0/sku"));
        cases.add(refuse(PARTNER_ORDER, "line number 1e32", w -> line(w, 0).put("lineNumber", 1e32), "/lines/0/lineNumber"));
        cases.add(refuse(PARTNER_ORDER, "line description with NUL", w -> line(w, 0).put("description", "bracket\u0000"), "/lines/0/description"));
        cases.add(refuse(PARTNER_ORDER, "order number with a trailing line break", w -> message(w).put("orderNumber", "PO-1\n"), "/orderNumber"));

        // partner complaint -> canonical complaint
        cases.add(refuse(PARTNER_COMPLAINT, "2,001-character customer name", w -> customer(w).put("name", NAME_2001), "/customer/name"));
        cases.add(refuse(PARTNER_COMPLAINT, "customer number as a path", w -> customer(w).put("customerNumber", PATH), "/customer/customerNumber"));
        cases.add(refuse(PARTNER_COMPLAINT, "customer number with NUL", w -> customer(w).put("customerNumber", NUL), "/customer/customerNumber"));
        cases.add(refuse(PARTNER_COMPLAINT, "complaint number with an emoji", w -> message(w).put("complaintNumber", EMOJI), "/complaintNumber"));
        cases.add(refuse(PARTNER_COMPLAINT, "description with NUL", w -> message(w).put("description", "bent\u0000"), "/description"));
        cases.add(refuse(PARTNER_COMPLAINT, "product SKU as a path", w -> ((ObjectNode) message(w).get("product")).put("sku", PATH), "/product/sku"));
        return cases;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refused")
    void refusedNamingTheField(String schema, String description, JsonNode instance, String field) {
        List<ValidationMessage> violations = JsonSchemas.validate(schemaOf(schema), instance);
        assertThat(violations).as(description)
                .anySatisfy(v -> assertThat(v.getInstanceLocation() + " " + v.getMessage()).contains(field));
    }

    static List<Object[]> acceptedAtTheLimits() {
        return List.of(
                accept(OPPORTUNITY, "largest revision, 64-character id, 200-character name in any script", w -> {
                    data(w).put("revision", 2147483647).put("opportunityId", "O".repeat(63) + "1")
                            .put("accountName", "M\u00fcller & S\u00f6hne \u4e2d\u6587 \u00e9 ".repeat(20).substring(0, 200))
                            .put("accountNo", "A".repeat(32)).put("amount", "9".repeat(16) + ".99");
                    product(w, 0).put("qty", "9".repeat(15) + ".999").put("unitPrice", "9".repeat(14) + ".9999");
                }),
                accept(CASE, "description over several lines with tabs, empty optional references",
                        w -> data(w).put("description", "line one\n\tline two\r\nline three").put("productSku", "")
                                .put("relatedOpportunityId", "")),
                accept(HR_EVENT, "32-character employee number with . _ -, blank manager and e-mail",
                        w -> w.put("employeeNo", "E.1_2-" + "9".repeat(26)).put("managerNo", "").put("email", "  ")),
                accept(HR_EVENT, "name in any script", w -> w.put("fullName", "J\u00f6rg \u00c5ngstr\u00f6m-\u4e2d\u6587")),
                accept(PARTNER_ORDER, "largest revision and line number", w -> {
                    message(w).put("revision", 2147483647);
                    line(w, 0).put("lineNumber", 2147483647);
                    buyer(w).put("customerNumber", "C".repeat(32));
                }));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("acceptedAtTheLimits")
    void validDataAtTheLimitsIsAccepted(String schema, String description, JsonNode instance) {
        assertThat(JsonSchemas.validate(schemaOf(schema), instance)).as(description).isEmpty();
    }

    static Stream<String> inboundSchemas() throws Exception {
        try (Stream<Path> files = Files.walk(MappingFixtures.MAPPINGS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".schema.json"))
                    .map(f -> MappingFixtures.MAPPINGS.relativize(f).toString().replace('\\', '/')).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("inboundSchemas")
    void everyStringHasAnUpperBound(String schema) throws Exception {
        JsonNode node = JsonSchemas.JSON.readTree(Files.readString(MappingFixtures.MAPPINGS.resolve(schema)));
        assertThat(JsonSchemas.unboundedStrings(node)).as("strings without maxLength in %s", schema).isEmpty();
    }

    /**
     * Through camel-json-validator itself, as the intake routes run it (its own ObjectMapper parses 1e32 as a
     * double, its own networknt configuration): 1e32 passes "type": "integer" and is refused only by the maximum.
     */
    @Test
    void theCamelValidatorRefusesRevision1e32() throws Exception {
        String webhook = Files.readString(MappingFixtures.MAPPINGS.resolve("crm/fixtures/opportunity-to-order/full.input.json"))
                .replace("\"revision\": 2", "\"revision\": 1e32");
        assertThat(new ObjectMapper().readTree(webhook).path("data").path("revision").isIntegralNumber()).isFalse();
        assertThat(new ObjectMapper().readTree(webhook).path("data").path("revision").canConvertToExactIntegral()).isTrue();

        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            String uri = "json-validator:file:" + MappingFixtures.MAPPINGS.resolve(OPPORTUNITY);
            assertThatThrownBy(() -> template.sendBody(uri, webhook))
                    .isInstanceOf(CamelExecutionException.class)
                    .cause().isInstanceOf(JsonValidationException.class)
                    .satisfies(e -> assertThat(((JsonValidationException) e).getErrors())
                            .anySatisfy(v -> assertThat(v.getInstanceLocation() + " " + v.getMessage())
                                    .contains("revision").contains("2147483647")));
            template.sendBody(uri, webhook.replace("\"revision\": 1e32", "\"revision\": 2147483647"));
        }
    }

    // --- helpers

    private static JsonSchema schemaOf(String schema) {
        return JsonSchemas.file(MappingFixtures.MAPPINGS.resolve(schema));
    }

    /** The first fixture input of the mapping that reads the schema; partner fixtures wrap the message. */
    private static ObjectNode valid(String schema) {
        String fixture = switch (schema) {
            case OPPORTUNITY -> "crm/fixtures/opportunity-to-order/full.input.json";
            case CASE -> "crm/fixtures/complaint-case-to-complaint/full.input.json";
            case HR_EVENT -> "oa/fixtures/hr-event-to-employee/hire-sales.input.json";
            case TASK_EVENT -> "oa/fixtures/task-event-to-complaint-status/done-with-resolution.input.json";
            case PARTNER_ORDER -> "partners/standard-v1/fixtures/order-to-canonical/full.input.json";
            case PARTNER_COMPLAINT -> "partners/standard-v1/fixtures/complaint-to-canonical/full.input.json";
            default -> throw new IllegalArgumentException(schema);
        };
        try {
            JsonNode input = JsonSchemas.JSON.readTree(Files.readString(MappingFixtures.MAPPINGS.resolve(fixture)));
            return (ObjectNode) (schema.startsWith("partners/") ? input.get("message") : input);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object[] refuse(String schema, String description, Consumer<ObjectNode> breakIt, String field) {
        ObjectNode instance = valid(schema);
        assertThat(JsonSchemas.validate(schemaOf(schema), instance)).as("fixture of %s", schema).isEmpty();
        breakIt.accept(instance);
        return new Object[]{schema, description, instance, field};
    }

    private static Object[] accept(String schema, String description, Consumer<ObjectNode> change) {
        ObjectNode instance = valid(schema);
        change.accept(instance);
        return new Object[]{schema, description, instance};
    }

    private static ObjectNode data(ObjectNode webhook) {
        return (ObjectNode) webhook.get("data");
    }

    private static ObjectNode product(ObjectNode webhook, int index) {
        return (ObjectNode) data(webhook).get("products").get(index);
    }

    /** Partner payloads are the message itself here (valid() unwraps the fixture). */
    private static ObjectNode message(ObjectNode partnerMessage) {
        return partnerMessage;
    }

    private static ObjectNode buyer(ObjectNode order) {
        return (ObjectNode) order.get("buyer");
    }

    private static ObjectNode customer(ObjectNode complaint) {
        return (ObjectNode) complaint.get("customer");
    }

    private static ObjectNode line(ObjectNode order, int index) {
        return (ObjectNode) order.get("lines").get(index);
    }
}
