package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;

import java.util.List;
import java.util.function.Supplier;

/** One OA adapter under the contract tests of port oa.upsert-account: the port, and what its OA holds. */
interface OaAccountsUnderTest {

    String name();

    /** The Camel context whose {@code direct:oa.upsert-account} is this adapter's. */
    CamelContext camel();

    /** Calls port oa.upsert-account with a canonical Employee; the port's result. */
    default JsonNode upsertAccount(String employee) throws Exception {
        String result = Unreachable.or(camel()).createProducerTemplate().requestBody("direct:oa.upsert-account", employee, String.class);
        return new ObjectMapper().readTree(result);
    }

    /** The accounts the OA holds for this employee number, as the OA shows them. */
    List<OaAccount> accounts(String employeeId) throws Exception;

    /** A part of the OA's own message when it refuses an account without a name. */
    String refusalOfANamelessHire();

    /** Runs the action while the OA cannot be reached. */
    <T> T whileAccountsDown(Supplier<T> action) throws Exception;

    /** An account as the OA shows it: its id, login, name shown, e-mail address, whether it can be used. */
    record OaAccount(String accountId, String login, String name, String email, boolean active) {
    }
}
