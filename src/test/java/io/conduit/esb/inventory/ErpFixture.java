package io.conduit.esb.inventory;

import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Writes the sandbox ERP's tables as the ERP's own users would (superuser connection, triggers fire). */
final class ErpFixture {

    private final JdbcTemplate jdbc;

    ErpFixture(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void item(String itemNo) {
        jdbc.update("INSERT INTO erp.item_mst (item_no, item_desc, item_grp) VALUES (?, ?, 'TEST') ON CONFLICT DO NOTHING",
                itemNo, "Test item " + itemNo);
    }

    void stock(String itemNo, String whse, String onHand, String reserved) {
        item(itemNo);
        jdbc.update("""
                INSERT INTO erp.inv_stock (item_no, whse_cd, qty_oh, qty_rsv) VALUES (?, ?, ?, ?)
                ON CONFLICT (item_no, whse_cd) DO UPDATE SET qty_oh = excluded.qty_oh, qty_rsv = excluded.qty_rsv""",
                itemNo, whse, new BigDecimal(onHand), new BigDecimal(reserved));
    }

    /** A sales order staged for CRM order {@code crmOrderId}; returns the ERP's sales order number. */
    String salesOrder(String crmOrderId) {
        return jdbc.queryForObject("""
                INSERT INTO erp.so_stage_hdr (ext_ref, ext_rev, src_sys, cust_no, ord_date, curr_cd, tot_amt, stat_cd)
                VALUES (?, 1, 'CRM', 'ACC-204', current_date, 'EUR', 1000, 'PRD') RETURNING so_no""", String.class, crmOrderId);
    }

    Map<String, Object> stockRow(String itemNo, String whse) {
        return jdbc.queryForMap("SELECT qty_oh, qty_rsv, chg_no FROM erp.inv_stock WHERE item_no = ? AND whse_cd = ?", itemNo, whse);
    }

    List<Map<String, Object>> stockWithPrefix(String prefix) {
        return jdbc.queryForList("SELECT item_no, whse_cd, qty_oh, qty_rsv FROM erp.inv_stock WHERE item_no LIKE ? ORDER BY item_no, whse_cd",
                prefix + "%");
    }
}
