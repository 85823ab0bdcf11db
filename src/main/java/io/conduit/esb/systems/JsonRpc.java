package io.conduit.esb.systems;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.support.NotRetryableException;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls systems that speak JSON-RPC over HTTP (Tryton, Odoo, many in-house ERPs), as bean {@code jsonRpc} in
 * adapter routes: {@code jsonRpc.call(system, method, params)} posts {@code {"id", "method", "params"}} to
 * {@code esb.systems.<system>.base-url} and answers the {@code result} as JSON text.
 * <p>
 * Authentication, from {@code esb.systems.<system>.auth}: {@code type: none}, {@code basic} (username, password),
 * {@code bearer} (token) or {@code session}: a login call ({@code login-method}, e.g. {@code common.db.login}, with
 * {@code login-params}, a JSON template where {@code {username}} and {@code {password}} are replaced) whose result
 * becomes the header {@code session-header} ({@code {username}} and {@code {result.0}}, {@code {result.1}}, ...
 * replaced; {@code base64(...)} encoded), kept for the next calls and renewed when the system answers 401/403.
 * <p>
 * Errors: an {@code error} member in the answer is the system refusing the call (a user error, an invalid value):
 * {@link NotRetryableException} with the system's own message, parked at once. A transport failure or an HTTP 5xx
 * is an {@link IOException}-caused {@link JsonRpcUnavailableException}: retried by the flow's error policy.
 * Hand-written on the JDK's HTTP client: JSON-RPC 1.0/2.0 over HTTP is one POST, and the session handling is what
 * Camel's HTTP component lacks.
 */
@Component("jsonRpc")
public class JsonRpc {

    private final Environment environment;
    private final ObjectMapper json;
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    public JsonRpc(Environment environment, ObjectMapper json) {
        this.environment = environment;
        this.json = json;
    }

    /** The {@code result} of {@code method(params)} on the system, as JSON text; {@code params} is a JSON array. */
    public String call(String system, String method, Object params) throws IOException, InterruptedException {
        JsonNode parameters = params instanceof String text ? json.readTree(text) : json.valueToTree(params);
        return json.writeValueAsString(result(system, method, parameters));
    }

    JsonNode result(String system, String method, JsonNode params) throws IOException, InterruptedException {
        String auth = setting(system, "auth.type", "none");
        for (int attempt = 1; ; attempt++) {
            String header = authorization(system, auth);
            HttpResponse<String> response = post(system, method, params, header);
            if ((response.statusCode() == 401 || response.statusCode() == 403) && auth.equals("session") && attempt == 1) {
                sessions.remove(system);
                continue;
            }
            return answer(system, method, response);
        }
    }

    private JsonNode answer(String system, String method, HttpResponse<String> response) throws IOException {
        int status = response.statusCode();
        if (status >= 500 || status == 408 || status == 429) {
            throw new JsonRpcUnavailableException(system + " answered HTTP " + status + " to " + method);
        }
        if (status >= 400) {
            throw new NotRetryableException(system + " refused " + method + ": HTTP " + status);
        }
        JsonNode body = json.readTree(response.body());
        JsonNode error = body.path("error");
        if (!error.isMissingNode() && !error.isNull()) {
            if (isRetryable(system, error)) {
                throw new JsonRpcUnavailableException(system + " could not do " + method + " now: " + describe(error));
            }
            throw new NotRetryableException(system + " refused " + method + ": " + describe(error));
        }
        return body.path("result");
    }

    private HttpResponse<String> post(String system, String method, JsonNode params, String authorization)
            throws InterruptedException {
        ObjectNode request = json.createObjectNode();
        request.put("id", ids.incrementAndGet());
        request.put("method", method);
        request.set("params", params);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl(system)))
                .timeout(Duration.ofMillis(Long.parseLong(setting(system, "response-timeout", "10000"))))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString(), StandardCharsets.UTF_8));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            return client(system).send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JsonRpcUnavailableException(system + " unreachable for " + method + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
    }

    private String authorization(String system, String type) throws IOException, InterruptedException {
        return switch (type) {
            case "none" -> null;
            case "basic" -> "Basic " + Base64.getEncoder().encodeToString((required(system, "auth.username") + ":"
                    + required(system, "auth.password")).getBytes(StandardCharsets.UTF_8));
            case "bearer" -> "Bearer " + required(system, "auth.token");
            case "session" -> {
                String header = sessions.get(system);
                if (header == null) {
                    header = login(system);
                    sessions.put(system, header);
                }
                yield header;
            }
            default -> throw new IllegalStateException("esb.systems." + system + ".auth.type=" + type
                    + " is not one of none, basic, bearer, session");
        };
    }

    private String login(String system) throws IOException, InterruptedException {
        String username = required(system, "auth.username");
        String password = required(system, "auth.password");
        String template = required(system, "auth.login-params");
        JsonNode params = json.readTree(template.replace("{username}", jsonText(username)).replace("{password}", jsonText(password)));
        HttpResponse<String> response = post(system, required(system, "auth.login-method"), params, null);
        JsonNode result = answer(system, "login", response);
        String header = required(system, "auth.session-header").replace("{username}", username);
        for (int i = 0; result.isArray() && i < result.size(); i++) {
            header = header.replace("{result." + i + "}", result.get(i).asText());
        }
        int start = header.indexOf("base64(");
        if (start >= 0) {
            int end = header.lastIndexOf(')');
            String encoded = Base64.getEncoder().encodeToString(header.substring(start + 7, end).getBytes(StandardCharsets.UTF_8));
            header = header.substring(0, start) + encoded + header.substring(end + 1);
        }
        return header;
    }

    private HttpClient client(String system) {
        return clients.computeIfAbsent(system, s -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(Long.parseLong(setting(s, "connect-timeout", "3000")))).build());
    }

    private String baseUrl(String system) {
        return required(system, "base-url");
    }

    /**
     * An error answer the system gives for a passing condition (a lock, a serialization failure, a concurrent edit),
     * named in {@code esb.systems.<system>.retryable-errors} (comma-separated; matched against the error's type:
     * the first element of an array error, as Tryton sends it, or the {@code code} / {@code message} of an object
     * error): retried like an outage instead of parked at once.
     */
    private boolean isRetryable(String system, JsonNode error) {
        String names = setting(system, "retryable-errors", "");
        if (names.isBlank()) {
            return false;
        }
        String type = error.isArray() ? error.path(0).asText("")
                : error.path("code").asText("") + " " + error.path("message").asText("");
        for (String name : names.split(",")) {
            String n = name.trim();
            if (!n.isEmpty() && (type.equals(n) || type.contains(n))) {
                return true;
            }
        }
        return false;
    }

    private String setting(String system, String key, String fallback) {
        return environment.getProperty("esb.systems." + system + "." + key, fallback);
    }

    private String required(String system, String key) {
        String value = environment.getProperty("esb.systems." + system + "." + key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("esb.systems." + system + "." + key + " is not set");
        }
        return value;
    }

    private String jsonText(String value) throws IOException {
        String quoted = json.writeValueAsString(value);
        return quoted.substring(1, quoted.length() - 1);
    }

    private static String describe(JsonNode error) {
        if (error.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : error) {
                if (part.isArray()) {
                    for (JsonNode inner : part) {
                        text.append(text.isEmpty() ? "" : " - ").append(inner.asText());
                    }
                } else {
                    text.append(text.isEmpty() ? "" : " ").append(part.asText());
                }
            }
            return text.toString();
        }
        return error.isObject() ? error.path("message").asText(error.toString()) : error.asText();
    }

    /** The system could not be reached or was unwell: worth a retry. */
    public static class JsonRpcUnavailableException extends RuntimeException {
        public JsonRpcUnavailableException(String message) {
            super(message);
        }

        public JsonRpcUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
