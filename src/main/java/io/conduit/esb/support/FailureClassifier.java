package io.conduit.esb.support;

import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a permanent failure (retrying the same message can never succeed: park it at once) from a transient one
 * (retry with backoff). The shared error policy ({@code routes/error-policy.camel.yaml}, route configuration
 * {@code esb-delivery}) asks it about database failures:
 * {@code onWhen: {method: {ref: failures, method: "permanent(${exception})"}}}.
 * <p>
 * A database answers with an SQLState; its class (first two characters) says whose fault the failure is:
 * <ul>
 *   <li><b>permanent</b>: class 22 "data exception" (a value the column cannot hold: NUL in text, a number out of
 *       range, a string too long, an invalid date) and class 23 "integrity constraint violation" (NOT NULL, CHECK,
 *       foreign key) - the message itself is refused, and will be refused again;</li>
 *   <li>except 23505 unique_violation and 23P01 exclusion_violation: two deliveries of the same business key
 *       (a redelivery racing a replay, two instances) can collide on the target's key; the next attempt finds the
 *       other's row and is idempotent, so these are retried;</li>
 *   <li><b>transient</b>, everything else: connection failures (08), serialization failures (40001), deadlocks
 *       (40P01), lock and statement timeouts (55P03, 57014), resources (53), system errors (58);</li>
 *   <li>and class 42 "syntax error or access rule violation" (missing privilege, table or column) too: it is a
 *       configuration error of the ESB or the target, not a fault of this message - every message would fail the
 *       same way. It is retried like an unavailable system (the circuit breaker counts it as a failure of the
 *       system), so the flow stalls visibly instead of parking every message, and goes on by itself once the
 *       grant or column is fixed; a message still failing after its redeliveries is parked as usual.</li>
 * </ul>
 * The failure usually reaches the error policy wrapped (Spring's {@code DataAccessException} around the driver's
 * exception, a {@code RuntimeCamelException} from {@link TransactionScope}, a batch's
 * {@code BatchUpdateException} with the real error as its next exception), so the whole cause chain is searched
 * for the database's answer.
 */
@Component("failures")
public class FailureClassifier {

    private static final int MAX_NEXT_EXCEPTIONS = 16;

    /** Whether retrying cannot help: the first SQLState in the failure's cause chain is a permanent one. */
    public boolean permanent(Throwable failure) {
        return sqlState(failure).map(FailureClassifier::permanentSqlState).orElse(false);
    }

    /** Whether an SQLState means the data itself was refused (see the class comment). */
    public static boolean permanentSqlState(String sqlState) {
        if (sqlState == null || sqlState.length() != 5) {
            return false;
        }
        if (sqlState.startsWith("22")) {
            return true;
        }
        return sqlState.startsWith("23") && !sqlState.equals("23505") && !sqlState.equals("23P01");
    }

    /** The first SQLState found in the cause chain (including each SQLException's next exceptions). */
    public static Optional<String> sqlState(Throwable failure) {
        return databaseFailure(failure).map(SQLException::getSQLState);
    }

    /**
     * The database's own answer in the cause chain: the first {@link SQLException} that carries an SQLState, e.g.
     * {@code ERROR: integer out of range}.
     */
    public static Optional<SQLException> databaseFailure(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException sql) {
                // a batch's error carries the statement's own error as its next exception (bounded: never a loop)
                int hops = 0;
                for (SQLException s = sql; s != null && hops++ < MAX_NEXT_EXCEPTIONS; s = s.getNextException()) {
                    if (s.getSQLState() != null) {
                        return Optional.of(s);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
