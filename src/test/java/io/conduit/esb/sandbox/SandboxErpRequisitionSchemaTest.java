package io.conduit.esb.sandbox;

import io.conduit.esb.sandbox.erp.ErpFaults;
import io.conduit.esb.sandbox.fault.FaultSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sandbox ERP's purchase requisitions and budget lines (migration V5) on a real PostgreSQL 17, from an
 * {@code erp_app} connection as the ESB sees them: the ERP numbers requisitions, counts a revision exactly when what
 * is requested changes, freezes that once the requisition left WAIT, stamps every write for the change capture and
 * fails writes in its fault modes.
 */
class SandboxErpRequisitionSchemaTest {

    private static EmbeddedPostgres postgres;
    private static DataSource superuser;
    private static JdbcTemplate app;
    private static ErpFaults faults;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        superuser = postgres.getPostgresDatabase();
        SandboxSchemaMigration.migrate(superuser, SandboxSchemaConfiguration.ERP_SCHEMA, SandboxSchemaConfiguration.ERP_LOCATION);
        PGSimpleDataSource erpApp = new PGSimpleDataSource();
        erpApp.setServerNames(new String[] {"localhost"});
        erpApp.setPortNumbers(new int[] {postgres.getPort()});
        erpApp.setDatabaseName("postgres");
        erpApp.setUser(ErpFaults.APP_ROLE);
        erpApp.setPassword("erp_app");
        app = new JdbcTemplate(erpApp);
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
    void budgetLinesAreSeeded() {
        assertThat(app.queryForObject("SELECT bud_amt FROM erp.budget_line WHERE bud_cd = 'PRD-2026'", BigDecimal.class))
                .isEqualByComparingTo("500000");
        assertThat(app.queryForObject("SELECT count(*) FROM erp.budget_line WHERE cmt_amt = 0", Integer.class))
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void theErpNumbersRequisitionsAndComputesTheEstimatedCost() {
        String first = raise("8", "7500");
        String second = app.queryForObject("""
                INSERT INTO erp.pur_req (req_no, dept_cd, item_no, req_qty, need_dt, est_prc, bud_cd)
                VALUES (DEFAULT, 'PRODUCTION', 'P-100', 1, current_date, 10, 'PRD-2026') RETURNING req_no""", String.class);

        assertThat(first).matches("PR\\d{7}");
        assertThat(Integer.parseInt(second.substring(2))).isEqualTo(Integer.parseInt(first.substring(2)) + 1);
        Map<String, Object> row = row(first);
        assertThat(row).containsEntry("rev_no", 1).containsEntry("stat_cd", "WAIT").containsEntry("src_cd", "MRP");
        assertThat((BigDecimal) row.get("est_amt")).isEqualByComparingTo("60000.00");
        assertThat(row.get("chg_no")).as("stamped for the change capture").isNotNull();
        assertThat(row.get("chg_txid")).isNotNull();
    }

    @Test
    void theRevisionMovesOnlyWhenWhatIsRequestedChanges() {
        String reqNo = raise("10", "300");
        long chgNo = ((Number) row(reqNo).get("chg_no")).longValue();

        app.update("UPDATE erp.pur_req SET supp_nm = 'Renamed supplier', req_by = 'someone' WHERE req_no = ?", reqNo);
        assertThat(row(reqNo).get("rev_no")).as("supplier name and requester are not the subject").isEqualTo(1);
        assertThat(((Number) row(reqNo).get("chg_no")).longValue()).as("but every write is a change").isGreaterThan(chgNo);

        app.update("UPDATE erp.pur_req SET req_qty = 10, est_prc = 300 WHERE req_no = ?", reqNo);
        assertThat(row(reqNo).get("rev_no")).as("the same values are no change").isEqualTo(1);

        app.update("UPDATE erp.pur_req SET req_qty = 20 WHERE req_no = ?", reqNo);
        assertThat(row(reqNo).get("rev_no")).isEqualTo(2);
        app.update("UPDATE erp.pur_req SET need_dt = need_dt + 7, supp_no = 'S-1' WHERE req_no = ?", reqNo);
        assertThat(row(reqNo).get("rev_no")).as("one statement, one revision").isEqualTo(3);

        app.update("UPDATE erp.pur_req SET rev_no = 99 WHERE req_no = ?", reqNo);
        assertThat(row(reqNo).get("rev_no")).as("the ERP, not the writer, counts the revision").isEqualTo(3);
    }

    @Test
    void aDecidedOrWithdrawnRequisitionRefusesAChangeOfItsSubject() {
        String released = raise("4", "50");
        app.update("""
                UPDATE erp.pur_req SET stat_cd = 'REL', dec_id = ?, dec_rev = rev_no, dec_cd = 'APR', appr_qty = req_qty,
                    dec_ts = now() WHERE req_no = ?""", released + "@1", released);
        assertThat(row(released)).containsEntry("rev_no", 1).containsEntry("stat_cd", "REL");

        assertThatThrownBy(() -> app.update("UPDATE erp.pur_req SET req_qty = 5 WHERE req_no = ?", released))
                .isInstanceOf(DataAccessException.class)
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("55000"));
        // what is not the subject may still be written (a note, the decider)
        app.update("UPDATE erp.pur_req SET dec_rsn = 'noted' WHERE req_no = ?", released);

        String withdrawn = raise("4", "50");
        app.update("UPDATE erp.pur_req SET stat_cd = 'WDR' WHERE req_no = ?", withdrawn);
        assertThatThrownBy(() -> app.update("UPDATE erp.pur_req SET est_prc = 60 WHERE req_no = ?", withdrawn))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("55000"));
        assertThat(row(withdrawn)).containsEntry("rev_no", 1);
    }

    @Test
    void aDecisionIsStoredOnceAndNeverApprovesMoreThanRequested() {
        String reqNo = raise("10", "300");
        assertThatThrownBy(() -> app.update("UPDATE erp.pur_req SET appr_qty = 11 WHERE req_no = ?", reqNo))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
        assertThatThrownBy(() -> app.update("UPDATE erp.pur_req SET dec_cd = 'OK' WHERE req_no = ?", reqNo))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));

        app.update("UPDATE erp.pur_req SET dec_id = 'D-1' WHERE req_no = ?", reqNo);
        String other = raise("1", "1");
        assertThatThrownBy(() -> app.update("UPDATE erp.pur_req SET dec_id = 'D-1' WHERE req_no = ?", other))
                .as("one decision id, one requisition")
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23505"));
    }

    @Test
    void erpAppReadsAndWritesButNeverDeletesRequisitions() {
        String reqNo = raise("1", "1");
        assertThatThrownBy(() -> app.update("DELETE FROM erp.pur_req WHERE req_no = ?", reqNo))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("42501"));
        assertThatThrownBy(() -> app.update("DELETE FROM erp.budget_line WHERE bud_cd = 'IT-2026'"))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("42501"));
        app.update("UPDATE erp.budget_line SET cmt_amt = cmt_amt WHERE bud_cd = 'IT-2026'");
    }

    @Test
    void requisitionAndBudgetWritesFailInTheFailingMode() {
        String reqNo = raise("1", "1");
        faults.apply(FaultSettings.failing(1.0));

        assertThatThrownBy(() -> app.update("UPDATE erp.pur_req SET stat_cd = 'REL' WHERE req_no = ?", reqNo))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo(ErpFaults.SIMULATED_FAILURE_SQLSTATE));
        assertThatThrownBy(() -> app.update("UPDATE erp.budget_line SET cmt_amt = cmt_amt + 1 WHERE bud_cd = 'IT-2026'"))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo(ErpFaults.SIMULATED_FAILURE_SQLSTATE));

        faults.apply(FaultSettings.NORMAL);
        assertThat(row(reqNo)).containsEntry("stat_cd", "WAIT");
    }

    private static String raise(String qty, String price) {
        return app.queryForObject("""
                INSERT INTO erp.pur_req (dept_cd, req_by, item_no, req_qty, need_dt, supp_no, supp_nm, est_prc, bud_cd)
                VALUES ('PRODUCTION', 'MRP-TEST', 'P-1600', ?, current_date + 30, 'S-2001', 'Hansa Hydraulik', ?, 'PRD-2026')
                RETURNING req_no""", String.class, new BigDecimal(qty), new BigDecimal(price));
    }

    private static Map<String, Object> row(String reqNo) {
        return app.queryForMap("SELECT * FROM erp.pur_req WHERE req_no = ?", reqNo);
    }

    private static String sqlState(Throwable e) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
        return cause instanceof SQLException sql ? sql.getSQLState() : null;
    }
}
