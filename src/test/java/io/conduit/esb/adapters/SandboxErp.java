package io.conduit.esb.adapters;

import org.apache.camel.CamelContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The sandbox ERP adapter, as the running ESB has it loaded (the embedded default). */
final class SandboxErp implements ErpOrderStatusUnderTest {

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

    /** Released, then shipped: the order's status SHP and a shipment that left (a planned one beside it does not count). */
    @Override
    public void ship(String orderId) {
        String soNo = jdbc.queryForObject("SELECT so_no FROM erp.so_stage_hdr WHERE ext_ref = ?", String.class, orderId);
        jdbc.update("UPDATE erp.so_stage_hdr SET stat_cd = 'SHP' WHERE ext_ref = ?", orderId);
        jdbc.update("INSERT INTO erp.shp_hdr (shp_no, so_no, carrier_cd, track_no, ship_ts) VALUES (?, ?, 'DHL', ?, now())",
                "SH" + soNo.substring(2), soNo, "TRK-" + orderId);
        jdbc.update("INSERT INTO erp.shp_hdr (shp_no, so_no) VALUES (?, ?)", "SP" + soNo.substring(2), soNo);
    }

    @Override
    public void close() {
    }
}
