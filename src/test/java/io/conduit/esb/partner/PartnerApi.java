package io.conduit.esb.partner;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test-side client of the partner API: registers partners through the admin endpoints, signs requests as a partner
 * would (HMAC-SHA256 of "timestamp.body") and checks every request and answer against the OpenAPI document the
 * ESB serves ({@code /openapi/partner-api.yaml}), so the implementation cannot drift from its contract.
 */
public final class PartnerApi {

    record Answer(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    public record Key(String keyId, String secret) { }

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_TOKEN = "dev-admin-token";

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final OpenApiInteractionValidator contract;

    public PartnerApi(String baseUrl) {
        this.baseUrl = baseUrl;
        Answer document = send("GET", "/openapi/partner-api.yaml", Map.of(), null);
        assertThat(document.status()).as("served OpenAPI document").isEqualTo(200);
        this.contract = OpenApiInteractionValidator.createForInlineApiSpecification(document.body()).build();
    }

    /** Registers a partner and returns its first key. */
    public Key register(String partnerId, List<String> types, int ratePerMinute) {
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("partnerId", partnerId);
        registration.put("name", "Partner " + partnerId);
        registration.put("allowedMessageTypes", types);
        registration.put("rateLimitPerMinute", ratePerMinute);
        Answer answer = admin("POST", "/api/v1/partner/admin/partners", json(registration));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        JsonNode key = answer.json().path("apiKey");
        return new Key(key.path("keyId").asText(), key.path("secret").asText());
    }

    Answer admin(String method, String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + ADMIN_TOKEN);
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return checked(method, path, headers, body, true);
    }

    /** A correctly signed request of the given partner key, now. */
    Answer signed(String method, String path, Key key, String body, Map<String, String> extra) {
        return signedAt(method, path, key, body, extra, Instant.now().getEpochSecond());
    }

    Answer signedAt(String method, String path, Key key, String body, Map<String, String> extra, long timestamp) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Api-Key", key.keyId());
        headers.put("X-Timestamp", String.valueOf(timestamp));
        headers.put("X-Signature", signature(key.secret(), timestamp, body == null ? "" : body));
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        headers.putAll(extra);
        return checked(method, path, headers, body, true);
    }

    /** Any request; its answer is checked against the contract, the request only when {@code requestToo}. */
    Answer checked(String method, String path, Map<String, String> headers, String body, boolean requestToo) {
        Answer answer = send(method, path, headers, body);
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.status());
        answer.headers().forEach((name, values) -> response.withHeader(name, values));
        if (!answer.body().isEmpty()) {
            response.withBody(answer.body());
        }
        ValidationReport report;
        if (requestToo) {
            SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
            headers.forEach(request::withHeader);
            if (body != null) {
                request.withBody(body);
            }
            report = contract.validate(request.build(), response.build());
        } else {
            report = contract.validateResponse(path, Request.Method.valueOf(method), response.build());
        }
        assertThat(report.getMessages().stream().map(m -> abbreviate(m.toString())).toList())
                .as("%s %s -> %s %s against the OpenAPI document", method, path, answer.status(), abbreviate(answer.body()))
                .isEmpty();
        return answer;
    }

    Answer send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "...";
    }

    static String signature(String secret, long timestamp, String body) {
        return "sha256=" + HexFormat.of().formatHex(PartnerGate.hmac(secret.getBytes(StandardCharsets.UTF_8),
                String.valueOf(timestamp), body.getBytes(StandardCharsets.UTF_8)));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
