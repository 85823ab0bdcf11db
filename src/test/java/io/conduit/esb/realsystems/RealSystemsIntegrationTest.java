package io.conduit.esb.realsystems;

import io.conduit.esb.ConduitApplication;
import io.conduit.esb.support.Sandbox;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatusCode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Base of the tests that run the whole ESB, with its embedded brokers and sandbox CRM, switched to the real systems
 * exactly as a deployment switches: {@code esb.systems.erp.adapter=tryton} and {@code esb.systems.oa.adapter=redmine}
 * plus their URLs, credentials and record ids (from the file the start script writes). The ERP is reached through a
 * {@link TcpGate} the test opens and shuts to take Tryton "down".
 * <p>
 * These tests run in a JVM of their own (failsafe execution {@code real-systems}, JUnit tag
 * {@code real-systems-esb}): the embedded brokers are one per JVM, and a second ESB beside the shared test context
 * would compete for its topics and queues.
 */
@SpringBootTest(classes = ConduitApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {"esb.systems.erp.adapter=tryton", "esb.systems.oa.adapter=redmine"})
@ActiveProfiles("test")
@Tag("real-systems-esb")
@ExtendWith(RealSystemsCondition.class)
public abstract class RealSystemsIntegrationTest {

    private static final int PORT = freePort();

    /** The ERP as the ESB reaches it: shut until a test opens it. */
    protected static final TcpGate TRYTON;

    static {
        if (RealSystems.available()) {
            URI tryton = URI.create(RealSystems.load().getProperty("tryton.url"));
            TRYTON = new TcpGate(tryton.getHost(), tryton.getPort());
        } else {
            TRYTON = null;
        }
    }

    @Autowired
    protected JdbcTemplate jdbc;

    protected final Sandbox sandbox = new Sandbox(baseUrl());

    @DynamicPropertySource
    static void realSystems(DynamicPropertyRegistry registry) throws IOException {
        registry.add("server.port", () -> PORT);
        Properties real = RealSystems.load();
        URI tryton = URI.create(real.getProperty("tryton.url"));
        TRYTON.open();
        Map<String, String> settings = new HashMap<>(RealSystems.trytonSettings(real));
        settings.putAll(RealSystems.redmineSettings(real));
        // the ERP as the ESB reaches it: through the gate
        settings.put("esb.systems.erp.base-url", "http://127.0.0.1:" + TRYTON.port() + tryton.getPath());
        settings.forEach((key, value) -> registry.add(key, () -> value));
        // Tryton and Redmine keep what earlier runs left (trips still waiting, requisitions, parties, approval
        // issues): the captures start shortly before this ESB, as a deployment joining systems with a history sets
        // them, so a test's own records are not queued behind every earlier run's (a CI run once waited 76 s for a
        // trip behind 25 older ones and failed)
        String startAt = Instant.now().minus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS).toString();
        registry.add("esb.systems.erp.capture-start-at", () -> startAt);
        registry.add("esb.systems.oa.trips.start-at", () -> startAt);
        registry.add("esb.systems.oa.approval-decisions.start-at", () -> startAt);
        registry.add("esb.systems.oa.task-events.start-at", () -> startAt);
        // Redmine's changes are polled: often, so a test sees a status change within a second or two
        registry.add("esb.systems.oa.task-events.poll-period", () -> "300");
        registry.add("esb.systems.oa.task-events.initial-delay", () -> "0");
        // the approvals flow runs on Tryton and Redmine too: Redmine's decisions polled often (Tryton's requisitions
        // at the default 2 s: the test Tryton keeps its data in SQLite, whose writers wait for readers, so a capture
        // polling much faster slows the decision's writes down by seconds)
        registry.add("esb.systems.oa.approval-decisions.poll-period", () -> "300");
        registry.add("esb.systems.oa.approval-decisions.initial-delay", () -> "0");
        // the customer master runs on the sandbox CRM with Tryton: Tryton's parties polled at a pace its SQLite takes
        registry.add("esb.customer-master.poll-period-ms", () -> "2000");
        // the product catalogue too: Tryton's products and price lists polled every 2 s
        registry.add("esb.product-catalogue.poll-period-ms", () -> "2000");
    }

    protected static String baseUrl() {
        return "http://localhost:" + PORT;
    }

    /** The admin API as the test user with role OPERATOR; never throws on an error status. */
    protected static RestClient operator() {
        return RestClient.builder().baseUrl(baseUrl())
                .defaultHeaders(h -> h.setBasicAuth("operator", "operator"))
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { })
                .build();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
