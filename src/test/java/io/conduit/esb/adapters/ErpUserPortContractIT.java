package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of port {@code erp.upsert-user} (adapters/erp/PORTS.md), run against every ERP adapter the project
 * can start: the sandbox (always) and a real Tryton 6 (started by {@code ops/real-systems/start.sh}; skipped with a
 * message when it is not running, required when {@code CONDUIT_REAL_SYSTEMS=required}). Each case calls the port as
 * employee onboarding does and checks what the ERP holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErpUserPortContractIT extends EsbIntegrationTest {

    @Autowired
    private CamelContext esb;

    private final List<ErpUsersUnderTest> adapters = new ArrayList<>();
    private TrytonErp tryton;

    @BeforeAll
    void startAdapters() throws Exception {
        adapters.add(new SandboxErp(esb, jdbc));
        tryton = TrytonErp.startTrytonIfAvailable().orElse(null);
        if (tryton != null) {
            adapters.add(tryton);
        }
    }

    @AfterAll
    void stopAdapters() {
        if (tryton != null) {
            tryton.close();
        }
    }

    List<String> adapterNames() {
        return List.of("sandbox", "tryton");
    }

    private ErpUsersUnderTest adapter(String name) {
        ErpUsersUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "ERP adapter '" + name + "' skipped: " + TrytonErp.whyNotAvailable());
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aHireCreatesTheUserOnceAndTheSameHireAgainIsADuplicate(String name) throws Exception {
        ErpUsersUnderTest erp = adapter(name);
        String id = employeeId(name);
        JsonNode created = erp.upsertUser(hire(id, "Clara Contract", "clara.contract@example.com"));
        assertResult(created, id, "CREATED");
        assertThat(created.path("userId").asText()).isNotBlank();

        JsonNode again = erp.upsertUser(hire(id, "Clara Contract", "clara.contract@example.com"));
        assertResult(again, id, "DUPLICATE");
        assertThat(again.path("userId").asText()).isEqualTo(created.path("userId").asText());

        assertThat(erp.users(id)).singleElement().satisfies(user -> {
            assertThat(user.userId()).isEqualTo(created.path("userId").asText());
            assertThat(user.name()).isEqualTo("Clara Contract");
            assertThat(user.email()).isEqualTo("clara.contract@example.com");
            assertThat(user.active()).isTrue();
            assertThat(user.roles()).containsExactlyElementsOf(strings(created.path("roles")));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aChangeUpdatesWhatItCarriesAndKeepsTheRest(String name) throws Exception {
        ErpUsersUnderTest erp = adapter(name);
        String id = employeeId(name);
        String userId = erp.upsertUser(hire(id, "Clara Contract", "clara.contract@example.com")).path("userId").asText();

        JsonNode changed = erp.upsertUser("""
                {"schemaVersion": 1, "employeeId": "%s", "email": "clara.finance@example.com", "department": "FINANCE",
                 "jobTitle": "Accountant", "status": "ACTIVE"}""".formatted(id));
        assertResult(changed, id, "UPDATED");
        assertThat(changed.path("userId").asText()).isEqualTo(userId);

        assertThat(erp.users(id)).singleElement().satisfies(user -> {
            assertThat(user.name()).isEqualTo("Clara Contract");
            assertThat(user.email()).isEqualTo("clara.finance@example.com");
            assertThat(user.active()).isTrue();
            assertThat(user.roles()).containsExactlyElementsOf(strings(changed.path("roles")));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aLeaverIsDeactivatedNotDeletedAndALeaverTheErpDoesNotKnowCreatesNothing(String name) throws Exception {
        ErpUsersUnderTest erp = adapter(name);
        String id = employeeId(name);
        String userId = erp.upsertUser(hire(id, "Clara Contract", "clara.contract@example.com")).path("userId").asText();

        JsonNode left = erp.upsertUser(leave(id));
        assertResult(left, id, "DEACTIVATED");
        assertThat(left.path("userId").asText()).isEqualTo(userId);
        assertResult(erp.upsertUser(leave(id)), id, "DUPLICATE");
        assertThat(erp.users(id)).singleElement().satisfies(user -> {
            assertThat(user.active()).isFalse();
            assertThat(user.endDate()).isEqualTo("2027-03-31");
            assertThat(user.name()).isEqualTo("Clara Contract");
        });

        String stranger = employeeId(name);
        JsonNode nothing = erp.upsertUser(leave(stranger));
        assertResult(nothing, stranger, "NOT_FOUND");
        assertThat(nothing.path("userId").isNull()).isTrue();
        assertThat(erp.users(stranger)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void dataTheErpRefusesIsAPermanentFailureWithTheErpsMessage(String name) throws Exception {
        ErpUsersUnderTest erp = adapter(name);
        String id = employeeId(name);
        ErpUsersUnderTest.Refused refused = erp.refusedHire(id);

        Throwable failed = catchThrowable(() -> erp.upsertUser(refused.employee()));
        assertThat(rootOf(failed)).isInstanceOf(NotRetryableException.class);
        assertThat(rootOf(failed).getMessage()).contains(refused.message());
        assertThat(erp.users(id)).isEmpty();

        String unnamed = employeeId(name);
        Throwable unknown = catchThrowable(() -> erp.upsertUser("""
                {"schemaVersion": 1, "employeeId": "%s", "department": "IT", "status": "ACTIVE"}""".formatted(unnamed)));
        assertThat(rootOf(unknown)).isInstanceOf(NotRetryableException.class).hasMessageContaining(unnamed);
        assertThat(erp.users(unnamed)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anErpThatCannotBeReachedIsARetryableFailure(String name) throws Exception {
        ErpUsersUnderTest erp = adapter(name);
        String id = employeeId(name);
        Throwable failed = erp.whileUsersDown(() -> catchThrowable(() -> erp.upsertUser(hire(id, "Clara Contract", null))));
        assertThat(failed).isNotNull();
        assertThat(rootOf(failed)).isNotInstanceOf(NotRetryableException.class);
        assertThat(erp.users(id)).isEmpty();
    }

    // --- helpers

    private static void assertResult(JsonNode result, String id, String outcome) {
        assertThat(JsonSchemas.file(Path.of("adapters/erp/user-result.schema.json")).validate(result)).isEmpty();
        assertThat(result.path("employeeId").asText()).isEqualTo(id);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    static Throwable rootOf(Throwable t) {
        Throwable found = t;
        while (found instanceof CamelExecutionException && found.getCause() != null) {
            found = found.getCause();
        }
        return found;
    }

    static String employeeId(String adapter) {
        return "E-TCK-" + adapter.substring(0, 2).toUpperCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String hire(String id, String name, String email) {
        return """
                {"schemaVersion": 1, "employeeId": "%s", "name": "%s", "email": %s, "department": "SALES",
                 "jobTitle": "Sales Manager", "startDate": "2026-12-01", "status": "ACTIVE"}"""
                .formatted(id, name, email == null ? "null" : "\"" + email + "\"");
    }

    static String leave(String id) {
        return """
                {"schemaVersion": 1, "employeeId": "%s", "endDate": "2027-03-31", "status": "INACTIVE"}""".formatted(id);
    }
}
