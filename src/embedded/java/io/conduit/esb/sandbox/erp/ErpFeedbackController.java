package io.conduit.esb.sandbox.erp;

import io.conduit.esb.sandbox.SandboxProblems;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Drives the sandbox ERP's stock, production orders and shipments for demos and tests, as the ERP's own users
 * would (the ESB never calls it; it reads the ERP's tables). Every write is stamped with the ERP change counter by
 * the tables' triggers.
 * <ul>
 *   <li>{@code PUT /sandbox/erp/stock/{itemNo}/{whseCd}} {@code {"qtyOh": 120, "qtyRsv": 5}} (a new item number is
 *       added to the item master)</li>
 *   <li>{@code GET /sandbox/erp/stock?itemNo=P-100}</li>
 *   <li>{@code PUT /sandbox/erp/production-orders/{prdNo}} {@code {"soNo", "itemNo", "qtyPlan", "qtyDone",
 *       "qtyScrap", "stageCd": PLN|REL|WIP|QC|FIN|CLS, "planEndTs", "actEndTs"}}</li>
 *   <li>{@code PUT /sandbox/erp/shipments/{shpNo}} {@code {"soNo", "carrierCd", "trackNo", "shipTs", "dlvTs"}}</li>
 * </ul>
 */
@RestController
@RequestMapping("/sandbox/erp")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class ErpFeedbackController {

    /** A stock change. */
    public record StockChange(BigDecimal qtyOh, BigDecimal qtyRsv) {
    }

    /** A production order as the ERP's shop floor writes it. */
    public record ProductionOrder(String soNo, String itemNo, BigDecimal qtyPlan, BigDecimal qtyDone,
                                  BigDecimal qtyScrap, String stageCd, OffsetDateTime planEndTs,
                                  OffsetDateTime actEndTs) {
    }

    /** A shipment as the ERP's warehouse writes it. */
    public record Shipment(String soNo, String carrierCd, String trackNo, OffsetDateTime shipTs, OffsetDateTime dlvTs) {
    }

    private final JdbcClient jdbc;

    public ErpFeedbackController(@Qualifier("esbDataSource") DataSource esbDataSource) {
        this.jdbc = JdbcClient.create(esbDataSource);
    }

    @PutMapping("/stock/{itemNo}/{whseCd}")
    public Map<String, Object> putStock(@PathVariable String itemNo, @PathVariable String whseCd,
                                        @RequestBody StockChange change) {
        if (change == null || change.qtyOh() == null) {
            throw SandboxProblems.missingFields(List.of("qtyOh"));
        }
        jdbc.sql("INSERT INTO erp.item_mst (item_no, item_desc, item_grp) VALUES (:item, :item, 'MISC') ON CONFLICT DO NOTHING")
                .param("item", itemNo).update();
        jdbc.sql("""
                        INSERT INTO erp.inv_stock (item_no, whse_cd, qty_oh, qty_rsv) VALUES (:item, :whse, :oh, coalesce(:rsv, 0))
                        ON CONFLICT (item_no, whse_cd) DO UPDATE SET qty_oh = excluded.qty_oh,
                            qty_rsv = coalesce(:rsv, erp.inv_stock.qty_rsv)""")
                .param("item", itemNo).param("whse", whseCd).param("oh", change.qtyOh()).param("rsv", change.qtyRsv())
                .update();
        return stock(itemNo).stream().filter(r -> whseCd.equals(r.get("whse_cd"))).findFirst().orElseThrow();
    }

    @GetMapping("/stock")
    public List<Map<String, Object>> stock(@RequestParam String itemNo) {
        return jdbc.sql("SELECT item_no, whse_cd, qty_oh, qty_rsv, upd_ts, chg_no FROM erp.inv_stock WHERE item_no = :item ORDER BY whse_cd")
                .param("item", itemNo).query().listOfRows();
    }

    @PutMapping("/production-orders/{prdNo}")
    public Map<String, Object> putProductionOrder(@PathVariable String prdNo, @RequestBody ProductionOrder order) {
        if (order == null || order.itemNo() == null || order.qtyPlan() == null) {
            throw SandboxProblems.missingFields(List.of("itemNo", "qtyPlan"));
        }
        jdbc.sql("""
                        INSERT INTO erp.prd_ord (prd_no, so_no, item_no, qty_plan, qty_done, qty_scrap, stage_cd, plan_end_ts, act_end_ts)
                        VALUES (:prd, :so, :item, :plan, coalesce(:done, 0), coalesce(:scrap, 0), coalesce(:stage, 'PLN'), :planEnd, :actEnd)
                        ON CONFLICT (prd_no) DO UPDATE SET so_no = excluded.so_no, item_no = excluded.item_no,
                            qty_plan = excluded.qty_plan, qty_done = excluded.qty_done, qty_scrap = excluded.qty_scrap,
                            stage_cd = excluded.stage_cd, plan_end_ts = excluded.plan_end_ts, act_end_ts = excluded.act_end_ts""")
                .param("prd", prdNo).param("so", order.soNo()).param("item", order.itemNo())
                .param("plan", order.qtyPlan()).param("done", order.qtyDone()).param("scrap", order.qtyScrap())
                .param("stage", order.stageCd()).param("planEnd", order.planEndTs()).param("actEnd", order.actEndTs())
                .update();
        return jdbc.sql("SELECT * FROM erp.prd_ord WHERE prd_no = :prd").param("prd", prdNo).query().singleRow();
    }

    @PutMapping("/shipments/{shpNo}")
    public Map<String, Object> putShipment(@PathVariable String shpNo, @RequestBody Shipment shipment) {
        if (shipment == null || shipment.soNo() == null) {
            throw SandboxProblems.missingFields(List.of("soNo"));
        }
        jdbc.sql("""
                        INSERT INTO erp.shp_hdr (shp_no, so_no, carrier_cd, track_no, ship_ts, dlv_ts)
                        VALUES (:shp, :so, :carrier, :track, :ship, :dlv)
                        ON CONFLICT (shp_no) DO UPDATE SET so_no = excluded.so_no, carrier_cd = excluded.carrier_cd,
                            track_no = excluded.track_no, ship_ts = excluded.ship_ts, dlv_ts = excluded.dlv_ts""")
                .param("shp", shpNo).param("so", shipment.soNo()).param("carrier", shipment.carrierCd())
                .param("track", shipment.trackNo()).param("ship", shipment.shipTs()).param("dlv", shipment.dlvTs())
                .update();
        return jdbc.sql("SELECT * FROM erp.shp_hdr WHERE shp_no = :shp").param("shp", shpNo).query().singleRow();
    }
}
