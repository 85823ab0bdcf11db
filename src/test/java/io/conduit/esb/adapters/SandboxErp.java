package io.conduit.esb.adapters;

import org.apache.camel.CamelContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The sandbox ERP adapter, as the running ESB has it loaded (the embedded default). */
final class SandboxErp implements ErpUnderTest, ErpUsersUnderTest {

    private final CamelContext camel;
    private final JdbcTemplate jdbc;

    SandboxErp(CamelContext camel, JdbcTemplate jdbc) {
        this.camel = camel;
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "sandbox";
    }

    @Override
    public CamelContext camel() {
        return camel;
    }

    @Override
    public int ordersWithReference(String orderId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM erp.so_stage_hdr WHERE ext_ref = ?", Integer.class, orderId);
        return n == null ? 0 : n;
    }

    @Override
    public List<String> quantities(String orderId) {
        return jdbc.queryForList("SELECT l.ord_qty FROM erp.so_stage_line l JOIN erp.so_stage_hdr h ON h.stg_id = l.stg_id"
                        + " WHERE h.ext_ref = ? ORDER BY l.line_no", BigDecimal.class, orderId)
                .stream().map(q -> q.stripTrailingZeros().toPlainString()).toList();
    }

    @Override
    public void release(String orderId) {
        jdbc.update("UPDATE erp.so_stage_hdr SET stat_cd = 'PRD' WHERE ext_ref = ?", orderId);
    }

    @Override
    public <T> T whileDown(Supplier<T> action) {
        RestClient admin = RestClient.create(camel.resolvePropertyPlaceholders("http://localhost:{{server.port}}"));
        admin.put().uri("/sandbox/erp/admin/faults").body(Map.of("mode", "down")).retrieve().toBodilessEntity();
        try {
            return action.get();
        } finally {
            admin.put().uri("/sandbox/erp/admin/faults").body(Map.of("mode", "normal")).retrieve().toBodilessEntity();
        }
    }

    @Override
    public void close() {
    }

    // --- port erp.upsert-user

    @Override
    public List<ErpUser> users(String employeeId) {
        return jdbc.query("SELECT usr_id, full_nm, email, active_flg, valid_to FROM erp.sys_user WHERE emp_no = ?",
                (rs, i) -> new ErpUser(rs.getString("usr_id"), rs.getString("full_nm"), rs.getString("email"),
                        "Y".equals(rs.getString("active_flg")),
                        rs.getDate("valid_to") == null ? null : rs.getDate("valid_to").toLocalDate().toString(),
                        jdbc.queryForList("SELECT role_cd FROM erp.sys_user_role WHERE usr_id = ? ORDER BY role_cd",
                                String.class, rs.getString("usr_id"))),
                employeeId);
    }

    /** A start date that does not exist: the ERP's date column refuses it. */
    @Override
    public Refused refusedHire(String employeeId) {
        return new Refused("""
                {"schemaVersion": 1, "employeeId": "%s", "name": "Contract Test Person", "department": "SALES",
                 "startDate": "2026-02-30", "status": "ACTIVE"}""".formatted(employeeId), "out of range");
    }

    @Override
    public <T> T whileUsersDown(Supplier<T> action) {
        return whileDown(action);
    }
}
