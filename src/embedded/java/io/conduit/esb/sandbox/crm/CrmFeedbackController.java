package io.conduit.esb.sandbox.crm;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox CRM's product availability and order progress API (under {@code /sandbox/crm/api}, so the CRM's
 * fault switch applies), in the CRM's own field names:
 * <ul>
 *   <li>{@code PUT /products/{sku}/availability/{siteCode}} {@code {"inStock", "allocated", "availableToPromise",
 *       "asOf", "erpVersion"}}; {@code GET /products/{sku}/availability}; {@code GET /product-availability?skuPrefix=}</li>
 *   <li>{@code PUT /opportunities/{id}/progress} {@code {"erpOrderNo", "workOrderNo", "progressStage",
 *       "plannedFinish", "actualFinish", "qtyProduced", "defectRatePct", "erpVersion"}}; {@code GET} the same</li>
 *   <li>{@code PUT /opportunities/{id}/shipments/{shipmentNo}} {@code {"erpOrderNo", "carrierName",
 *       "trackingNumber", "shippedOn", "deliveredOn", "erpVersion"}}; {@code GET /opportunities/{id}/shipments}</li>
 * </ul>
 * A PUT replaces what the CRM shows; the CRM does not judge versions (the ESB sends only the latest).
 */
@RestController
@RequestMapping("/sandbox/crm/api")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class CrmFeedbackController {

    /** Availability of a product at a site. */
    public record Availability(BigDecimal inStock, BigDecimal allocated, BigDecimal availableToPromise,
                               OffsetDateTime asOf, Long erpVersion) {
    }

    /** Production progress of an order. */
    public record Progress(String erpOrderNo, String workOrderNo, String progressStage, OffsetDateTime plannedFinish,
                           OffsetDateTime actualFinish, BigDecimal qtyProduced, BigDecimal defectRatePct,
                           Long erpVersion) {
    }

    /** A shipment of an order. */
    public record Shipment(String erpOrderNo, String carrierName, String trackingNumber, OffsetDateTime shippedOn,
                           OffsetDateTime deliveredOn, Long erpVersion) {
    }

    private final JdbcClient jdbc;

    public CrmFeedbackController(@Qualifier("esbDataSource") DataSource esbDataSource) {
        this.jdbc = JdbcClient.create(esbDataSource);
    }

    @PutMapping("/products/{sku}/availability/{siteCode}")
    public Map<String, Object> putAvailability(@PathVariable String sku, @PathVariable String siteCode,
                                               @RequestBody Availability a) {
        Map<String, String> invalid = new LinkedHashMap<>();
        if (a == null || a.inStock() == null) invalid.put("inStock", "required");
        if (a == null || a.allocated() == null) invalid.put("allocated", "required");
        if (a == null || a.availableToPromise() == null) invalid.put("availableToPromise", "required");
        if (a == null || a.asOf() == null) invalid.put("asOf", "required");
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        jdbc.sql("""
                        INSERT INTO sandbox_crm.product_availability (sku, site_code, in_stock, allocated, available_to_promise, as_of, erp_version)
                        VALUES (:sku, :site, :inStock, :allocated, :atp, :asOf, :v)
                        ON CONFLICT (sku, site_code) DO UPDATE SET in_stock = excluded.in_stock, allocated = excluded.allocated,
                            available_to_promise = excluded.available_to_promise, as_of = excluded.as_of,
                            erp_version = excluded.erp_version, update_count = sandbox_crm.product_availability.update_count + 1,
                            last_modified = clock_timestamp()""")
                .param("sku", sku).param("site", siteCode).param("inStock", a.inStock()).param("allocated", a.allocated())
                .param("atp", a.availableToPromise()).param("asOf", a.asOf()).param("v", a.erpVersion())
                .update();
        return availability(sku).stream().filter(r -> siteCode.equals(r.get("siteCode"))).findFirst().orElseThrow();
    }

    @GetMapping("/products/{sku}/availability")
    public List<Map<String, Object>> availability(@PathVariable String sku) {
        return jdbc.sql(AVAILABILITY + " WHERE sku = :sku ORDER BY site_code").param("sku", sku).query().listOfRows();
    }

    @GetMapping("/product-availability")
    public List<Map<String, Object>> availabilityByPrefix(@RequestParam String skuPrefix) {
        return jdbc.sql(AVAILABILITY + " WHERE sku LIKE :p ORDER BY sku, site_code")
                .param("p", skuPrefix.replace("%", "") + "%").query().listOfRows();
    }

    private static final String AVAILABILITY = """
            SELECT sku AS "sku", site_code AS "siteCode", in_stock AS "inStock", allocated AS "allocated",
                   available_to_promise AS "availableToPromise", as_of AS "asOf", erp_version AS "erpVersion",
                   update_count AS "updateCount", last_modified AS "lastModified"
            FROM sandbox_crm.product_availability""";

    @PutMapping("/opportunities/{id}/progress")
    public Map<String, Object> putProgress(@PathVariable String id, @RequestBody Progress p) {
        if (p == null || p.workOrderNo() == null || p.progressStage() == null) {
            throw SandboxProblems.missingFields(List.of("workOrderNo", "progressStage"));
        }
        jdbc.sql("""
                        INSERT INTO sandbox_crm.order_progress (opportunity_id, erp_order_no, work_order_no, progress_stage,
                            planned_finish, actual_finish, qty_produced, defect_rate_pct, erp_version)
                        VALUES (:id, :so, :wo, :stage, :pf, :af, :qty, :defect, :v)
                        ON CONFLICT (opportunity_id) DO UPDATE SET erp_order_no = excluded.erp_order_no,
                            work_order_no = excluded.work_order_no, progress_stage = excluded.progress_stage,
                            planned_finish = excluded.planned_finish, actual_finish = excluded.actual_finish,
                            qty_produced = excluded.qty_produced, defect_rate_pct = excluded.defect_rate_pct,
                            erp_version = excluded.erp_version, last_modified = clock_timestamp()""")
                .param("id", id).param("so", p.erpOrderNo()).param("wo", p.workOrderNo()).param("stage", p.progressStage())
                .param("pf", p.plannedFinish()).param("af", p.actualFinish()).param("qty", p.qtyProduced())
                .param("defect", p.defectRatePct()).param("v", p.erpVersion())
                .update();
        return progress(id);
    }

    @GetMapping("/opportunities/{id}/progress")
    public Map<String, Object> progress(@PathVariable String id) {
        return jdbc.sql("""
                        SELECT opportunity_id AS "opportunityId", erp_order_no AS "erpOrderNo", work_order_no AS "workOrderNo",
                               progress_stage AS "progressStage", planned_finish AS "plannedFinish",
                               actual_finish AS "actualFinish", qty_produced AS "qtyProduced",
                               defect_rate_pct AS "defectRatePct", erp_version AS "erpVersion", last_modified AS "lastModified"
                        FROM sandbox_crm.order_progress WHERE opportunity_id = :id""")
                .param("id", id).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> SandboxProblems.notFound("Order progress", id));
    }

    @PutMapping("/opportunities/{id}/shipments/{shipmentNo}")
    public List<Map<String, Object>> putShipment(@PathVariable String id, @PathVariable String shipmentNo,
                                                 @RequestBody Shipment s) {
        if (s == null) {
            throw SandboxProblems.badRequest("A shipment body is required");
        }
        jdbc.sql("""
                        INSERT INTO sandbox_crm.order_shipment (shipment_no, opportunity_id, erp_order_no, carrier_name,
                            tracking_number, shipped_on, delivered_on, erp_version)
                        VALUES (:no, :id, :so, :carrier, :track, :shipped, :delivered, :v)
                        ON CONFLICT (shipment_no) DO UPDATE SET opportunity_id = excluded.opportunity_id,
                            erp_order_no = excluded.erp_order_no, carrier_name = excluded.carrier_name,
                            tracking_number = excluded.tracking_number, shipped_on = excluded.shipped_on,
                            delivered_on = excluded.delivered_on, erp_version = excluded.erp_version,
                            last_modified = clock_timestamp()""")
                .param("no", shipmentNo).param("id", id).param("so", s.erpOrderNo()).param("carrier", s.carrierName())
                .param("track", s.trackingNumber()).param("shipped", s.shippedOn()).param("delivered", s.deliveredOn())
                .param("v", s.erpVersion())
                .update();
        return shipments(id);
    }

    @GetMapping("/opportunities/{id}/shipments")
    public List<Map<String, Object>> shipments(@PathVariable String id) {
        return jdbc.sql("""
                        SELECT shipment_no AS "shipmentNo", opportunity_id AS "opportunityId", erp_order_no AS "erpOrderNo",
                               carrier_name AS "carrierName", tracking_number AS "trackingNumber",
                               shipped_on AS "shippedOn", delivered_on AS "deliveredOn", erp_version AS "erpVersion"
                        FROM sandbox_crm.order_shipment WHERE opportunity_id = :id ORDER BY shipment_no""")
                .param("id", id).query().listOfRows();
    }
}
