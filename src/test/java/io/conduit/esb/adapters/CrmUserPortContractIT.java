package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.canonical.JsonSchemas;
import io.conduit.esb.support.EsbIntegrationTest;
import io.conduit.esb.support.NotRetryableException;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.client.RestClient;

import java.nio.file.Path;

import static io.conduit.esb.adapters.ErpUserPortContractIT.employeeId;
import static io.conduit.esb.adapters.ErpUserPortContractIT.hire;
import static io.conduit.esb.adapters.ErpUserPortContractIT.leave;
import static io.conduit.esb.adapters.ErpUserPortContractIT.rootOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract of port {@code crm.upsert-user} (adapters/crm/PORTS.md) against the one CRM adapter there is, the
 * sandbox's, as the running ESB has it loaded; what the CRM holds is read from its users API.
 */
class CrmUserPortContractIT extends EsbIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private CamelContext esb;

    private JsonNode upsert(String employee) throws Exception {
        return JSON.readTree(esb.createProducerTemplate().requestBody("direct:crm.upsert-user", employee, String.class));
    }

    private JsonNode users(String employeeId) {
        return RestClient.create(esb.resolvePropertyPlaceholders("http://localhost:{{server.port}}/sandbox/crm/api"))
                .get().uri(u -> u.path("/users").queryParam("employeeNumber", employeeId).build()).retrieve().body(JsonNode.class);
    }

    @Test
    void aHireCreatesOnceAChangeUpdatesALeaverIsDeactivatedNotDeleted() throws Exception {
        String id = employeeId("crm");
        JsonNode created = upsert(hire(id, "Clara Contract", "clara@example.com"));
        assertResult(created, id, "CREATED");
        assertResult(upsert(hire(id, "Clara Contract", "clara@example.com")), id, "DUPLICATE");
        assertThat(users(id)).hasSize(1);
        assertThat(users(id).get(0).path("userId").asText()).isEqualTo(created.path("userId").asText());
        assertThat(users(id).get(0).path("team").asText()).isEqualTo("Sales");

        assertResult(upsert("""
                {"schemaVersion": 1, "employeeId": "%s", "department": "SERVICE", "status": "ACTIVE"}""".formatted(id)), id, "UPDATED");
        assertThat(users(id).get(0).path("team").asText()).isEqualTo("Customer Service");
        assertThat(users(id).get(0).path("fullName").asText()).isEqualTo("Clara Contract");

        assertResult(upsert(leave(id)), id, "DEACTIVATED");
        assertResult(upsert(leave(id)), id, "DUPLICATE");
        assertThat(users(id)).hasSize(1);
        assertThat(users(id).get(0).path("isActive").asBoolean()).isFalse();

        String stranger = employeeId("crm");
        JsonNode nothing = upsert(leave(stranger));
        assertResult(nothing, stranger, "NOT_FOUND");
        assertThat(users(stranger)).isEmpty();
    }

    @Test
    void aUserTheCrmRefusesIsPermanentAndACrmDownIsRetryable() {
        String id = employeeId("crm");
        Throwable refused = catchThrowable(() -> upsert("""
                {"schemaVersion": 1, "employeeId": "%s", "department": "SALES", "status": "ACTIVE"}""".formatted(id)));
        assertThat(rootOf(refused)).isInstanceOf(NotRetryableException.class).hasMessageContaining("fullName");
        assertThat(users(id)).isEmpty();

        sandbox.setFault("crm", "down", 0, 0);
        try {
            Throwable failed = catchThrowable(() -> upsert(hire(id, "Clara Contract", null)));
            assertThat(failed).isNotNull();
            assertThat(rootOf(failed)).isNotInstanceOf(NotRetryableException.class);
        } finally {
            sandbox.setFault("crm", "normal", 0, 0);
        }
        assertThat(users(id)).isEmpty();
    }

    private static void assertResult(JsonNode result, String id, String outcome) {
        assertThat(JsonSchemas.file(Path.of("adapters/crm/user-result.schema.json")).validate(result)).isEmpty();
        assertThat(result.path("employeeId").asText()).isEqualTo(id);
        assertThat(result.path("outcome").asText()).isEqualTo(outcome);
    }
}
