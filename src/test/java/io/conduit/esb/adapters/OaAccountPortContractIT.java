package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.CamelContext;
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

import static io.conduit.esb.adapters.ErpUserPortContractIT.employeeId;
import static io.conduit.esb.adapters.ErpUserPortContractIT.hire;
import static io.conduit.esb.adapters.ErpUserPortContractIT.leave;
import static io.conduit.esb.adapters.ErpUserPortContractIT.rootOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of port {@code oa.upsert-account} (adapters/oa/PORTS.md), run against every OA adapter the project
 * can start: the sandbox (always) and a real Redmine 5 (started by {@code ops/real-systems/start.sh}; skipped with a
 * message when it is not running, required when {@code CONDUIT_REAL_SYSTEMS=required}). Each case calls the port as
 * employee onboarding does and checks what the OA holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OaAccountPortContractIT extends EsbIntegrationTest {

    @Autowired
    private CamelContext esb;

    private final List<OaAccountsUnderTest> adapters = new ArrayList<>();
    private RedmineOa redmine;

    @BeforeAll
    void startAdapters() throws Exception {
        adapters.add(new SandboxOa(esb, jdbc));
        redmine = RedmineOa.startRedmineIfAvailable().orElse(null);
        if (redmine != null) {
            adapters.add(redmine);
        }
    }

    @AfterAll
    void stopAdapters() {
        if (redmine != null) {
            redmine.close();
        }
    }

    List<String> adapterNames() {
        return List.of("sandbox", "redmine");
    }

    private OaAccountsUnderTest adapter(String name) {
        OaAccountsUnderTest found = adapters.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
        Assumptions.assumeTrue(found != null, () -> "OA adapter '" + name + "' skipped: " + RedmineOa.whyNotAvailable());
        return found;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aHireCreatesTheAccountOnceAndTheSameHireAgainIsADuplicate(String name) throws Exception {
        OaAccountsUnderTest oa = adapter(name);
        String id = employeeId(name);
        JsonNode created = oa.upsertAccount(hire(id, "Clara Contract", mail(id)));
        assertResult(created, id, "CREATED");
        assertThat(created.path("accountId").asText()).isNotBlank();

        JsonNode again = oa.upsertAccount(hire(id, "Clara Contract", mail(id)));
        assertResult(again, id, "DUPLICATE");
        assertThat(again.path("accountId").asText()).isEqualTo(created.path("accountId").asText());

        assertThat(oa.accounts(id)).singleElement().satisfies(account -> {
            assertThat(account.accountId()).isEqualTo(created.path("accountId").asText());
            assertThat(account.login()).isEqualTo(id.toLowerCase(Locale.ROOT));
            assertThat(account.name()).isEqualTo("Clara Contract");
            assertThat(account.email()).isEqualTo(mail(id));
            assertThat(account.active()).isTrue();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aChangeUpdatesWhatItCarriesAndKeepsTheRest(String name) throws Exception {
        OaAccountsUnderTest oa = adapter(name);
        String id = employeeId(name);
        String accountId = oa.upsertAccount(hire(id, "Clara Contract", mail(id))).path("accountId").asText();

        String newMail = "finance." + mail(id);
        JsonNode changed = oa.upsertAccount("""
                {"schemaVersion": 1, "employeeId": "%s", "email": "%s", "department": "FINANCE", "status": "ACTIVE"}"""
                .formatted(id, newMail));
        assertResult(changed, id, "UPDATED");
        assertThat(changed.path("accountId").asText()).isEqualTo(accountId);

        assertThat(oa.accounts(id)).singleElement().satisfies(account -> {
            assertThat(account.name()).isEqualTo("Clara Contract");
            assertThat(account.email()).isEqualTo(newMail);
            assertThat(account.active()).isTrue();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void aLeaverIsLockedNotDeletedAndALeaverTheOaDoesNotKnowCreatesNothing(String name) throws Exception {
        OaAccountsUnderTest oa = adapter(name);
        String id = employeeId(name);
        String accountId = oa.upsertAccount(hire(id, "Clara Contract", mail(id))).path("accountId").asText();

        JsonNode left = oa.upsertAccount(leave(id));
        assertResult(left, id, "DEACTIVATED");
        assertThat(left.path("accountId").asText()).isEqualTo(accountId);
        assertResult(oa.upsertAccount(leave(id)), id, "DUPLICATE");
        assertThat(oa.accounts(id)).singleElement().satisfies(account -> {
            assertThat(account.active()).isFalse();
            assertThat(account.name()).isEqualTo("Clara Contract");
        });

        // back again (rehired): the same account, usable again
        JsonNode back = oa.upsertAccount(hire(id, "Clara Contract", mail(id)));
        assertResult(back, id, "UPDATED");
        assertThat(oa.accounts(id)).singleElement().satisfies(account -> assertThat(account.active()).isTrue());

        String stranger = employeeId(name);
        JsonNode nothing = oa.upsertAccount(leave(stranger));
        assertResult(nothing, stranger, "NOT_FOUND");
        assertThat(nothing.path("accountId").isNull()).isTrue();
        assertThat(oa.accounts(stranger)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anAccountTheOaRefusesIsAPermanentFailureWithTheOasMessage(String name) throws Exception {
        OaAccountsUnderTest oa = adapter(name);
        String id = employeeId(name);
        Throwable failed = catchThrowable(() -> oa.upsertAccount("""
                {"schemaVersion": 1, "employeeId": "%s", "email": "%s", "department": "SALES", "status": "ACTIVE"}"""
                .formatted(id, mail(id))));
        assertThat(rootOf(failed)).isInstanceOf(NotRetryableException.class);
        assertThat(rootOf(failed).getMessage()).contains(oa.refusalOfANamelessHire());
        assertThat(oa.accounts(id)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapterNames")
    void anOaThatCannotBeReachedIsARetryableFailure(String name) throws Exception {
        OaAccountsUnderTest oa = adapter(name);
        String id = employeeId(name);
        Throwable failed = oa.whileAccountsDown(() -> catchThrowable(() -> oa.upsertAccount(hire(id, "Clara Contract", mail(id)))));
        assertThat(failed).isNotNull();
        assertThat(rootOf(failed)).isNotInstanceOf(NotRetryableException.class);
        assertThat(oa.accounts(id)).isEmpty();
    }

    // --- helpers

    private static String mail(String id) {
        return id.toLowerCase(Locale.ROOT) + "@example.com";
    }

    private static void assertResult(JsonNode result, String id, String outcome) {
        assertThat(JsonSchemas.file(Path.of("adapters/oa/account-result.schema.json")).validate(result)).isEmpty();
        assertThat(result.path("employeeId").asText()).isEqualTo(id);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
    }
}
