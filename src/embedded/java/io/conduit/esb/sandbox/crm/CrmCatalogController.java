package io.conduit.esb.sandbox.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.sandbox.SandboxProblems;
import io.conduit.esb.sandbox.SandboxSchemaMigration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sandbox CRM's product catalogue and price books under {@code /sandbox/crm/api/catalog}: read by sales when they
 * quote, written by the ESB only, from the ERP (adapters/crm/sandbox/catalogue.camel.yaml). Both writes are
 * conditional on the ERP's version of the record: an older one is refused (409 stale-update), the same one changes
 * nothing ({@code "outcome": "DUPLICATE"}), a newer one is written ({@code "APPLIED"}).
 * <ul>
 *   <li>{@code PUT /catalog/products/{sku}} {@code {"name", "unit", "productGroup", "active", "listPrice",
 *       "currency", "erpVersion"}} (port crm.upsert-product): the product, created or replaced</li>
 *   <li>{@code PUT /catalog/price-books/{id}} {@code {"name", "currency", "active", "entries": [{"sku", "unitPrice",
 *       "validFrom", "validTo"}], "erpVersion"}} (port crm.upsert-price-book): the book with exactly these entries</li>
 *   <li>{@code GET /catalog/products/{sku}?on=<date>}: the product and the prices of the active price books valid on
 *       that day (default today): a price dated ahead is not shown before its day</li>
 *   <li>{@code GET /catalog/price-books/{id}}: the book and all its entries</li>
 * </ul>
 * A price that changed (a product's list price, or a price book entry new or different and not yet over) flags every
 * OPEN quote in its currency that quotes the product at another unit price: {@code price_review_needed} true and a note
 * naming the product, the quoted and the new price and the day it applies from. The quote's lines, totals and revision
 * are never changed; the answer lists the flagged quotes ({@code "flaggedQuotes"}).
 */
@RestController
@RequestMapping("/sandbox/crm/api/catalog")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class CrmCatalogController {

    /** A product as the ESB writes it. */
    public record ProductWrite(String name, String unit, String productGroup, Boolean active, BigDecimal listPrice,
                               String currency, Long erpVersion) {
    }

    /** One price of a price book. */
    public record Entry(String sku, BigDecimal unitPrice, LocalDate validFrom, LocalDate validTo) {
    }

    /** A price book as the ESB writes it: the entries are all it holds. */
    public record PriceBookWrite(String name, String currency, Boolean active, List<Entry> entries, Long erpVersion) {
    }

    private static final String ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,31}";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public CrmCatalogController(@Qualifier("esbDataSource") DataSource esbDataSource, ObjectMapper json,
                                @Qualifier("sandboxCrmFlyway") SandboxSchemaMigration schema) {
        this.jdbc = JdbcClient.create(esbDataSource);
        // a private transaction manager on the same DataSource: no second PlatformTransactionManager bean
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(esbDataSource));
        this.json = json;
    }

    @PutMapping("/products/{sku}")
    public Map<String, Object> putProduct(@PathVariable String sku, @RequestBody ProductWrite product) {
        if (product == null || product.name() == null || product.unit() == null || product.active() == null
                || product.erpVersion() == null) {
            throw SandboxProblems.missingFields(List.of("name", "unit", "active", "erpVersion"));
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        if (!sku.matches(ID)) {
            invalid.put("sku", "1-32 letters, digits and . _ : -");
        }
        if (product.listPrice() != null && product.listPrice().signum() < 0) {
            invalid.put("listPrice", "must not be negative");
        }
        if (product.listPrice() != null && (product.currency() == null || !product.currency().matches("[A-Z]{3}"))) {
            invalid.put("currency", "an ISO 4217 code with the list price");
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        return tx.execute(status -> {
            Map<String, Object> held = jdbc.sql("SELECT erp_version, list_price, currency_code FROM sandbox_crm.catalog_product"
                    + " WHERE sku = :sku FOR UPDATE").param("sku", sku).query().listOfRows().stream().findFirst().orElse(null);
            String outcome = outcome("Product", sku, held, product.erpVersion());
            List<String> flagged = List.of();
            if ("APPLIED".equals(outcome)) {
                jdbc.sql("""
                                INSERT INTO sandbox_crm.catalog_product (sku, name, unit, product_group, active, list_price,
                                    currency_code, erp_version)
                                VALUES (:sku, :name, :unit, :grp, :active, :price, :curr, :version)
                                ON CONFLICT (sku) DO UPDATE SET name = excluded.name, unit = excluded.unit,
                                    product_group = excluded.product_group, active = excluded.active,
                                    list_price = excluded.list_price, currency_code = excluded.currency_code,
                                    erp_version = excluded.erp_version, erp_synced_at = clock_timestamp()""")
                        .param("sku", sku).param("name", product.name()).param("unit", product.unit())
                        .param("grp", product.productGroup()).param("active", product.active())
                        .param("price", product.listPrice())
                        .param("curr", product.listPrice() == null ? null : product.currency())
                        .param("version", product.erpVersion()).update();
                boolean priceChanged = product.listPrice() != null && (held == null || held.get("list_price") == null
                        || ((BigDecimal) held.get("list_price")).compareTo(product.listPrice()) != 0
                        || !product.currency().equals(held.get("currency_code")));
                if (priceChanged && product.active()) {
                    flagged = flagQuotes(sku, product.listPrice(), product.currency(), null, "list price",
                            product.erpVersion());
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("outcome", outcome);
            answer.put("flaggedQuotes", flagged);
            answer.put("product", product(sku, null));
            return answer;
        });
    }

    @PutMapping("/price-books/{id}")
    public Map<String, Object> putPriceBook(@PathVariable String id, @RequestBody PriceBookWrite book) {
        if (book == null || book.name() == null || book.currency() == null || book.active() == null
                || book.entries() == null || book.erpVersion() == null) {
            throw SandboxProblems.missingFields(List.of("name", "currency", "active", "entries", "erpVersion"));
        }
        Map<String, String> invalid = new LinkedHashMap<>();
        if (!id.matches(ID)) {
            invalid.put("id", "1-32 letters, digits and . _ : -");
        }
        if (!book.currency().matches("[A-Z]{3}")) {
            invalid.put("currency", "an ISO 4217 code");
        }
        for (int i = 0; i < book.entries().size(); i++) {
            Entry e = book.entries().get(i);
            if (e == null || e.sku() == null || !e.sku().matches(ID)) {
                invalid.put("entries[" + i + "].sku", "1-32 letters, digits and . _ : -");
            } else if (e.unitPrice() == null || e.unitPrice().signum() < 0) {
                invalid.put("entries[" + i + "].unitPrice", "required, not negative");
            } else if (e.validFrom() != null && e.validTo() != null && e.validTo().isBefore(e.validFrom())) {
                invalid.put("entries[" + i + "].validTo", "not before validFrom");
            }
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        return tx.execute(status -> {
            Map<String, Object> held = jdbc.sql("SELECT erp_version FROM sandbox_crm.price_book WHERE price_book_id = :id"
                    + " FOR UPDATE").param("id", id).query().listOfRows().stream().findFirst().orElse(null);
            String outcome = outcome("Price book", id, held, book.erpVersion());
            List<String> flagged = new ArrayList<>();
            if ("APPLIED".equals(outcome)) {
                List<Entry> before = entries(id);
                jdbc.sql("""
                                INSERT INTO sandbox_crm.price_book (price_book_id, name, currency_code, active, erp_version)
                                VALUES (:id, :name, :curr, :active, :version)
                                ON CONFLICT (price_book_id) DO UPDATE SET name = excluded.name,
                                    currency_code = excluded.currency_code, active = excluded.active,
                                    erp_version = excluded.erp_version, erp_synced_at = clock_timestamp()""")
                        .param("id", id).param("name", book.name()).param("curr", book.currency())
                        .param("active", book.active()).param("version", book.erpVersion()).update();
                jdbc.sql("DELETE FROM sandbox_crm.price_book_entry WHERE price_book_id = :id").param("id", id).update();
                for (Entry e : book.entries()) {
                    jdbc.sql("""
                                    INSERT INTO sandbox_crm.price_book_entry (price_book_id, sku, unit_price, valid_from, valid_to)
                                    VALUES (:id, :sku, :price, :from, :to)""")
                            .param("id", id).param("sku", e.sku()).param("price", e.unitPrice())
                            .param("from", e.validFrom()).param("to", e.validTo()).update();
                }
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                if (book.active()) {
                    for (Entry e : book.entries()) {
                        boolean changed = before.stream().noneMatch(b -> sameEntry(b, e));
                        boolean notOver = e.validTo() == null || !e.validTo().isBefore(today);
                        if (changed && notOver) {
                            for (String quote : flagQuotes(e.sku(), e.unitPrice(), book.currency(), e.validFrom(),
                                    "price book " + id, book.erpVersion())) {
                                if (!flagged.contains(quote)) {
                                    flagged.add(quote);
                                }
                            }
                        }
                    }
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("outcome", outcome);
            answer.put("flaggedQuotes", flagged);
            answer.put("priceBook", priceBook(id));
            return answer;
        });
    }

    @GetMapping("/products/{sku}")
    public Map<String, Object> product(@PathVariable String sku, @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate on) {
        LocalDate day = on == null ? LocalDate.now(ZoneOffset.UTC) : on;
        Map<String, Object> product = jdbc.sql("""
                        SELECT sku, name, unit, product_group, active, list_price, currency_code, erp_version,
                            to_char(erp_synced_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS erp_synced_at
                        FROM sandbox_crm.catalog_product WHERE sku = :sku""")
                .param("sku", sku).query().listOfRows().stream().findFirst()
                .map(LinkedHashMap::new).orElseThrow(() -> SandboxProblems.notFound("Product", sku));
        product.put("on", day.toString());
        product.put("prices", jdbc.sql("""
                        SELECT b.price_book_id, b.currency_code, e.unit_price, CAST(e.valid_from AS text) AS valid_from,
                            CAST(e.valid_to AS text) AS valid_to
                        FROM sandbox_crm.price_book_entry e JOIN sandbox_crm.price_book b ON b.price_book_id = e.price_book_id
                        WHERE e.sku = :sku AND b.active AND (e.valid_from IS NULL OR e.valid_from <= :day)
                            AND (e.valid_to IS NULL OR e.valid_to >= :day)
                        ORDER BY b.price_book_id, e.valid_from NULLS FIRST""")
                .param("sku", sku).param("day", day).query().listOfRows());
        return product;
    }

    @GetMapping("/price-books/{id}")
    public Map<String, Object> priceBook(@PathVariable String id) {
        Map<String, Object> book = jdbc.sql("""
                        SELECT price_book_id, name, currency_code, active, erp_version,
                            to_char(erp_synced_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS erp_synced_at
                        FROM sandbox_crm.price_book WHERE price_book_id = :id""")
                .param("id", id).query().listOfRows().stream().findFirst()
                .map(LinkedHashMap::new).orElseThrow(() -> SandboxProblems.notFound("Price book", id));
        book.put("entries", jdbc.sql("""
                        SELECT sku, unit_price, CAST(valid_from AS text) AS valid_from, CAST(valid_to AS text) AS valid_to
                        FROM sandbox_crm.price_book_entry WHERE price_book_id = :id
                        ORDER BY sku, valid_from NULLS FIRST""").param("id", id).query().listOfRows());
        return book;
    }

    /** APPLIED, DUPLICATE, or 409 for an older version than the one held. */
    private static String outcome(String what, String id, Map<String, Object> held, long version) {
        Number heldVersion = held == null ? null : (Number) held.get("erp_version");
        if (heldVersion != null && heldVersion.longValue() > version) {
            throw SandboxProblems.staleUpdate(what, id, "ERP version " + version, "ERP version " + heldVersion);
        }
        return heldVersion != null && heldVersion.longValue() == version ? "DUPLICATE" : "APPLIED";
    }

    private List<Entry> entries(String id) {
        return jdbc.sql("SELECT sku, unit_price, valid_from, valid_to FROM sandbox_crm.price_book_entry WHERE price_book_id = :id")
                .param("id", id).query((rs, n) -> new Entry(rs.getString("sku"), rs.getBigDecimal("unit_price"),
                        rs.getObject("valid_from", LocalDate.class), rs.getObject("valid_to", LocalDate.class))).list();
    }

    private static boolean sameEntry(Entry a, Entry b) {
        return a.sku().equals(b.sku()) && a.unitPrice().compareTo(b.unitPrice()) == 0
                && Objects.equals(a.validFrom(), b.validFrom()) && Objects.equals(a.validTo(), b.validTo());
    }

    /**
     * Flags the OPEN quotes in this currency quoting the product at another unit price than the new one (each once per
     * change: a note for the same product, price, day and source is not added twice); their numbers.
     */
    private List<String> flagQuotes(String sku, BigDecimal newPrice, String currency, LocalDate validFrom, String source,
                                    long erpVersion) {
        List<Map<String, Object>> quotes = jdbc.sql("""
                        SELECT q.quote_no, CAST(l.line ->> 'unitPrice' AS numeric) AS quoted
                        FROM sandbox_crm.quote q, jsonb_array_elements(q.lines) AS l(line)
                        WHERE q.status = 'OPEN' AND q.currency_code = :curr AND l.line ->> 'sku' = :sku
                            AND CAST(l.line ->> 'unitPrice' AS numeric) <> :price
                        ORDER BY q.quote_no FOR UPDATE OF q""")
                .param("curr", currency).param("sku", sku).param("price", newPrice).query().listOfRows();
        List<String> flagged = new ArrayList<>();
        for (Map<String, Object> q : quotes) {
            String quoteNo = (String) q.get("quote_no");
            Map<String, Object> note = new LinkedHashMap<>();
            note.put("sku", sku);
            note.put("quotedPrice", q.get("quoted"));
            note.put("newPrice", newPrice);
            note.put("currency", currency);
            note.put("validFrom", validFrom == null ? null : validFrom.toString());
            note.put("source", source);
            note.put("erpVersion", erpVersion);
            note.put("notedAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
            int updated = jdbc.sql("""
                            UPDATE sandbox_crm.quote SET price_review_needed = true,
                                price_review_notes = price_review_notes || jsonb_build_array(CAST(:note AS jsonb))
                            WHERE quote_no = :q AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(price_review_notes) n
                                WHERE n ->> 'sku' = :sku AND CAST(n ->> 'newPrice' AS numeric) = :price
                                AND n ->> 'source' = :source AND (n ->> 'validFrom') IS NOT DISTINCT FROM :from)""")
                    .param("note", write(note)).param("q", quoteNo).param("sku", sku).param("price", newPrice)
                    .param("source", source).param("from", validFrom == null ? null : validFrom.toString()).update();
            if (updated > 0 && !flagged.contains(quoteNo)) {
                flagged.add(quoteNo);
            }
        }
        return flagged;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
