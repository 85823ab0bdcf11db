package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;

import java.util.List;
import java.util.function.Supplier;

/** One ERP adapter under the contract tests of port erp.upsert-user: the port, and what its ERP holds. */
interface ErpUsersUnderTest {

    String name();

    /** The Camel context whose {@code direct:erp.upsert-user} is this adapter's. */
    CamelContext camel();

    /** Calls port erp.upsert-user with a canonical Employee; the port's result. */
    default JsonNode upsertUser(String employee) throws Exception {
        String result = Unreachable.or(camel()).createProducerTemplate().requestBody("direct:erp.upsert-user", employee, String.class);
        return new ObjectMapper().readTree(result);
    }

    /** The users (employee records) the ERP holds for this employee number, as the ERP shows them. */
    List<ErpUser> users(String employeeId) throws Exception;

    /** A hire the ERP itself refuses (not the canonical schema), and a part of the ERP's own message about it. */
    Refused refusedHire(String employeeId);

    /** Runs the action while the ERP cannot be reached. */
    <T> T whileUsersDown(Supplier<T> action) throws Exception;

    /** A user as the ERP shows it: its id, name, e-mail address, whether active, end date (or null), roles. */
    record ErpUser(String userId, String name, String email, boolean active, String endDate, List<String> roles) {
    }

    record Refused(String employee, String message) {
    }
}
