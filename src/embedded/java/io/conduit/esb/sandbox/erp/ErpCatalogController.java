package io.conduit.esb.sandbox.erp;

import io.conduit.esb.sandbox.SandboxProblems;
import io.conduit.esb.sandbox.SandboxSchemaMigration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox ERP's products and price lists as product management keeps them, for demos and tests. The ESB never
 * calls it: it reads erp.item_mst, erp.prc_lst and erp.prc_lst_line (port erp.catalogue-since) for the CRM's
 * catalogue. The tables' triggers count the ERP's revisions (item_rev, rev) and stamp the change counter.
 * <ul>
 *   <li>{@code POST /sandbox/erp/products} {@code {"itemNo", "description", "unit", "group", "listPrice",
 *       "currency"}}: a new product (201)</li>
 *   <li>{@code PATCH /sandbox/erp/products/{itemNo}} the same fields but itemNo, and {@code "active"}, each optional
 *       ({@code "clearListPrice": true}: no list price)</li>
 *   <li>{@code PUT /sandbox/erp/price-lists/{code}} {@code {"name", "currency", "active"}}: a price list created or
 *       changed</li>
 *   <li>{@code PUT /sandbox/erp/price-lists/{code}/prices/{itemNo}} {@code {"unitPrice", "validFrom", "validTo"}}: the
 *       price of an item from validFrom (null: since always) to validTo (null: until further notice), both inclusive;
 *       the line with the same start day is replaced</li>
 *   <li>{@code DELETE /sandbox/erp/price-lists/{code}/prices/{itemNo}?validFrom=<date>}: that line removed</li>
 *   <li>{@code GET /sandbox/erp/products/{itemNo}}, {@code GET /sandbox/erp/price-lists/{code}}: the rows</li>
 * </ul>
 */
@RestController
@RequestMapping("/sandbox/erp")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class ErpCatalogController {

    /** A product, new or changed; absent fields keep their value. */
    public record ProductWrite(String itemNo, String description, String unit, String group, BigDecimal listPrice,
                               Boolean clearListPrice, String currency, Boolean active) {
    }

    /** A price list header. */
    public record PriceListWrite(String name, String currency, Boolean active) {
    }

    /** One dated price of an item. */
    public record PriceWrite(BigDecimal unitPrice, LocalDate validFrom, LocalDate validTo) {
    }

    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,31}";
    private static final String SELECT_ITEM = """
            SELECT item_no, item_desc, uom, item_grp, list_prc, curr, active_flg, item_rev, chg_no
            FROM erp.item_mst WHERE item_no = :no""";

    private final JdbcClient jdbc;

    public ErpCatalogController(@Qualifier("esbDataSource") DataSource esbDataSource,
                                @Qualifier("sandboxErpFlyway") SandboxSchemaMigration schema) {
        this.jdbc = JdbcClient.create(esbDataSource);
    }

    @PostMapping("/products")
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> create(@RequestBody ProductWrite p) {
        if (p == null || p.itemNo() == null || p.description() == null || p.group() == null) {
            throw SandboxProblems.missingFields(List.of("itemNo", "description", "group"));
        }
        Map<String, String> invalid = check(p);
        if (!p.itemNo().matches(ID)) {
            invalid.put("itemNo", "1-32 letters, digits and . _ : -");
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        if (!jdbc.sql(SELECT_ITEM).param("no", p.itemNo()).query().listOfRows().isEmpty()) {
            throw SandboxProblems.conflict("Product " + p.itemNo() + " exists");
        }
        jdbc.sql("""
                        INSERT INTO erp.item_mst (item_no, item_desc, uom, item_grp, list_prc, curr)
                        VALUES (:no, :desc, coalesce(:uom, 'EA'), :grp, :price, coalesce(:curr, 'EUR'))""")
                .param("no", p.itemNo()).param("desc", p.description()).param("uom", p.unit()).param("grp", p.group())
                .param("price", p.listPrice()).param("curr", p.currency()).update();
        return product(p.itemNo());
    }

    @PatchMapping("/products/{itemNo}")
    public Map<String, Object> change(@PathVariable String itemNo, @RequestBody ProductWrite p) {
        if (p == null) {
            throw SandboxProblems.badRequest("Give the fields to change");
        }
        Map<String, String> invalid = check(p);
        if (p.itemNo() != null && !p.itemNo().equals(itemNo)) {
            invalid.put("itemNo", "a product keeps its number");
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        product(itemNo);
        jdbc.sql("""
                        UPDATE erp.item_mst SET item_desc = coalesce(:desc, item_desc), uom = coalesce(:uom, uom),
                            item_grp = coalesce(:grp, item_grp),
                            list_prc = CASE WHEN :clear THEN NULL ELSE coalesce(:price, list_prc) END,
                            curr = coalesce(:curr, curr), active_flg = coalesce(:active, active_flg)
                        WHERE item_no = :no""")
                .param("desc", p.description()).param("uom", p.unit()).param("grp", p.group())
                .param("clear", Boolean.TRUE.equals(p.clearListPrice())).param("price", p.listPrice())
                .param("curr", p.currency()).param("active", p.active() == null ? null : p.active() ? "Y" : "N")
                .param("no", itemNo).update();
        return product(itemNo);
    }

    @GetMapping("/products/{itemNo}")
    public Map<String, Object> product(@PathVariable String itemNo) {
        return jdbc.sql(SELECT_ITEM).param("no", itemNo).query().listOfRows().stream().findFirst()
                .orElseThrow(() -> SandboxProblems.notFound("Product", itemNo));
    }

    @PutMapping("/price-lists/{code}")
    public Map<String, Object> putPriceList(@PathVariable String code, @RequestBody PriceListWrite list) {
        Map<String, String> invalid = new LinkedHashMap<>();
        if (!code.matches(ID)) {
            invalid.put("code", "1-32 letters, digits and . _ : -");
        }
        if (list == null || (list.name() == null && list.currency() == null && list.active() == null)) {
            throw SandboxProblems.badRequest("Give name, currency or active");
        }
        if (list.currency() != null && !list.currency().matches("[A-Z]{3}")) {
            invalid.put("currency", "an ISO 4217 code, e.g. EUR");
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        jdbc.sql("""
                        INSERT INTO erp.prc_lst (prc_lst_cd, prc_lst_nm, curr, active_flg)
                        VALUES (:code, coalesce(:name, :code), coalesce(:curr, 'EUR'), coalesce(:active, 'Y'))
                        ON CONFLICT (prc_lst_cd) DO UPDATE SET prc_lst_nm = coalesce(:name, erp.prc_lst.prc_lst_nm),
                            curr = coalesce(:curr, erp.prc_lst.curr), active_flg = coalesce(:active, erp.prc_lst.active_flg)""")
                .param("code", code).param("name", list.name()).param("curr", list.currency())
                .param("active", list.active() == null ? null : list.active() ? "Y" : "N").update();
        return priceList(code);
    }

    @PutMapping("/price-lists/{code}/prices/{itemNo}")
    public Map<String, Object> putPrice(@PathVariable String code, @PathVariable String itemNo, @RequestBody PriceWrite price) {
        if (price == null || price.unitPrice() == null) {
            throw SandboxProblems.missingFields(List.of("unitPrice"));
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        if (price.unitPrice().signum() < 0) {
            invalid.put("unitPrice", "must not be negative");
        }
        if (price.validFrom() != null && price.validTo() != null && price.validTo().isBefore(price.validFrom())) {
            invalid.put("validTo", "not before validFrom");
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        priceList(code);
        product(itemNo);
        jdbc.sql("""
                        DELETE FROM erp.prc_lst_line WHERE prc_lst_cd = :code AND item_no = :item
                            AND valid_from IS NOT DISTINCT FROM :from""")
                .param("code", code).param("item", itemNo).param("from", price.validFrom()).update();
        jdbc.sql("""
                        INSERT INTO erp.prc_lst_line (prc_lst_cd, item_no, unit_prc, valid_from, valid_to)
                        VALUES (:code, :item, :price, :from, :to)""")
                .param("code", code).param("item", itemNo).param("price", price.unitPrice())
                .param("from", price.validFrom()).param("to", price.validTo()).update();
        return priceList(code);
    }

    @DeleteMapping("/price-lists/{code}/prices/{itemNo}")
    public Map<String, Object> deletePrice(@PathVariable String code, @PathVariable String itemNo,
                                           @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate validFrom) {
        priceList(code);
        jdbc.sql("""
                        DELETE FROM erp.prc_lst_line WHERE prc_lst_cd = :code AND item_no = :item
                            AND valid_from IS NOT DISTINCT FROM :from""")
                .param("code", code).param("item", itemNo).param("from", validFrom).update();
        return priceList(code);
    }

    @GetMapping("/price-lists/{code}")
    public Map<String, Object> priceList(@PathVariable String code) {
        Map<String, Object> list = jdbc.sql("SELECT prc_lst_cd, prc_lst_nm, curr, active_flg, rev, chg_no FROM erp.prc_lst"
                        + " WHERE prc_lst_cd = :code").param("code", code).query().listOfRows().stream().findFirst()
                .map(LinkedHashMap::new).orElseThrow(() -> SandboxProblems.notFound("Price list", code));
        list.put("lines", jdbc.sql("""
                        SELECT item_no, unit_prc, CAST(valid_from AS text) AS valid_from, CAST(valid_to AS text) AS valid_to
                        FROM erp.prc_lst_line WHERE prc_lst_cd = :code ORDER BY item_no, valid_from NULLS FIRST""")
                .param("code", code).query().listOfRows());
        return list;
    }

    private static Map<String, String> check(ProductWrite p) {
        Map<String, String> invalid = new LinkedHashMap<>();
        if (p.description() != null && (p.description().isBlank() || p.description().length() > 200)) {
            invalid.put("description", "1-200 characters, not blank");
        }
        if (p.unit() != null && !p.unit().matches("[A-Z]{1,8}")) {
            invalid.put("unit", "a unit code, e.g. EA");
        }
        if (p.group() != null && !p.group().matches("[A-Z0-9_-]{1,16}")) {
            invalid.put("group", "a product group code, e.g. PUMP");
        }
        if (p.listPrice() != null && p.listPrice().signum() < 0) {
            invalid.put("listPrice", "must not be negative");
        }
        if (p.currency() != null && !p.currency().matches("[A-Z]{3}")) {
            invalid.put("currency", "an ISO 4217 code, e.g. EUR");
        }
        return invalid;
    }
}
