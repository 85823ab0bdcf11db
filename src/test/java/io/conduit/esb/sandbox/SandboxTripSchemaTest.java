package io.conduit.esb.sandbox;

import io.conduit.esb.sandbox.erp.ErpFaults;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sandbox OA's trip requests and absences (migration V5) and the sandbox ERP's trip commitments (V6) on a real
 * PostgreSQL 17: the OA numbers trips, counts a revision exactly when what is asked changes, freezes that once the trip
 * left SUBMITTED and stamps every write for its change feed; the ERP keeps one commitment per trip, never an advance
 * above its amount, and lets {@code erp_app} read and write but never delete it.
 */
class SandboxTripSchemaTest {

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate superuser;
    private static JdbcTemplate erpApp;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        SandboxSchemaMigration.migrate(postgres.getPostgresDatabase(), SandboxSchemaConfiguration.ERP_SCHEMA,
                SandboxSchemaConfiguration.ERP_LOCATION);
        SandboxSchemaMigration.migrate(postgres.getPostgresDatabase(), SandboxSchemaConfiguration.OA_SCHEMA,
                SandboxSchemaConfiguration.OA_LOCATION);
        superuser = new JdbcTemplate(postgres.getPostgresDatabase());
        PGSimpleDataSource app = new PGSimpleDataSource();
        app.setServerNames(new String[] {"localhost"});
        app.setPortNumbers(new int[] {postgres.getPort()});
        app.setDatabaseName("postgres");
        app.setUser(ErpFaults.APP_ROLE);
        app.setPassword("erp_app");
        erpApp = new JdbcTemplate(app);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theOaNumbersTripsAndCountsARevisionOnlyWhenWhatIsAskedChanges() {
        String first = submit("1200", "300");
        String second = submit("100", "0");
        assertThat(first).matches("TR-\\d{6}");
        assertThat(Integer.parseInt(second.substring(3))).isEqualTo(Integer.parseInt(first.substring(3)) + 1);
        Map<String, Object> row = trip(first);
        assertThat(row).containsEntry("revision", 1).containsEntry("status", "SUBMITTED");
        long chgNo = ((Number) row.get("chg_no")).longValue();
        assertThat(row.get("chg_txid")).as("stamped for the change feed").isNotNull();

        superuser.update("UPDATE sandbox_oa.trip_request SET estimated_cost = 1200, city = 'Lyon' WHERE trip_id = ?", first);
        assertThat(trip(first).get("revision")).as("the same values are no change").isEqualTo(1);
        assertThat(((Number) trip(first).get("chg_no")).longValue()).as("but every write is a change").isGreaterThan(chgNo);

        superuser.update("UPDATE sandbox_oa.trip_request SET estimated_cost = 1450 WHERE trip_id = ?", first);
        assertThat(trip(first).get("revision")).isEqualTo(2);
        superuser.update("UPDATE sandbox_oa.trip_request SET revision = 99 WHERE trip_id = ?", first);
        assertThat(trip(first).get("revision")).as("the OA, not the writer, counts the revision").isEqualTo(2);

        superuser.update("""
                UPDATE sandbox_oa.trip_request SET status = 'APPROVED', decision_id = ?, decision_revision = revision,
                    decided_at = now() WHERE trip_id = ?""", first + "@2", first);
        assertThat(trip(first)).as("a decision is no new revision").containsEntry("revision", 2);
        assertThatThrownBy(() -> superuser.update(
                "UPDATE sandbox_oa.trip_request SET end_date = end_date + 1 WHERE trip_id = ?", first))
                .satisfies(e -> assertThat(sqlState(e)).as("an approved trip is fixed").isEqualTo("55000"));
        superuser.update("UPDATE sandbox_oa.trip_request SET status = 'CANCELLED' WHERE trip_id = ?", first);
        assertThat(trip(first)).containsEntry("revision", 2).containsEntry("status", "CANCELLED");
    }

    @Test
    void theOaRefusesAnAdvanceAboveTheCostAndATripEndingBeforeItStarts() {
        assertThatThrownBy(() -> submit("100", "101")).satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
        String trip = submit("100", "0");
        assertThatThrownBy(() -> superuser.update(
                "UPDATE sandbox_oa.trip_request SET end_date = start_date - 1 WHERE trip_id = ?", trip))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
    }

    @Test
    void oneAbsencePerTripAndARecordedOneNamesItsEmployeeAndDays() {
        superuser.update("""
                INSERT INTO sandbox_oa.absence (trip_ref, employee_no, from_date, to_date, status, recorded_at)
                VALUES ('TR-A1', 'E-1', current_date, current_date + 2, 'RECORDED', now())""");
        assertThatThrownBy(() -> superuser.update("""
                INSERT INTO sandbox_oa.absence (trip_ref, status, removed_at) VALUES ('TR-A1', 'REMOVED', now())"""))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23505"));
        assertThatThrownBy(() -> superuser.update("""
                INSERT INTO sandbox_oa.absence (trip_ref, status, recorded_at) VALUES ('TR-A2', 'RECORDED', now())"""))
                .as("recorded without employee or days").satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
        superuser.update("INSERT INTO sandbox_oa.absence (trip_ref, status, removed_at) VALUES ('TR-A3', 'REMOVED', now())");
    }

    @Test
    void theErpHasTravelCostCentresAndOneCommitmentPerTripThatItNeverDeletes() {
        assertThat(erpApp.queryForObject("SELECT bud_amt FROM erp.budget_line WHERE bud_cd = 'TRV-SALES'", BigDecimal.class))
                .isEqualByComparingTo("60000");
        erpApp.update("""
                INSERT INTO erp.trip_cmt (trip_id, dec_id, trip_rev, bud_cd, cmt_amt, adv_amt, curr_cd, stat_cd, bkd_ts)
                VALUES ('TR-E1', 'TR-E1@1', 1, 'TRV-SALES', 1450, 300, 'EUR', 'BKD', now())""");
        assertThatThrownBy(() -> erpApp.update("""
                INSERT INTO erp.trip_cmt (trip_id, dec_id, bud_cd, cmt_amt, curr_cd, stat_cd, bkd_ts)
                VALUES ('TR-E1', 'TR-E1@2', 'TRV-SALES', 1, 'EUR', 'BKD', now())"""))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23505"));
        assertThatThrownBy(() -> erpApp.update("UPDATE erp.trip_cmt SET adv_amt = 1451 WHERE trip_id = 'TR-E1'"))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
        assertThatThrownBy(() -> erpApp.update("""
                INSERT INTO erp.trip_cmt (trip_id, stat_cd, bkd_ts) VALUES ('TR-E2', 'BKD', now())"""))
                .as("booked without decision or cost centre").satisfies(e -> assertThat(sqlState(e)).isEqualTo("23514"));
        assertThatThrownBy(() -> erpApp.update("""
                INSERT INTO erp.trip_cmt (trip_id, dec_id, bud_cd, cmt_amt, curr_cd, stat_cd, bkd_ts)
                VALUES ('TR-E3', 'TR-E3@1', 'NO-SUCH', 1, 'EUR', 'BKD', now())"""))
                .as("an unknown cost centre").satisfies(e -> assertThat(sqlState(e)).isEqualTo("23503"));
        erpApp.update("INSERT INTO erp.trip_cmt (trip_id, stat_cd, rls_ts) VALUES ('TR-E4', 'RLS', now())");
        assertThatThrownBy(() -> erpApp.update("DELETE FROM erp.trip_cmt WHERE trip_id = 'TR-E1'"))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("42501"));
    }

    private static String submit(String cost, String advance) {
        return superuser.queryForObject("""
                INSERT INTO sandbox_oa.trip_request (employee_no, employee_name, department, cost_centre, city, country,
                    purpose, start_date, end_date, transport, estimated_cost, advance)
                VALUES ('E-1042', 'Maria Weber', 'SALES', 'TRV-SALES', 'Lyon', 'FR', 'Workshop', current_date + 20,
                    current_date + 22, 'TRAIN', ?, ?) RETURNING trip_id""", String.class,
                new BigDecimal(cost), new BigDecimal(advance));
    }

    private static Map<String, Object> trip(String tripId) {
        return superuser.queryForMap("SELECT * FROM sandbox_oa.trip_request WHERE trip_id = ?", tripId);
    }

    private static String sqlState(Throwable e) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
        return cause instanceof SQLException sql ? sql.getSQLState() : null;
    }
}
