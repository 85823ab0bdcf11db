package io.conduit.esb.sandbox;

import io.conduit.esb.sandbox.erp.ErpFaults;
import io.conduit.esb.sandbox.erp.ErpOrderStatus;
import io.conduit.esb.sandbox.erp.ErpSalesOrder;
import io.conduit.esb.sandbox.erp.ErpSalesOrders;
import io.conduit.esb.sandbox.fault.FaultMode;
import io.conduit.esb.sandbox.fault.FaultSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sandbox schemas on a real PostgreSQL 17: the ERP's triggers, the {@code erp_app} role and the database-level
 * fault injection of {@link ErpFaults}, seen from an {@code erp_app} connection as the ESB sees the ERP.
 */
class SandboxErpSchemaTest {

    private static EmbeddedPostgres postgres;
    private static DataSource superuser;
    private static DataSource erpApp;
    private static ErpFaults faults;
    private static List<SandboxSchemaMigration> migrations;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        superuser = postgres.getPostgresDatabase();
        migrations = List.of(
                SandboxSchemaMigration.migrate(superuser, SandboxSchemaConfiguration.CRM_SCHEMA, SandboxSchemaConfiguration.CRM_LOCATION),
                SandboxSchemaMigration.migrate(superuser, SandboxSchemaConfiguration.ERP_SCHEMA, SandboxSchemaConfiguration.ERP_LOCATION),
                SandboxSchemaMigration.migrate(superuser, SandboxSchemaConfiguration.OA_SCHEMA, SandboxSchemaConfiguration.OA_LOCATION));
        PGSimpleDataSource app = new PGSimpleDataSource();
        app.setServerNames(new String[] {"localhost"});
        app.setPortNumbers(new int[] {postgres.getPort()});
        app.setDatabaseName("postgres");
        app.setUser(ErpFaults.APP_ROLE);
        app.setPassword("erp_app");
        erpApp = app;
        faults = new ErpFaults(superuser);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void healErp() {
        faults.apply(FaultSettings.NORMAL);
    }

    @Test
    void migrationsCreateTheThreeSchemasOnceAndSeedTheErp() {
        // every migration of a fresh schema runs (flows add their own versions, so not a fixed count) ...
        assertThat(migrations).allSatisfy(m -> {
            assertThat(m.result().migrationsExecuted).isPositive();
            assertThat(m.flyway().info().pending()).isEmpty();
        });
        // ... and running them again changes nothing
        assertThat(SandboxSchemaMigration.migrate(superuser, "erp", SandboxSchemaConfiguration.ERP_LOCATION)
                .result().migrationsExecuted).isZero();

        JdbcTemplate jdbc = new JdbcTemplate(superuser);
        assertThat(jdbc.queryForList("""
                SELECT table_schema || '.' || table_name FROM information_schema.tables
                WHERE table_schema IN ('sandbox_crm', 'sandbox_oa') AND table_name NOT LIKE 'flyway%'""", String.class))
                .contains("sandbox_crm.opportunity", "sandbox_crm.erp_status_history", "sandbox_crm.webhook_delivery",
                        "sandbox_oa.task", "sandbox_oa.account", "sandbox_oa.hr_event", "sandbox_crm.support_case",
                        "sandbox_crm.case_status_history", "sandbox_oa.task_event");
        JdbcTemplate app = new JdbcTemplate(erpApp);
        assertThat(app.queryForObject("SELECT count(*) FROM erp.item_mst", Integer.class)).isEqualTo(20);
        assertThat(app.queryForObject("SELECT count(*) FROM erp.sys_role", Integer.class)).isGreaterThanOrEqualTo(3);
        assertThat(app.queryForObject("SELECT count(*) FROM erp.inv_stock WHERE item_no = 'P-100'", Integer.class)).isPositive();
    }

    @Test
    void theErpAssignsTheSalesOrderNumberFromItsSequence() {
        JdbcTemplate app = new JdbcTemplate(erpApp);
        String first = insertHeader(app, "OPP-SO-1");
        String second = app.queryForObject("""
                INSERT INTO erp.so_stage_hdr (ext_ref, ext_rev, src_sys, cust_no, ord_date, curr_cd, tot_amt, so_no)
                VALUES ('OPP-SO-2', 1, 'CRM', 'C-1', current_date, 'EUR', 10.00, 'MINE') RETURNING so_no""", String.class);

        assertThat(first).matches("SO\\d{7}");
        assertThat(second).as("caller's so_no is overwritten").matches("SO\\d{7}");
        assertThat(Integer.parseInt(second.substring(2))).isEqualTo(Integer.parseInt(first.substring(2)) + 1);
        assertThat(app.queryForObject("SELECT stat_cd FROM erp.so_stage_hdr WHERE so_no = ?", String.class, first))
                .isEqualTo("NEW");
    }

    @Test
    void extRefIsUnique() {
        JdbcTemplate app = new JdbcTemplate(erpApp);
        insertHeader(app, "OPP-UNIQUE");

        assertThatThrownBy(() -> insertHeader(app, "OPP-UNIQUE")).isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void erpAppReachesTheBusinessTablesButNotTheSimulatorControl() throws SQLException {
        try (Connection c = erpApp.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeQuery("SELECT 1 FROM erp.sys_user").next()).isFalse();
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM erp.sim_control"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
    }

    @Test
    void errorRateOneFailsEveryWriteWithTheSimulatedSqlState() throws SQLException {
        assertThat(faults.apply(FaultSettings.failing(1.0))).isEqualTo(new FaultSettings(FaultMode.FAILING, 0, 1.0));
        assertThat(faults.current()).isEqualTo(new FaultSettings(FaultMode.FAILING, 0, 1.0));

        try (Connection c = erpApp.getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> insertHeader(c, "OPP-FAIL-1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("ERP-SIM: simulated database failure")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState())
                            .isEqualTo(ErpFaults.SIMULATED_FAILURE_SQLSTATE));
            c.rollback();
            assertThat(c.isValid(2)).as("connection survives the simulated failure").isTrue();
        }
        JdbcTemplate app = new JdbcTemplate(erpApp);
        assertThatThrownBy(() -> app.update("UPDATE erp.sys_user SET dept_cd = 'X'"))
                .as("Spring sees a resource failure, as for a real database fault")
                .isInstanceOf(DataAccessResourceFailureException.class);

        faults.apply(FaultSettings.NORMAL);
        assertThat(insertHeader(app, "OPP-FAIL-1")).matches("SO\\d{7}");
    }

    @Test
    void latencyDelaysEveryWritingStatement() throws SQLException {
        int latencyMs = 250;
        faults.apply(FaultSettings.slow(latencyMs));
        assertThat(faults.current()).isEqualTo(new FaultSettings(FaultMode.SLOW, latencyMs, 0.0));

        try (Connection c = erpApp.getConnection()) {
            c.setAutoCommit(false);
            long started = System.nanoTime();
            insertHeader(c, "OPP-SLOW-1");
            Duration header = Duration.ofNanos(System.nanoTime() - started);

            started = System.nanoTime();
            try (PreparedStatement lines = c.prepareStatement("""
                    INSERT INTO erp.so_stage_line (stg_id, line_no, item_no, ord_qty, unit_prc, line_amt)
                    SELECT stg_id, ?, 'P-100', 1, 5, 5 FROM erp.so_stage_hdr WHERE ext_ref = 'OPP-SLOW-1'""")) {
                for (int lineNo = 1; lineNo <= 2; lineNo++) {
                    lines.setInt(1, lineNo);
                    lines.addBatch();
                }
                lines.executeBatch();
            }
            Duration batch = Duration.ofNanos(System.nanoTime() - started);
            c.commit();

            assertThat(header).isGreaterThanOrEqualTo(Duration.ofMillis(latencyMs));
            assertThat(batch).as("each statement of a JDBC batch is delayed").isGreaterThanOrEqualTo(Duration.ofMillis(2L * latencyMs));
        }
    }

    @Test
    void downRefusesErpAppConnectionsAndUpRestoresThem() throws SQLException {
        try (Connection open = erpApp.getConnection()) {
            assertThat(open.isValid(2)).isTrue();

            assertThat(faults.apply(FaultSettings.down()).mode()).isEqualTo(FaultMode.DOWN);

            assertThat(faults.appRoleCanLogin()).isFalse();
            assertThat(faults.current().mode()).isEqualTo(FaultMode.DOWN);
            assertThatThrownBy(() -> open.createStatement().executeQuery("SELECT 1"))
                    .as("open connections are terminated").isInstanceOf(SQLException.class);
            assertThatThrownBy(erpApp::getConnection)
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
        }

        faults.apply(FaultSettings.NORMAL);

        assertThat(faults.appRoleCanLogin()).isTrue();
        try (Connection reconnected = erpApp.getConnection()) {
            assertThat(reconnected.isValid(2)).isTrue();
        }
    }

    @Test
    void salesOrderViewShowsHeadersWithLinesAndMovesTheStatus() {
        JdbcTemplate app = new JdbcTemplate(erpApp);
        String soNo = insertHeader(app, "OPP-VIEW-1");
        for (int lineNo = 1; lineNo <= 2; lineNo++) {
            app.update("""
                    INSERT INTO erp.so_stage_line (stg_id, line_no, item_no, item_desc, ord_qty, unit_prc, line_amt)
                    SELECT stg_id, ?, 'P-200', 'Hydraulic pump HP-20', 2, 25.5, 51 FROM erp.so_stage_hdr WHERE so_no = ?""",
                    lineNo, soNo);
        }
        ErpSalesOrders orders = new ErpSalesOrders(superuser);

        List<ErpSalesOrder> found = orders.find("OPP-VIEW-1");
        assertThat(found).singleElement().satisfies(order -> {
            assertThat(order.soNo()).isEqualTo(soNo);
            assertThat(order.lines()).extracting(ErpSalesOrder.Line::lineNo).containsExactly(1, 2);
            assertThat(order.updTs()).isNull();
        });

        assertThat(orders.updateStatus(soNo, ErpOrderStatus.PRD)).isTrue();
        assertThat(orders.findBySoNo(soNo)).hasValueSatisfying(order -> {
            assertThat(order.statCd()).isEqualTo("PRD");
            assertThat(order.updTs()).isNotNull();
        });
        assertThat(orders.updateStatus("SO9999999", ErpOrderStatus.SHP)).isFalse();
    }

    private static String insertHeader(JdbcTemplate jdbc, String extRef) {
        return jdbc.queryForObject(INSERT_HEADER, String.class, extRef);
    }

    private static String insertHeader(Connection c, String extRef) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_HEADER)) {
            ps.setString(1, extRef);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static final String INSERT_HEADER = """
            INSERT INTO erp.so_stage_hdr (ext_ref, ext_rev, src_sys, cust_no, cust_name, ord_date, curr_cd, tot_amt)
            VALUES (?, 1, 'CRM', 'C-1001', 'ACME Hydraulics', current_date, 'EUR', 100.00) RETURNING so_no""";
}
