package io.conduit.esb.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.conduit.esb.canonical.JsonSchemas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRM webhook schema accepts what the CRM sends and rejects what the mapping cannot use, naming the field. */
class MappingInputSchemasTest {

    private static final JsonSchema WEBHOOK =
            JsonSchemas.file(MappingFixtures.MAPPINGS.resolve("crm/opportunity-webhook.schema.json"));

    @Test
    void acceptsTheWebhookWithFieldsItDoesNotKnow() {
        ObjectNode webhook = fullWebhook();
        webhook.put("tenant", "eu-1");
        data(webhook).put("probability", 100);
        assertThat(JsonSchemas.validate(WEBHOOK, webhook)).isEmpty();
    }

    static List<Object[]> brokenWebhooks() {
        return List.of(
                broken("other event type", w -> w.put("eventType", "opportunity.closed_lost"), "/eventType"),
                broken("no event id", w -> w.remove("eventId"), "eventId"),
                broken("empty opportunity id", w -> data(w).put("opportunityId", ""), "/data/opportunityId"),
                broken("revision 0", w -> data(w).put("revision", 0), "/data/revision"),
                broken("revision as string", w -> data(w).put("revision", "2"), "/data/revision"),
                broken("no account", w -> data(w).remove("accountNo"), "accountNo"),
                broken("lower-case currency", w -> data(w).put("currencyCode", "eur"), "/data/currencyCode"),
                broken("amount with comma", w -> data(w).put("amount", "1234,50"), "/data/amount"),
                broken("amount as number", w -> data(w).put("amount", 1234.5), "/data/amount"),
                broken("close date not ISO", w -> data(w).put("closeDate", "20.11.2026"), "/data/closeDate"),
                broken("no products", w -> data(w).putArray("products"), "/data/products"),
                broken("zero quantity", w -> product(w, 1).put("qty", "0.00"), "/data/products/1/qty"),
                broken("negative quantity", w -> product(w, 0).put("qty", "-1"), "/data/products/0/qty"),
                broken("no sku", w -> product(w, 0).remove("sku"), "sku"),
                broken("price not a decimal", w -> product(w, 0).put("unitPrice", "EUR 100"),
                        "/data/products/0/unitPrice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenWebhooks")
    void rejectsWhatTheMappingCannotUse(String description, JsonNode webhook, String field) {
        List<ValidationMessage> violations = JsonSchemas.validate(WEBHOOK, webhook);
        assertThat(violations).as(description)
                .anySatisfy(v -> assertThat(v.getInstanceLocation() + " " + v.getMessage()).contains(field));
    }

    private static Object[] broken(String description, Consumer<ObjectNode> breakIt, String field) {
        ObjectNode webhook = fullWebhook();
        breakIt.accept(webhook);
        return new Object[]{description, webhook, field};
    }

    private static ObjectNode fullWebhook() {
        try {
            return (ObjectNode) JsonSchemas.JSON.readTree(MappingFixtures.read(
                    MappingFixtures.MAPPINGS.resolve("crm/fixtures/opportunity-to-order/full.input.json")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode data(ObjectNode webhook) {
        return (ObjectNode) webhook.get("data");
    }

    private static ObjectNode product(ObjectNode webhook, int index) {
        return (ObjectNode) ((ArrayNode) data(webhook).get("products")).get(index);
    }
}
