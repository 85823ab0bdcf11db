package io.conduit.esb.sandbox.oa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON the sandbox OA accepts on its task queue:
 * {@code {"queue":"SALES-OPS","title":"...","body":{...},"externalRef":"OPP-1001"}}, where {@code department} may
 * stand for {@code queue}. The task's priority is the JMS priority of the message, not a JSON field.
 */
public record TaskMessage(String queue, String title, JsonNode body, String externalRef) {

    /** @throws IllegalArgumentException when the text is not JSON or lacks {@code queue}/{@code department} or {@code title} */
    public static TaskMessage parse(String json, ObjectMapper objectMapper) {
        JsonNode node;
        try {
            node = objectMapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("task message is not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("task message must be a JSON object");
        }
        String queue = text(node, "queue");
        if (queue == null) {
            queue = text(node, "department");
        }
        String title = text(node, "title");
        if (queue == null || title == null) {
            throw new IllegalArgumentException("task message needs 'queue' (or 'department') and 'title'");
        }
        JsonNode body = node.get("body");
        return new TaskMessage(queue, title, body == null || body.isNull() ? null : body, text(node, "externalRef"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
