package io.conduit.esb.support;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.conduit.esb.ConduitApplication;
import io.conduit.esb.ops.SystemBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Base of every integration test: the whole ESB with its embedded Artemis, Kafka and PostgreSQL and the
 * sandbox systems, on one fixed free port. All subclasses share this one Spring context (same
 * configuration, so Spring's test context cache reuses it) and the brokers are started once per JVM.
 * Every test uses its own business keys, so tests never see each other's messages.
 */
@SpringBootTest(classes = ConduitApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
public abstract class EsbIntegrationTest {

    private static final int PORT = freePort();

    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    private ObjectProvider<SystemBreakers> breakers;
    @Autowired
    private ApplicationContext context;

    protected final Sandbox sandbox = new Sandbox("http://localhost:" + PORT);

    @DynamicPropertySource
    static void port(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
    }

    protected static String baseUrl() {
        return "http://localhost:" + PORT;
    }

    /**
     * A client of the ESB that logs in with HTTP Basic as the given user and never throws on an error status
     * (the admin API, actuator details and console need a login; see config/security.yaml).
     */
    protected static RestClient http(String user, String password) {
        return RestClient.builder().baseUrl(baseUrl())
                .defaultHeaders(h -> h.setBasicAuth(user, password))
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { })
                .build();
    }

    /** Logged in as the test user with role VIEWER (read-only admin). */
    protected static RestClient viewer() {
        return http("viewer", "viewer");
    }

    /** Logged in as the test user with role OPERATOR (may replay and discard). */
    protected static RestClient operator() {
        return http("operator", "operator");
    }

    /**
     * The sandbox systems are healthy again, and the ESB's circuit breakers forget the test's outage (CLOSED, empty
     * window; one a test disabled is enabled again): the tests share one running ESB, and one test's failing CRM must
     * not decide whether the next test's first calls to it are refused (a breaker left OPEN sends them to the retry
     * lane at once). A sandbox ERP taken down refuses logins and ends its connections: calls that were still waiting
     * for one of the ERP pool's connections when the test ended would fail after the reset and count against the
     * next test (CI once saw the ERP's breaker open that way, in the test after an ERP outage), so the reset waits
     * until the pool hands out connections again and nobody waits for one.
     */
    @AfterEach
    void restoreSandboxHealth() {
        sandbox.setFault("crm", "normal", 0, 0);
        sandbox.setFault("erp", "normal", 0, 0);
        sandbox.setFault("oa", "normal", 0, 0);
        if (context.containsBean("erpDataSource") && context.getBean("erpDataSource") instanceof HikariDataSource erp) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                try (Connection connection = erp.getConnection()) {
                    HikariPoolMXBean pool = erp.getHikariPoolMXBean();
                    return connection.isValid(2) && (pool == null || pool.getThreadsAwaitingConnection() == 0);
                }
            });
        }
        breakers.ifAvailable(b -> b.all().values().forEach(CircuitBreaker::reset));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
