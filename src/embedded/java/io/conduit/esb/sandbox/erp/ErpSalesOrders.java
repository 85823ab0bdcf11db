package io.conduit.esb.sandbox.erp;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads the ERP's sales order staging tables for the demo view, and moves an order's status along the way the
 * ERP's own users would (release, production, shipping). Uses the ESB's superuser connection, not {@code erp_app}.
 */
public class ErpSalesOrders {

    private static final String HEADER_COLUMNS = """
            SELECT stg_id, ext_ref, ext_rev, src_sys, cust_no, cust_name, ord_date, req_dlv_date, curr_cd, tot_amt,
                   so_no, stat_cd, crt_ts, upd_ts
            FROM erp.so_stage_hdr""";
    private static final int LIST_LIMIT = 200;

    private final JdbcClient jdbc;

    public ErpSalesOrders(DataSource dataSource) {
        this.jdbc = JdbcClient.create(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** Orders for one source reference, or the latest {@value #LIST_LIMIT} when {@code extRef} is null. */
    public List<ErpSalesOrder> find(String extRef) {
        List<ErpSalesOrder> headers = extRef == null
                ? jdbc.sql(HEADER_COLUMNS + " ORDER BY stg_id DESC LIMIT :limit").param("limit", LIST_LIMIT)
                        .query(HEADER).list()
                : jdbc.sql(HEADER_COLUMNS + " WHERE ext_ref = :extRef ORDER BY stg_id").param("extRef", extRef)
                        .query(HEADER).list();
        return withLines(headers);
    }

    public Optional<ErpSalesOrder> findBySoNo(String soNo) {
        return jdbc.sql(HEADER_COLUMNS + " WHERE so_no = :soNo").param("soNo", soNo).query(HEADER).optional()
                .map(order -> withLines(List.of(order)).get(0));
    }

    /** @return false when there is no order {@code soNo} */
    public boolean updateStatus(String soNo, ErpOrderStatus status) {
        return jdbc.sql("UPDATE erp.so_stage_hdr SET stat_cd = :stat WHERE so_no = :soNo")
                .param("stat", status.name())
                .param("soNo", soNo)
                .update() > 0;
    }

    private List<ErpSalesOrder> withLines(List<ErpSalesOrder> headers) {
        if (headers.isEmpty()) {
            return headers;
        }
        List<Long> ids = headers.stream().map(ErpSalesOrder::stgId).toList();
        Map<Long, List<ErpSalesOrder.Line>> lines = jdbc.sql("""
                        SELECT stg_id, line_no, item_no, item_desc, ord_qty, unit_prc, line_amt
                        FROM erp.so_stage_line WHERE stg_id IN (:ids) ORDER BY stg_id, line_no""")
                .param("ids", ids)
                .query((rs, n) -> Map.entry(rs.getLong("stg_id"), new ErpSalesOrder.Line(rs.getInt("line_no"),
                        rs.getString("item_no"), rs.getString("item_desc"), rs.getBigDecimal("ord_qty"),
                        rs.getBigDecimal("unit_prc"), rs.getBigDecimal("line_amt"))))
                .list().stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return headers.stream().map(h -> h.withLines(lines.getOrDefault(h.stgId(), List.of()))).toList();
    }

    private static final RowMapper<ErpSalesOrder> HEADER = (rs, n) -> new ErpSalesOrder(rs.getLong("stg_id"),
            rs.getString("ext_ref"), rs.getInt("ext_rev"), rs.getString("src_sys"), rs.getString("cust_no"),
            rs.getString("cust_name"), rs.getObject("ord_date", LocalDate.class),
            rs.getObject("req_dlv_date", LocalDate.class), rs.getString("curr_cd"), rs.getBigDecimal("tot_amt"),
            rs.getString("so_no"), rs.getString("stat_cd"), instant(rs, "crt_ts"), instant(rs, "upd_ts"), List.of());

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
