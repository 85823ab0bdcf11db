package io.conduit.esb.systems;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.conduit.esb.support.NotRetryableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How an answer of a JSON-RPC system is classified: result, permanent refusal, or a passing failure to retry. */
class JsonRpcTest {

    private HttpServer server;
    private volatile String answer;

    @BeforeEach
    void server() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/db/", exchange -> {
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private JsonRpc rpc(String retryableErrors) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("esb.systems.erp.base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/db/");
        if (retryableErrors != null) {
            settings.put("esb.systems.erp.retryable-errors", retryableErrors);
        }
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        return new JsonRpc(environment, new ObjectMapper());
    }

    @Test
    void aResultIsReturnedAsJsonText() throws Exception {
        answer = "{\"id\": 1, \"result\": [4, 5]}";
        assertThat(rpc(null).call("erp", "model.sale.sale.search", "[[]]")).isEqualTo("[4,5]");
    }

    @Test
    void anErrorTheSystemNamesAsPassingIsRetriedAndAnyOtherIsPermanentWithItsMessage() {
        JsonRpc rpc = rpc("DatabaseOperationalError,ConcurrencyException");

        answer = "{\"id\": 1, \"error\": [\"DatabaseOperationalError\", []]}";
        assertThatThrownBy(() -> rpc.call("erp", "model.company.employee.create", "[[]]"))
                .isInstanceOf(JsonRpc.JsonRpcUnavailableException.class)
                .hasMessageContaining("DatabaseOperationalError");

        answer = "{\"id\": 1, \"error\": [\"UserError\", [\"The end date must be after the start date.\", \"\"]]}";
        assertThatThrownBy(() -> rpc.call("erp", "model.company.employee.create", "[[]]"))
                .isInstanceOf(NotRetryableException.class)
                .hasMessageContaining("The end date must be after the start date.");
    }

    @Test
    void withoutTheSettingEveryErrorIsPermanent() {
        answer = "{\"id\": 1, \"error\": [\"DatabaseOperationalError\", []]}";
        assertThatThrownBy(() -> rpc(null).call("erp", "model.sale.sale.create", "[[]]"))
                .isInstanceOf(NotRetryableException.class);
    }
}
