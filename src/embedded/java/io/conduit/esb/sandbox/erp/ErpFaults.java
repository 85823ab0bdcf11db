package io.conduit.esb.sandbox.erp;

import io.conduit.esb.sandbox.fault.FaultControl;
import io.conduit.esb.sandbox.fault.FaultMode;
import io.conduit.esb.sandbox.fault.FaultSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * Fault injection for the sandbox ERP, at the database level, because the ESB reaches the ERP only through JDBC
 * as role {@value #APP_ROLE}. Needs a superuser connection (the ESB's {@code esbDataSource}).
 * <ul>
 *   <li>{@code slow} / {@code failing}: written to the single row of {@code erp.sim_control}, which BEFORE
 *       INSERT/UPDATE statement triggers on the staging and user tables read: they {@code pg_sleep} for
 *       {@code latency_ms} and raise {@value #SIMULATED_FAILURE_SQLSTATE} ("ERP-SIM: simulated database failure")
 *       with probability {@code error_rate}. Reads are not slowed down: PostgreSQL has no SELECT triggers.</li>
 *   <li>{@code down}: {@code ALTER ROLE erp_app NOLOGIN} and terminates every {@code erp_app} backend (waiting for
 *       them to exit), so open connections break and new ones are refused with SQLSTATE 28000.
 *       Any other mode gives the role LOGIN back.</li>
 * </ul>
 * SQLSTATE {@value #SIMULATED_FAILURE_SQLSTATE} (class 58, system error: I/O error) was chosen over class 08
 * (connection exception): Spring translates both to {@code DataAccessResourceFailureException}, but HikariCP treats
 * class 08 as a dead connection and closes it under the running transaction, so the rollback itself would fail.
 */
public class ErpFaults implements FaultControl {

    /** The SQLSTATE of a simulated ERP database failure ({@code io_error}). */
    public static final String SIMULATED_FAILURE_SQLSTATE = "58030";
    /** The role the ESB logs in as. */
    public static final String APP_ROLE = "erp_app";

    private static final Logger LOG = LoggerFactory.getLogger(ErpFaults.class);
    private static final int TERMINATE_WAIT_MS = 5000;

    private final JdbcClient jdbc;

    /** @param superuserDataSource a connection allowed to alter roles and terminate backends */
    public ErpFaults(DataSource superuserDataSource) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(superuserDataSource, "superuserDataSource"));
    }

    @Override
    public String system() {
        return "erp";
    }

    @Override
    public FaultSettings current() {
        return jdbc.sql("SELECT mode, latency_ms, error_rate FROM erp.sim_control WHERE id")
                .query((rs, n) -> new FaultSettings(FaultMode.parse(rs.getString("mode")), rs.getInt("latency_ms"),
                        rs.getBigDecimal("error_rate").doubleValue()))
                .single();
    }

    /** Whether role {@value #APP_ROLE} may log in right now (false while the ERP is down). */
    public boolean appRoleCanLogin() {
        return jdbc.sql("SELECT rolcanlogin FROM pg_roles WHERE rolname = :role")
                .param("role", APP_ROLE)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    @Override
    public FaultSettings apply(FaultSettings requested) {
        FaultSettings applied = requested.normalized();
        jdbc.sql("UPDATE erp.sim_control SET mode = :mode, latency_ms = :latency, error_rate = :rate, upd_ts = now() WHERE id")
                .param("mode", applied.mode().jsonName())
                .param("latency", applied.latencyMs())
                .param("rate", BigDecimal.valueOf(applied.errorRate()))
                .update();
        if (applied.mode() == FaultMode.DOWN) {
            takeDown();
        } else if (!appRoleCanLogin()) {
            bringUp();
        }
        LOG.info("Sandbox erp faults: {}", applied);
        return applied;
    }

    private void takeDown() {
        // role names cannot be bound as parameters; APP_ROLE is a constant
        jdbc.sql("ALTER ROLE " + APP_ROLE + " NOLOGIN").update();
        Integer terminated = jdbc.sql("""
                        SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, :waitMs))
                        FROM pg_stat_activity WHERE usename = :role AND pid <> pg_backend_pid()""")
                .param("waitMs", TERMINATE_WAIT_MS)
                .param("role", APP_ROLE)
                .query(Integer.class)
                .single();
        LOG.info("Sandbox ERP is down: role {} may not log in, {} connection(s) terminated", APP_ROLE, terminated);
    }

    private void bringUp() {
        jdbc.sql("ALTER ROLE " + APP_ROLE + " LOGIN").update();
        LOG.info("Sandbox ERP is up: role {} may log in again", APP_ROLE);
    }
}
