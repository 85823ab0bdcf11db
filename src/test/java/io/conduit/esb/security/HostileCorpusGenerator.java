package io.conduit.esb.security;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the generated part of the hostile corpus that {@link HostileCorpusIT} sends to every inbound endpoint: one
 * JSON Lines file per category under {@code src/test/resources/hostile/} (one case per line). The hand-picked cases
 * ({@code handpicked.jsonl}) are written by hand and never touched here.
 * <p>
 * Every case starts from a valid payload of its endpoint (the shape of the fixtures under {@code mappings/**}) with
 * business keys of its own ({@code HC-OPP-00042}, ...) and changes one thing: a field's value (field by field, for
 * every string field where the category applies), a key, the encoding, the structure, the content type, the size or
 * the credentials. Its {@code expect} is what a correct ESB answers, decided per category and per kind of field
 * (identifier, one-line name, free text, code, date, ...): never a 5xx, never a 200 echoing the request; 202 only
 * where the input is genuinely valid, and then {@code delivers} says where the value must arrive unchanged
 * (an ERP column, the canonical event on Kafka, the recorded employee), which proves it was stored as inert text.
 * <p>
 * Case fields: {@code id}, {@code category}, {@code endpoint}, {@code method}, {@code path}, {@code contentType}
 * (absent = no Content-Type header), {@code headers}, {@code auth} (valid, none, bad-signature, tampered, expired,
 * future, replayed, ...: the IT makes the credentials at run time, with a fresh X-Timestamp), {@code body} (text) or
 * {@code bodyBase64} (bytes that are not UTF-8), {@code pads} (a token in the body replaced by a character repeated
 * {@code count} times, so that a 256 KiB or 10,000-level body takes a line, not megabytes), {@code chunked} (sent
 * without Content-Length), {@code expect} (acceptable statuses; for the queue {@code parked} or {@code processed}),
 * {@code expectField} (the field the problem's first violation names), {@code keys} (what the case would write if
 * it were accepted: order, complaint, employee, event), {@code delivers}, {@code markers} (text no answer may
 * echo) and {@code note}. {@code {partner}} in a key or path is the partner id the IT registers.
 * <p>
 * Deterministic: fixed order and a fixed seed ({@link #SEED}) for every random choice (where in a value a character
 * goes), so regenerating without a change of this class rewrites the files byte for byte and a diff shows exactly
 * what a change did. Regenerate after changing this class:
 * <pre>
 * flock /tmp/conduit-mvn.lock mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.conduit.esb.security.HostileCorpusGenerator -Dexec.args=src/test/resources/hostile
 * </pre>
 */
public final class HostileCorpusGenerator {

    /** Seed of every random choice in the corpus. */
    static final long SEED = 20_261_120L;
    /** esb.intake.max-body-bytes and esb.partner.max-body-bytes. */
    static final int MAX_BODY = 262_144;
    static final String MARK = "HCMARK";

    private static final String V = "@@V@@";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper LINES = new ObjectMapper().enable(JsonGenerator.Feature.ESCAPE_NON_ASCII);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // ------------------------------------------------------------------------------------------- the endpoints

    /** What a field holds decides what a hostile value in it must get. */
    enum Kind {
        /** an id the ESB passes on without constraints of its own (event ids, SKUs): only gate categories apply */
        OPAQUE,
        /** a business key (Kafka key, ERP reference, URL and query part): identifier characters only */
        ID,
        /** a short free value such as a customer number: any printable text, stored as it is */
        TEXT,
        /** a one-line name: any printable text; line breaks may be refused */
        LINE,
        /** free text that may span lines (subject, description) */
        MULTILINE,
        /** an enumeration or constant */
        ENUM,
        /** a code with a pattern (currency, category, e-mail) */
        CODE,
        DATE,
        DATETIME,
        /** a decimal number written as a string */
        DECIMAL,
        /** a value the mapping turns into a code (CRM product line -> PUMPS) */
        MAPPED_CODE,
        /** a department: the HR intake passes it on, the queue consumer maps it to a code */
        DEPT,
        /** a text criterion of the admin API's filter (SQL parameter) */
        ADMIN_TEXT,
        /** the admin filter's status, one of a fixed set */
        ADMIN_STATUS
    }

    /** Where an accepted value arrives: an ERP column, a JSON pointer into the canonical event or recorded employee. */
    record Delivery(String target, String where, String fixedValue) {
        static Delivery of(String target, String where) {
            return new Delivery(target, where, null);
        }
    }

    /**
     * @param maxLen  the longest value a correct ESB accepts (the schema's maxLength, or the column it ends in);
     *                0 = no limit known, so a long value may be accepted or refused
     * @param refused the statuses a correct ESB answers for a value it must refuse (400; 422 where the refusal may
     *                come from the canonical schema after mapping)
     */
    record Field(String path, Kind kind, int maxLen, Delivery delivery, List<Integer> refused) {
        String shortName() {
            return path.substring(2);
        }
    }

    enum Auth { CRM, HR, PARTNER, OPERATOR }

    record Endpoint(String name, String method, String path, Auth auth, Function<String, ObjectNode> base,
                    List<Field> fields, Function<ObjectNode, Map<String, String>> keys, int acceptedStatus) {
        String pathFor(String n) {
            return path.replace("{n}", n);
        }

        Field field(String shortName) {
            return fields.stream().filter(f -> f.shortName().equals(shortName)).findFirst().orElseThrow();
        }

        /** The first one-line name: where a category that needs one string field puts its value. */
        Field nameField() {
            return fields.stream().filter(f -> f.kind() == Kind.LINE).findFirst()
                    .orElseGet(() -> fields.stream().filter(f -> f.kind() == Kind.ADMIN_TEXT || f.kind() == Kind.OPAQUE)
                            .findFirst().orElseThrow());
        }

        boolean intake() {
            return auth != Auth.OPERATOR;
        }
    }

    private static Field f(String path, Kind kind, int maxLen) {
        return new Field(path, kind, maxLen, null, List.of(400));
    }

    private static Field f(String path, Kind kind, int maxLen, Delivery delivery) {
        return new Field(path, kind, maxLen, delivery, List.of(400));
    }

    static final Endpoint CRM_WON = new Endpoint("crm-won", "POST", "/api/v1/crm/webhooks/opportunity-won", Auth.CRM,
            n -> obj("eventId", "HC-WH-" + n, "eventType", "opportunity.closed_won", "occurredAt", "2026-11-20T09:15:00Z",
                    "data", obj("opportunityId", "HC-OPP-" + n, "revision", 1, "accountNo", "HC-ACC-" + n,
                            "accountName", MARK + " Hostile Corpus GmbH", "currencyCode", "EUR", "amount", "100.00",
                            "closeDate", "2026-11-20", "deliveryDate", "2026-12-01",
                            "products", arr(obj("lineNo", 1, "sku", "P-100", "productName", MARK + " steel bracket",
                                    "qty", "1", "unitPrice", "100.00")))),
            List.of(f("$.eventId", Kind.OPAQUE, 0),
                    f("$.eventType", Kind.ENUM, 0),
                    f("$.occurredAt", Kind.DATETIME, 0),
                    // the canonical order id is an identifier: refused by the CRM schema or, after mapping, by the canonical one
                    new Field("$.data.opportunityId", Kind.ID, 64, null, List.of(400, 422)),
                    f("$.data.accountNo", Kind.ID, 32, Delivery.of("erp-order", "cust_no")),
                    f("$.data.accountName", Kind.LINE, 200, Delivery.of("erp-order", "cust_name")),
                    f("$.data.closeDate", Kind.DATE, 0),
                    f("$.data.deliveryDate", Kind.DATE, 0),
                    f("$.data.currencyCode", Kind.CODE, 0),
                    f("$.data.amount", Kind.DECIMAL, 0),
                    f("$.data.products[0].sku", Kind.OPAQUE, 0),
                    f("$.data.products[0].productName", Kind.LINE, 200, Delivery.of("erp-line", "item_desc")),
                    f("$.data.products[0].qty", Kind.DECIMAL, 0),
                    f("$.data.products[0].unitPrice", Kind.DECIMAL, 0)),
            body -> Map.of("order", text(body, "$.data.opportunityId")), 202);

    static final Endpoint CRM_CASE = new Endpoint("crm-case", "POST", "/api/v1/crm/webhooks/case-created", Auth.CRM,
            n -> obj("eventId", "HC-WH-" + n, "eventType", "case.created", "occurredAt", "2026-11-21T08:30:00Z",
                    "data", obj("caseNumber", "HC-CASE-" + n, "accountNo", "HC-ACC-" + n,
                            "accountName", MARK + " Hostile Corpus GmbH", "accountTier", "Gold",
                            "relatedOpportunityId", "HC-OPP-" + n, "categoryCode", "DMG", "priority", "High",
                            "origin", "Email", "subject", MARK + " bent brackets",
                            "description", MARK + " Three of ten brackets arrived bent.", "productSku", "P-100",
                            "productName", "Steel bracket", "productLine", "Brackets", "openedAt", "2026-11-21T08:29:58Z")),
            List.of(f("$.eventId", Kind.OPAQUE, 0),
                    f("$.eventType", Kind.ENUM, 0),
                    f("$.occurredAt", Kind.DATETIME, 0),
                    f("$.data.caseNumber", Kind.ID, 64),
                    f("$.data.accountNo", Kind.ID, 64, Delivery.of("kafka-complaint", "/customer/customerId")),
                    f("$.data.accountName", Kind.LINE, 200, Delivery.of("kafka-complaint", "/customer/name")),
                    f("$.data.accountTier", Kind.ENUM, 0),
                    f("$.data.relatedOpportunityId", Kind.OPAQUE, 0),
                    f("$.data.categoryCode", Kind.CODE, 0),
                    f("$.data.priority", Kind.ENUM, 0),
                    // an origin without a channel of its own is channel OTHER
                    f("$.data.origin", Kind.TEXT, 0, new Delivery("kafka-complaint", "/channel", "OTHER")),
                    f("$.data.subject", Kind.LINE, 300, Delivery.of("kafka-complaint", "/subject")),
                    f("$.data.description", Kind.MULTILINE, 0, Delivery.of("kafka-complaint", "/description")),
                    f("$.data.productSku", Kind.OPAQUE, 0),
                    f("$.data.productName", Kind.LINE, 200, Delivery.of("kafka-complaint", "/product/name")),
                    new Field("$.data.productLine", Kind.MAPPED_CODE, 64, Delivery.of("kafka-complaint", "/product/productLine"),
                            List.of(400, 422)),
                    f("$.data.openedAt", Kind.DATETIME, 0)),
            body -> Map.of("complaint", text(body, "$.data.caseNumber")), 202);

    static final Endpoint HR = new Endpoint("hr", "POST", "/api/v1/hr/events", Auth.HR,
            n -> obj("eventId", "HC-EVT-" + n, "type", "HIRE", "employeeNo", "HC-E-" + n,
                    "fullName", MARK + " Hostile Person", "email", "hc.person@example.com", "department", "Finance",
                    "jobTitle", MARK + " Accountant", "managerNo", "HC-M-1", "effectiveDate", "2026-12-01",
                    "publishedAt", "2026-11-20T09:00:00Z"),
            List.of(f("$.eventId", Kind.OPAQUE, 64),
                    f("$.type", Kind.ENUM, 0),
                    f("$.employeeNo", Kind.ID, 32),
                    f("$.fullName", Kind.LINE, 200, Delivery.of("erp-user", "full_nm")),
                    f("$.email", Kind.CODE, 200),
                    f("$.department", Kind.DEPT, 64),
                    f("$.jobTitle", Kind.LINE, 128, Delivery.of("sync-event", "/jobTitle")),
                    f("$.managerNo", Kind.OPAQUE, 32),
                    f("$.effectiveDate", Kind.DATE, 0),
                    f("$.publishedAt", Kind.OPAQUE, 0)),
            body -> Map.of("employee", text(body, "$.employeeNo"), "event", text(body, "$.eventId")), 202);

    static final Endpoint PARTNER_ORDER = new Endpoint("partner-order", "POST", "/api/v1/partner/orders", Auth.PARTNER,
            n -> obj("orderNumber", "HC-PO-" + n, "revision", 1, "orderDate", "2026-11-20",
                    "requestedDeliveryDate", "2026-12-01", "currency", "EUR",
                    "buyer", obj("customerNumber", "HC-ACC-" + n, "name", MARK + " Hostile Corpus GmbH"),
                    "lines", arr(obj("lineNumber", 1, "sku", "P-100", "description", MARK + " steel bracket",
                            "quantity", 1, "unitPrice", 100.0))),
            List.of(f("$.orderNumber", Kind.ID, 40),
                    f("$.orderDate", Kind.DATE, 0),
                    f("$.requestedDeliveryDate", Kind.DATE, 0),
                    f("$.currency", Kind.CODE, 0),
                    // the schema allows 64 characters, the ERP's customer number column holds 32
                    f("$.buyer.customerNumber", Kind.ID, 32, Delivery.of("erp-order", "cust_no")),
                    f("$.buyer.name", Kind.LINE, 200, Delivery.of("erp-order", "cust_name")),
                    f("$.lines[0].sku", Kind.OPAQUE, 64),
                    f("$.lines[0].description", Kind.LINE, 200, Delivery.of("erp-line", "item_desc"))),
            body -> Map.of("order", "{partner}:" + text(body, "$.orderNumber")), 202);

    static final Endpoint PARTNER_COMPLAINT = new Endpoint("partner-complaint", "POST", "/api/v1/partner/complaints",
            Auth.PARTNER,
            n -> obj("complaintNumber", "HC-RMA-" + n,
                    "customer", obj("customerNumber", "HC-ACC-" + n, "name", MARK + " Hostile Corpus GmbH"),
                    "orderNumber", "HC-PO-" + n, "category", "DAMAGED_GOODS", "severity", "HIGH",
                    "subject", MARK + " bent brackets", "description", MARK + " Three of ten brackets arrived bent.",
                    "product", obj("sku", "P-100", "name", "Steel bracket", "productLine", "BRACKETS"),
                    "reportedAt", "2026-11-21T08:29:58Z"),
            List.of(f("$.complaintNumber", Kind.ID, 40),
                    f("$.customer.customerNumber", Kind.ID, 64, Delivery.of("kafka-complaint", "/customer/customerId")),
                    f("$.customer.name", Kind.LINE, 200, Delivery.of("kafka-complaint", "/customer/name")),
                    f("$.orderNumber", Kind.ID, 40),
                    f("$.category", Kind.ENUM, 0),
                    f("$.severity", Kind.ENUM, 0),
                    f("$.subject", Kind.LINE, 300, Delivery.of("kafka-complaint", "/subject")),
                    f("$.description", Kind.MULTILINE, 10_000, Delivery.of("kafka-complaint", "/description")),
                    f("$.product.sku", Kind.OPAQUE, 64),
                    f("$.product.name", Kind.LINE, 200, Delivery.of("kafka-complaint", "/product/name")),
                    f("$.product.productLine", Kind.CODE, 0),
                    f("$.reportedAt", Kind.DATETIME, 0)),
            body -> Map.of("complaint", "{partner}:" + text(body, "$.complaintNumber")), 202);

    /** Dry run of a bulk replay: reads only, answers 200 with what would be replayed (nothing: no such key). */
    static final Endpoint OPS_REPLAY = new Endpoint("ops-replay", "POST", "/api/v1/ops/parked/replay", Auth.OPERATOR,
            n -> obj("filter", obj("flow", "order-handoff", "businessKey", "HC-ADMIN-" + n, "reason", MARK + " nothing",
                    "status", "PARKED"), "dryRun", true),
            List.of(new Field("$.filter.flow", Kind.ADMIN_TEXT, 256, Delivery.of("answer", "/total"), List.of(400, 422)),
                    new Field("$.filter.businessKey", Kind.ADMIN_TEXT, 256, Delivery.of("answer", "/total"), List.of(400, 422)),
                    new Field("$.filter.reason", Kind.ADMIN_TEXT, 256, Delivery.of("answer", "/total"), List.of(400, 422)),
                    new Field("$.filter.status", Kind.ADMIN_STATUS, 16, null, List.of(400, 422))),
            body -> Map.of(), 200);

    /** Discard by filter: only refusals by the gate, and filters that match nothing (answer: discarded 0). */
    static final Endpoint OPS_DISCARD = new Endpoint("ops-discard", "POST", "/api/v1/ops/parked/discard", Auth.OPERATOR,
            n -> obj("filter", obj("businessKey", "HC-ADMIN-" + n), "reason", "hostile corpus check"),
            List.of(new Field("$.filter.businessKey", Kind.ADMIN_TEXT, 256, Delivery.of("answer", "/discarded"), List.of(400, 422)),
                    f("$.reason", Kind.OPAQUE, 0)),
            body -> Map.of(), 200);

    /** Replay of one parked message that does not exist: a valid body gets 404. */
    static final Endpoint OPS_REPLAY_ONE = new Endpoint("ops-replay-one", "POST",
            "/api/v1/ops/parked/00000000-0000-4000-8000-0000000{n}/replay", Auth.OPERATOR,
            n -> obj("payload", obj("note", MARK + " edited payload")),
            List.of(f("$.payload.note", Kind.OPAQUE, 0)),
            body -> Map.of(), 404);

    static final List<Endpoint> INTAKES = List.of(CRM_WON, CRM_CASE, HR, PARTNER_ORDER, PARTNER_COMPLAINT);
    static final List<Endpoint> POSTS = List.of(CRM_WON, CRM_CASE, HR, PARTNER_ORDER, PARTNER_COMPLAINT, OPS_REPLAY,
            OPS_DISCARD, OPS_REPLAY_ONE);

    // ------------------------------------------------------------------------------------------- hostile values

    record Injection(String name, String value, boolean lineBreak) { }

    static final List<Injection> INJECTIONS = List.of(
            new Injection("sql-or", "' OR 1=1 --", false),
            new Injection("sql-drop", "'; DROP TABLE so_stage_hdr; --", false),
            new Injection("sql-union", "x' UNION SELECT usr_id FROM erp.sys_user --", false),
            new Injection("jsonata-eval", "$eval(\"$string(6*7)\")", false),
            new Injection("jsonata-root", "$string($$)", false),
            new Injection("simple-sysprop", "${sys.user.home}", false),
            new Injection("simple-bean", "${bean:partnerGate}", false),
            new Injection("simple-header", "${header.X-Signature}", false),
            new Injection("simple-body", "${body}", false),
            new Injection("simple-env", "${env:HOME}", false),
            new Injection("placeholder", "{{esb.partner.master-key}}", false),
            new Injection("spel", "#{7*7}", false),
            new Injection("jndi", "${jndi:ldap://127.0.0.1:1/a}", false),
            new Injection("html", "<script>alert(1)</script>", false),
            new Injection("format", "%s%s%s%n%x", false),
            new Injection("xml-entity", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", false),
            new Injection("crlf-header", "Acme\r\nX-Injected: 1", true),
            new Injection("log-forging", "Acme\n2026-01-01 12:00:00.000 ERROR [main] fake entry", true));

    record Traversal(String name, String value) { }

    static final List<Traversal> TRAVERSALS = List.of(new Traversal("dot-dot-slash", "../../etc/passwd"),
            new Traversal("dot-dot-backslash", "..\\..\\windows\\win.ini"),
            new Traversal("percent-encoded", "%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
            new Traversal("absolute", "/etc/passwd"),
            new Traversal("doubled-dots", "....//....//etc/passwd"),
            new Traversal("file-url", "file:///etc/passwd"),
            new Traversal("overlong-encoded", "..%c0%af..%c0%afetc%c0%afpasswd"),
            new Traversal("inner-dot-dot", "HC/../../x"),
            new Traversal("query-parameter", "E1&employeeNo=E2"),
            new Traversal("query-fragment", "E1?x=1#frag"),
            new Traversal("percent-nul", "E1%00.json"));

    /** C0 except tab, LF and CR (free text may hold those), DEL, C1: what the input gate refuses in any string. */
    static final List<Integer> CONTROL = controlCharacters();

    private static List<Integer> controlCharacters() {
        List<Integer> chars = new ArrayList<>();
        for (int c = 0; c < 0x20; c++) {
            if (c != '\t' && c != '\n' && c != '\r') {
                chars.add(c);
            }
        }
        chars.add(0x7F);
        for (int c = 0x80; c <= 0x9F; c++) {
            chars.add(c);
        }
        return chars;
    }

    record Utf8(String name, byte[] bytes) { }

    static final List<Utf8> INVALID_UTF8 = List.of(
            new Utf8("overlong-slash", bytes(0xC0, 0xAF)),
            new Utf8("overlong-nul", bytes(0xC0, 0x80)),
            new Utf8("overlong-3byte", bytes(0xE0, 0x80, 0xAF)),
            new Utf8("overlong-4byte", bytes(0xF0, 0x80, 0x80, 0xAF)),
            new Utf8("lone-continuation-80", bytes(0x80)),
            new Utf8("lone-continuation-bf", bytes(0xBF)),
            new Utf8("continuation-run", bytes(0x80, 0x81, 0x82, 0x83)),
            new Utf8("truncated-2byte", bytes(0xC3)),
            new Utf8("truncated-3byte", bytes(0xE2, 0x82)),
            new Utf8("truncated-4byte", bytes(0xF0, 0x9F, 0x98)),
            new Utf8("cesu-surrogate-pair", bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80)),
            new Utf8("cesu-lone-high", bytes(0xED, 0xA0, 0x80)),
            new Utf8("cesu-lone-low", bytes(0xED, 0xB0, 0x80)),
            new Utf8("byte-fe", bytes(0xFE)),
            new Utf8("byte-ff", bytes(0xFF)),
            new Utf8("above-u10ffff", bytes(0xF4, 0x90, 0x80, 0x80)),
            new Utf8("five-byte", bytes(0xF8, 0x88, 0x80, 0x80, 0x80)),
            new Utf8("latin1-umlaut", bytes(0xFC)));

    /** Escaped UTF-16 code units JSON lets through that are no characters: lone surrogates, U+FFFE, U+FFFF. */
    static final List<String> NON_CHARACTERS = List.of("\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\ud800\\u0041",
            "\\ufffe", "\\uffff");

    // ------------------------------------------------------------------------------------------- the writer

    private final Random random = new Random(SEED);
    private final Map<String, List<ObjectNode>> files = new LinkedHashMap<>();
    private final Set<String> ids = new HashSet<>();
    private int serial;

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/hostile");
        Files.createDirectories(dir);
        HostileCorpusGenerator generator = new HostileCorpusGenerator();
        generator.generate();
        int total = 0;
        for (Map.Entry<String, List<ObjectNode>> file : generator.files.entrySet()) {
            StringBuilder out = new StringBuilder();
            for (ObjectNode line : file.getValue()) {
                out.append(LINES.writeValueAsString(ordered(line))).append('\n');
            }
            Files.writeString(dir.resolve(file.getKey() + ".jsonl"), out, StandardCharsets.UTF_8);
            System.out.printf("%-20s %5d cases%n", file.getKey(), file.getValue().size());
            total += file.getValue().size();
        }
        System.out.printf("%-20s %5d cases in %s%n", "generated", total, dir);
    }

    /** The order of a case's fields in its line: what it is and what it expects first, the body last. */
    static final List<String> FIELD_ORDER = List.of("id", "category", "endpoint", "method", "path", "contentType",
            "headers", "auth", "jms", "expect", "firstExpect", "expectField", "chunked", "mayReset", "keys", "delivers",
            "markers", "marker", "note", "pads", "body", "bodyBase64");

    private static ObjectNode ordered(ObjectNode line) {
        ObjectNode out = NODES.objectNode();
        for (String name : FIELD_ORDER) {
            if (line.has(name)) {
                out.set(name, line.get(name));
            }
        }
        line.fieldNames().forEachRemaining(name -> {
            if (!out.has(name)) {
                throw new IllegalStateException("field " + name + " has no place in FIELD_ORDER");
            }
        });
        return out;
    }

    void generate() {
        for (Endpoint e : INTAKES) {
            controlCharacters(e);
        }
        controlCharacters(OPS_REPLAY);
        controlCharacters(OPS_DISCARD);
        for (Endpoint e : POSTS) {
            nonCharacters(e);
            invalidUtf8(e);
            oversize(e);
            nesting(e);
            xml(e);
            duplicateKeys(e);
            contentTypes(e);
            emptyBodies(e);
            trailingGarbage(e);
            auth(e);
        }
        for (Endpoint e : List.of(CRM_WON, CRM_CASE, HR, PARTNER_ORDER, PARTNER_COMPLAINT, OPS_REPLAY, OPS_DISCARD)) {
            injections(e);
            longStrings(e);
        }
        numbers();
        traversal();
        partnerMessagePaths();
        queue();
    }

    // ------------------------------------------------------------------------------------------- categories

    /** Every control character, escaped, in every string field; every one raw in the first name field. */
    private void controlCharacters(Endpoint e) {
        for (Field field : e.fields()) {
            for (int c : CONTROL) {
                String n = next();
                ObjectNode base = e.base().apply(n);
                String value = text(base, field.path());
                int at = random.nextInt(value.length() + 1);
                byte[] body = splice(base, field.path(), literal(value.substring(0, at),
                        ascii(String.format("\\u%04x", c)), value.substring(at)));
                add("control-chars", e, n, String.format("esc-U+%04X-%s", c, field.shortName()), body)
                        .expect(400).expectField(field.path())
                        .note("escaped control character in a string: the input gate refuses it and names the field");
            }
        }
        Field field = e.nameField();
        for (int c = 0; c <= 0x9F; c = c == 0x1F ? 0x7F : c + 1) {
            String n = next();
            ObjectNode base = e.base().apply(n);
            String value = text(base, field.path());
            int at = random.nextInt(value.length() + 1);
            byte[] raw = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
            byte[] body = splice(base, field.path(), literal(value.substring(0, at), raw, value.substring(at)));
            Case added = add("control-chars", e, n, String.format("raw-U+%04X-%s", c, field.shortName()), body).expect(400);
            if (c >= 0x7F) {
                added.expectField(field.path());
            }
            added.note(c < 0x20 ? "unescaped C0 character in a string: not JSON"
                    : "raw DEL or C1 character (valid JSON): the input gate refuses it and names the field");
        }
        for (String key : List.of("\\u0000", "\\u001b", "\\u0085")) {
            String n = next();
            byte[] body = withExtraKey(e.base().apply(n), "x" + key + "y");
            add("control-chars", e, n, "key-" + key.substring(2), body).expect(400)
                    .note("control character in a key");
        }
    }

    /** Lone surrogates and noncharacters (escaped, so the bytes are ASCII) in every string field. */
    private void nonCharacters(Endpoint e) {
        for (Field field : e.fields()) {
            for (String unit : NON_CHARACTERS) {
                String n = next();
                ObjectNode base = e.base().apply(n);
                String value = text(base, field.path());
                byte[] body = splice(base, field.path(), literal(value, ascii(unit), ""));
                add("surrogates", e, n, unit.replace("\\u", "") + "-" + field.shortName(), body)
                        .expect(400).expectField(field.path())
                        .note("lone surrogate or noncharacter in a string: no text can hold it");
            }
        }
    }

    /** Every invalid sequence in a value, in a key, first and last in the body; one of them in every string field. */
    private void invalidUtf8(Endpoint e) {
        Field name = e.nameField();
        for (Utf8 bad : INVALID_UTF8) {
            String n = next();
            ObjectNode base = e.base().apply(n);
            String value = text(base, name.path());
            add("invalid-utf8", e, n, bad.name() + "-in-" + name.shortName(),
                    splice(base, name.path(), literal(value.substring(0, 3), bad.bytes(), value.substring(3))))
                    .expect(400).note("invalid UTF-8 inside a string value");
            n = next();
            add("invalid-utf8", e, n, bad.name() + "-in-key", withExtraKeyBytes(e.base().apply(n), bad.bytes()))
                    .expect(400).note("invalid UTF-8 inside a key");
            n = next();
            add("invalid-utf8", e, n, bad.name() + "-at-start", concat(bad.bytes(), json(e.base().apply(n))))
                    .expect(400).note("invalid UTF-8 before the JSON document");
            n = next();
            byte[] doc = json(e.base().apply(n));
            byte[] cut = Arrays.copyOf(doc, doc.length - 2);
            add("invalid-utf8", e, n, bad.name() + "-at-end", concat(concat(cut, bad.bytes()), ascii("\"}")))
                    .expect(400).note("invalid UTF-8 in the last bytes of the body");
        }
        for (Field field : e.fields()) {
            String n = next();
            ObjectNode base = e.base().apply(n);
            add("invalid-utf8", e, n, "overlong-slash-field-" + field.shortName(),
                    splice(base, field.path(), literal(text(base, field.path()), bytes(0xC0, 0xAF), "")))
                    .expect(400).note("overlong '/' in every string field");
        }
    }

    /** Just over 256 KiB, declared and chunked; far over; exactly 256 KiB (passes the size check, too long a value). */
    private void oversize(Endpoint e) {
        Field name = e.nameField();
        record Size(String name, int total, boolean chunked, List<Integer> expect, boolean mayReset) { }
        // at the limit: the body passes the size check and the value is refused for its length (admin filter
        // criteria: 422; an edited payload for a parked message that does not exist: 404)
        List<Integer> atLimit = e.intake() ? List.of(400) : e == OPS_REPLAY_ONE ? List.of(404, 400) : List.of(400, 422);
        for (Size size : List.of(
                new Size("just-over-declared", MAX_BODY + 1, false, List.of(413), false),
                new Size("just-over-chunked", MAX_BODY + 1, true, List.of(413), true),
                new Size("far-over-declared", 2 * 1024 * 1024, false, List.of(413), true),
                new Size("far-over-chunked", 2 * 1024 * 1024, true, List.of(413), true),
                new Size("at-limit", MAX_BODY, false, atLimit, false))) {
            String n = next();
            ObjectNode base = e.base().apply(n);
            byte[] template = splice(base, name.path(), literal("HCLONG", ascii("@@PAD@@"), ""));
            int fill = size.total() - (template.length - "@@PAD@@".length());
            Case c = add("oversize", e, n, size.name(), template).pad("@@PAD@@", "A", fill).expect(size.expect())
                    .marker("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                    .note("body of " + size.total() + " bytes" + (size.chunked() ? ", sent chunked" : ", Content-Length declared")
                            + (size.total() > MAX_BODY ? ": over esb.intake.max-body-bytes" : ": at the limit, the value too long"));
            if (size.chunked()) {
                c.node.put("chunked", true);
            }
            if (size.mayReset()) {
                c.node.put("mayReset", true);
            }
        }
    }

    /** 33 to 10,000 levels of arrays and objects, as the whole body and inside a value. */
    private void nesting(Endpoint e) {
        Field name = e.nameField();
        int fieldDepth = name.path().split("\\.").length - 1 + (name.path().contains("[") ? 1 : 0);
        for (int depth : List.of(33, 34, 64, 100, 1000, 10_000)) {
            for (boolean arrays : List.of(true, false)) {
                String shape = arrays ? "arrays" : "objects";
                String n = next();
                add("nesting", e, n, depth + "-" + shape + "-body", ascii("@@OPEN@@" + (arrays ? "" : "{}") + "@@CLOSE@@"))
                        .pad("@@OPEN@@", arrays ? "[" : "{\"a\":", arrays ? depth : depth - 1)
                        .pad("@@CLOSE@@", arrays ? "]" : "}", arrays ? depth : depth - 1)
                        .expect(400).note(depth + " levels of " + shape + " as the whole body (limit 32)");
                n = next();
                int inner = depth - fieldDepth;
                byte[] body = splice(e.base().apply(n), name.path(),
                        ascii("@@OPEN@@" + (arrays ? "" : "{}") + "@@CLOSE@@"));
                add("nesting", e, n, depth + "-" + shape + "-in-" + name.shortName(), body)
                        .pad("@@OPEN@@", arrays ? "[" : "{\"a\":", arrays ? inner : inner - 1)
                        .pad("@@CLOSE@@", arrays ? "]" : "}", arrays ? inner : inner - 1)
                        .expect(400).note(depth + " levels in all, " + shape + " in place of " + name.path());
            }
        }
    }

    private void xml(Endpoint e) {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE order [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<order><id>HC-XML-@@N@@</id><name>&xxe;</name></order>";
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
                + "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]><lolz id=\"HC-XML-@@N@@\">&lol4;</lolz>";
        record X(String name, String type, String body, int status) { }
        for (X x : List.of(new X("xxe-application-xml", "application/xml", xxe, 415),
                new X("xxe-text-xml", "text/xml", xxe, 415),
                new X("xxe-soap", "application/soap+xml", xxe, 415),
                new X("billion-laughs", "application/xml", laughs, 415),
                new X("xxe-declared-json", "application/json", xxe, 400),
                new X("billion-laughs-declared-json", "application/json", laughs, 400))) {
            String n = next();
            // every body names its case: two identical signed bodies in one second would be one request sent twice
            add("xml", e, n, x.name(), ascii(x.body().replace("@@N@@", n))).contentType(x.type()).expect(x.status())
                    .marker("root:").marker("<!ENTITY").note("XML body (" + x.type() + "): the ESB reads JSON only");
        }
    }

    private void duplicateKeys(Endpoint e) {
        for (Field field : e.fields()) {
            String n = next();
            ObjectNode base = e.base().apply(n);
            String path = field.path();
            String key = path.substring(path.lastIndexOf('.') + 1);
            String value = text(base, path);
            // the key again right after the real one, with a different value: which one would a parser keep?
            String original = "\"" + key + "\":" + JSON.valueToTree(value);
            String doubled = original + ",\"" + key + "\":\"../../etc/passwd\"";
            String text = new String(json(base), StandardCharsets.UTF_8);
            if (!text.contains(original)) {
                throw new IllegalStateException(original);
            }
            add("duplicate-keys", e, n, "twice-" + field.shortName(),
                    ascii(text.replaceFirst(Pattern.quote(original), Matcher.quoteReplacement(doubled))))
                    .expect(400).note("duplicate key " + path + " (second value a traversal)");
        }
        String n = next();
        ObjectNode base = e.base().apply(n);
        String first = base.fieldNames().next();
        String text = new String(json(base), StandardCharsets.UTF_8);
        String escaped = first.substring(0, 1) + "\\u" + String.format("%04x", (int) first.charAt(1)) + first.substring(2);
        add("duplicate-keys", e, n, "escaped-twin-" + first,
                ascii(text.substring(0, text.length() - 1) + ",\"" + escaped + "\":" + JSON.valueToTree(base.get(first)) + "}"))
                .expect(400).note("the first key again, one letter written as a \\u escape: the same key");
        n = next();
        base = e.base().apply(n);
        text = new String(json(base), StandardCharsets.UTF_8);
        add("duplicate-keys", e, n, "same-value-" + first,
                ascii(text.substring(0, text.length() - 1) + ",\"" + first + "\":" + JSON.valueToTree(base.get(first)) + "}"))
                .expect(400).note("the first key again with the same value: still not one JSON object");
    }

    private void contentTypes(Endpoint e) {
        record T(String name, String type, String body) { }
        List<T> types = List.of(
                new T("form", "application/x-www-form-urlencoded", "eventId=HC-WH-@@N@@&data=%7B%7D"),
                new T("form-utf8", "application/x-www-form-urlencoded; charset=UTF-8", "eventId=HC-WH-@@N@@&data=%7B%7D"),
                new T("text-plain", "text/plain", null),
                new T("text-plain-utf8", "text/plain; charset=utf-8", null),
                new T("text-html", "text/html", null),
                new T("application-xml", "application/xml", null),
                new T("text-xml", "text/xml", null),
                new T("multipart", "multipart/form-data; boundary=HCBOUNDARY",
                        "--HCBOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\n"
                                + "Content-Type: application/json\r\n\r\n@@JSON@@\r\n--HCBOUNDARY--\r\n"),
                new T("octet-stream", "application/octet-stream", null),
                new T("javascript", "application/javascript", null),
                new T("none", null, null),
                new T("json-latin1", "application/json; charset=ISO-8859-1", null),
                new T("json-utf16", "application/json; charset=utf-16", null),
                new T("jsonx", "application/jsonx", null),
                new T("json-prefix", "application/jsonp", null),
                new T("echo-marker", "text/hcmark-<script>", null));
        for (T t : types) {
            String n = next();
            byte[] valid = json(e.base().apply(n));
            byte[] body = t.body() == null ? valid
                    : ascii(t.body().replace("@@JSON@@", new String(valid, StandardCharsets.UTF_8)).replace("@@N@@", n));
            Case c = add("content-type", e, n, t.name(), body).contentType(t.type()).expect(415)
                    .note("Content-Type " + (t.type() == null ? "absent" : t.type()) + ": JSON only, as UTF-8");
            if (t.name().equals("echo-marker")) {
                c.marker("<script>").marker("hcmark").note("a Content-Type no answer may repeat (the docs: never the request's headers)");
            }
        }
        if (e.auth() == Auth.PARTNER) {
            String n = next();
            add("content-type", e, n, "plus-json-echo", json(e.base().apply(n)))
                    .contentType("application/hcmark+json; x=\"<script>\"").expect(415).marker("<script>").marker("hcmark")
                    .note("a +json type the partner API does not take: 415 without repeating the header");
        }
    }

    private void emptyBodies(Endpoint e) {
        record B(String name, String body) { }
        for (B b : List.of(new B("empty", ""), new B("space", " "), new B("newline", "\n"), new B("null", "null"),
                new B("object", "{}"), new B("array", "[]"), new B("string", "\"HC\""), new B("zero", "0"),
                new B("true", "true"), new B("array-of-valid", null))) {
            String n = next();
            byte[] body = b.body() == null ? concat(concat(ascii("["), json(e.base().apply(n))), ascii("]")) : ascii(b.body());
            List<Integer> expect = List.of(400);
            if (e == OPS_REPLAY_ONE && (b.name().equals("empty") || b.name().equals("null") || b.name().equals("object"))) {
                expect = List.of(404); // the payload is optional: the parked message is looked up, and is not there
            }
            add("empty-body", e, n, b.name(), body).expect(expect).note("body: " + (b.body() == null ? "[valid payload]"
                    : "'" + b.body().replace("\n", "\\n") + "'"));
        }
    }

    private void trailingGarbage(Endpoint e) {
        record G(String name, byte[] before, byte[] after) { }
        for (G g : List.of(new G("second-object", null, ascii(" {}")), new G("letter", null, ascii("x")),
                new G("bracket", null, ascii("]")), new G("brace", null, ascii("}")),
                new G("line-comment", null, ascii(" // HC")), new G("block-comment", null, ascii("/* HC */")),
                new G("nul-byte", null, bytes(0)), new G("same-document-again", null, null),
                new G("xssi-prefix", ascii(")]}',\n"), null), new G("leading-comment", ascii("/* HC */"), null))) {
            String n = next();
            byte[] doc = json(e.base().apply(n));
            byte[] body = concat(g.before() == null ? new byte[0] : g.before(),
                    concat(doc, g.after() == null ? (g.name().equals("same-document-again") ? doc : new byte[0]) : g.after()));
            add("trailing-garbage", e, n, g.name(), body).expect(400).note("one JSON document and nothing else");
        }
    }

    private void auth(Endpoint e) {
        List<String> modes;
        switch (e.auth()) {
            case CRM, HR -> modes = List.of("none", "bad-signature", "tampered", "expired", "future", "ts-not-number",
                    "ts-millis", "no-prefix", "sha1-prefix", "empty-signature", "wrong-source", "unknown-key-id",
                    "basic-operator");
            case PARTNER -> modes = List.of("none", "bad-signature", "tampered", "expired", "future", "ts-not-number",
                    "unknown-api-key", "missing-api-key", "empty-signature", "basic-operator");
            default -> modes = List.of("none", "bad-password", "viewer", "source-signature");
        }
        for (String mode : modes) {
            String n = next();
            int status = mode.equals("viewer") ? 403 : 401;
            add("auth", e, n, mode, json(e.base().apply(n))).auth(mode).expect(status)
                    .note("valid body, credentials: " + mode);
        }
        if (e.intake()) {
            String n = next();
            ObjectNode base = e.base().apply(n);
            Case c = add("auth", e, n, "replayed", json(base)).auth("replayed").expect(409)
                    .note("the same signed request twice: accepted once (202), then 409");
            c.node.set("firstExpect", NODES.arrayNode().add(202));
            Field name = e.nameField();
            if (name.delivery() != null) {
                c.delivers(name.delivery(), deliveredValue(e, name, text(base, name.path())));
            }
        }
    }

    private void injections(Endpoint e) {
        for (Field field : e.fields()) {
            for (Injection inj : INJECTIONS) {
                if (field.maxLen() > 0 && inj.value().length() > field.maxLen()) {
                    continue;
                }
                List<Integer> expect;
                boolean accepted;
                String delivered = inj.value();
                switch (field.kind()) {
                    case LINE, TEXT -> {
                        expect = inj.lineBreak() ? List.of(e.acceptedStatus(), 400) : List.of(e.acceptedStatus());
                        accepted = true;
                    }
                    case MULTILINE, ADMIN_TEXT -> {
                        expect = List.of(e.acceptedStatus());
                        accepted = true;
                    }
                    case MAPPED_CODE -> {
                        String code = productLineCode(inj.value());
                        // a line break in a one-line source value is refused by the source schema
                        accepted = code.matches("^[A-Z0-9][A-Z0-9_-]*$") && !inj.lineBreak();
                        expect = accepted ? List.of(e.acceptedStatus()) : field.refused();
                        delivered = code;
                    }
                    case ID, ENUM, CODE, DATE, DATETIME, DECIMAL, ADMIN_STATUS -> {
                        expect = field.refused();
                        accepted = false;
                    }
                    default -> {
                        continue;
                    }
                }
                String n = next();
                ObjectNode base = e.base().apply(n);
                set(base, field.path(), TextNode.valueOf(inj.value()));
                Case c = add("injection", e, n, inj.name() + "-" + field.shortName(), json(base)).expect(expect)
                        .keys(e.keys().apply(base))
                        .note(accepted ? "an injection string in " + field.kind().name().toLowerCase(Locale.ROOT)
                                + " " + field.path() + " is text: accepted and delivered verbatim, never evaluated"
                                : "an injection string in " + field.kind().name().toLowerCase(Locale.ROOT) + " " + field.path()
                                + ": refused");
                if (accepted && field.delivery() != null) {
                    c.delivers(field.delivery(), deliveredValue(e, field, delivered));
                }
                if (!isEchoedByDesign(field)) {
                    c.marker(inj.value());
                }
            }
        }
    }

    /** A long value (2,000 and 20,000 characters: the masking of such values used to overflow the stack). */
    private void longStrings(Endpoint e) {
        for (Field field : e.fields()) {
            if (field.kind() == Kind.OPAQUE && field.maxLen() == 0 || field.kind() == Kind.ENUM
                    || field.kind() == Kind.DATE || field.kind() == Kind.DATETIME || field.kind() == Kind.DECIMAL) {
                continue;
            }
            for (int length : List.of(2_000, 20_000)) {
                String n = next();
                ObjectNode base = e.base().apply(n);
                List<Integer> expect;
                boolean accepted;
                String limit;
                if (field.kind() == Kind.CODE || field.kind() == Kind.ADMIN_STATUS) {
                    expect = field.refused();
                    accepted = false;
                    limit = " (a code: its pattern or set refuses it)";
                } else if (field.maxLen() == 0) {
                    expect = List.of(e.acceptedStatus(), 400);
                    accepted = true;
                    limit = " (no limit known: stored whole, or refused)";
                } else {
                    accepted = length <= field.maxLen();
                    expect = accepted ? List.of(e.acceptedStatus()) : field.refused();
                    limit = " (at most " + field.maxLen() + " fit)";
                }
                byte[] body = splice(base, field.path(), literal("HCLONG", ascii("@@PAD@@"), ""));
                Case c = add("long-strings", e, n, length + "-" + field.shortName(), body).pad("@@PAD@@", "A", length - 6)
                        .expect(expect).marker("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                        .note(length + " characters in " + field.path() + limit + ": never a 200 repeating the request");
                String value = "HCLONG" + "A".repeat(length - 6);
                set(base, field.path(), TextNode.valueOf(value));
                // a long business key stays out of the line (the IT finds such a record by its HCLONG prefix anyway)
                Map<String, String> keys = e.keys().apply(base);
                if (keys.values().stream().anyMatch(k -> k.length() > 100)) {
                    keys = e.keys().apply(e.base().apply(n));
                }
                c.keys(keys);
                if (accepted && field.delivery() != null) {
                    c.delivers(field.delivery(), deliveredValue(e, field, value));
                    if (field.delivery().fixedValue() == null && !field.delivery().target().equals("answer")) {
                        // the value is the pad: HCLONG and A up to the length
                        ObjectNode d = (ObjectNode) c.node.get("delivers");
                        d.remove("value");
                        d.put("prefix", "HCLONG");
                        d.put("length", length);
                    }
                }
            }
        }
    }

    /** Huge, non-finite and out-of-range numbers, and numbers where strings are expected. */
    private void numbers() {
        List<String[]> integers = List.of(
                new String[]{"1e32", "400"}, new String[]{"1e400", "400"}, new String[]{"-0", "400"},
                new String[]{"0", "400"}, new String[]{"-1", "400"}, new String[]{"99999999999999999999999", "400"},
                new String[]{"2147483648", "400"}, new String[]{"1.5", "400"}, new String[]{"NaN", "400"},
                new String[]{"Infinity", "400"}, new String[]{"-Infinity", "400"}, new String[]{"+1", "400"},
                new String[]{"01", "400"}, new String[]{"0x10", "400"}, new String[]{"1e-400", "400"},
                new String[]{"\"1\"", "400"}, new String[]{"1" + "0".repeat(40), "400"}, new String[]{"true", "400"},
                new String[]{"null", "400"});
        for (Endpoint e : List.of(CRM_WON, PARTNER_ORDER)) {
            String revision = e == CRM_WON ? "$.data.revision" : "$.revision";
            String lineNo = e == CRM_WON ? "$.data.products[0].lineNo" : "$.lines[0].lineNumber";
            for (String path : List.of(revision, lineNo)) {
                for (String[] v : integers) {
                    number(e, path, v[0], List.of(Integer.parseInt(v[1])), null);
                }
            }
            number(e, revision, "2147483647", List.of(202), Delivery.of("erp-order", "ext_rev"));
        }
        for (String path : List.of("$.data.amount", "$.data.products[0].qty", "$.data.products[0].unitPrice")) {
            for (String v : List.of("100.00", "1e32", "1e400", "\"1e32\"", "\"NaN\"", "\"Infinity\"", "\"-0\"", "\"-1\"",
                    "\"0x10\"", "\"1,5\"", "\" 1\"")) {
                number(CRM_WON, path, v, List.of(400), null);
            }
            // fits the schema's pattern, not the ERP's numeric(18,2): a correct ESB refuses what it cannot deliver
            number(CRM_WON, path, "\"99999999999999999999999\"", List.of(400, 422), null);
        }
        number(CRM_WON, "$.data.products[0].qty", "\"0\"", List.of(400), null);
        for (String path : List.of("$.lines[0].quantity", "$.lines[0].unitPrice")) {
            for (String v : List.of("1e32", "1e400", "99999999999999999999999", "\"1\"", "NaN", "Infinity", "-1",
                    "100000000.0001", "1e-7", "\"100\"", "[1]", "{\"v\":1}")) {
                number(PARTNER_ORDER, path, v, List.of(400), null);
            }
        }
        number(PARTNER_ORDER, "$.lines[0].quantity", "-0", List.of(400), null);
        number(PARTNER_ORDER, "$.lines[0].quantity", "0", List.of(400), null);
        // -0 is zero: a free item is a valid order line
        number(PARTNER_ORDER, "$.lines[0].unitPrice", "-0", List.of(202), Delivery.of("erp-line", "unit_prc"));
        record W(Endpoint e, String path, String value) { }
        for (W w : List.of(new W(HR, "$.employeeNo", "1e32"), new W(HR, "$.eventId", "99999999999999999999999"),
                new W(HR, "$.publishedAt", "1e400"), new W(HR, "$.effectiveDate", "20261201"), new W(HR, "$.fullName", "NaN"),
                new W(HR, "$.type", "0"), new W(HR, "$.fullName", "-0"), new W(HR, "$.jobTitle", "1e32"),
                new W(CRM_CASE, "$.data.caseNumber", "1e32"), new W(CRM_CASE, "$.data.priority", "1"),
                new W(CRM_CASE, "$.data.description", "1e400"), new W(CRM_CASE, "$.data.subject", "-0"),
                new W(CRM_CASE, "$.data.accountName", "99999999999999999999999"),
                new W(PARTNER_COMPLAINT, "$.complaintNumber", "1e32"), new W(PARTNER_COMPLAINT, "$.severity", "3"),
                new W(PARTNER_COMPLAINT, "$.description", "NaN"), new W(PARTNER_COMPLAINT, "$.customer.name", "1e400"),
                new W(PARTNER_COMPLAINT, "$.subject", "-0"), new W(OPS_REPLAY, "$.dryRun", "1e400"),
                new W(OPS_REPLAY, "$.filter.status", "1e32"))) {
            number(w.e(), w.path(), w.value(), w.e().intake() ? List.of(400) : List.of(400, 422), null);
        }
    }

    private void number(Endpoint e, String path, String literal, List<Integer> expect, Delivery delivery) {
        String n = next();
        ObjectNode base = e.base().apply(n);
        Case c = add("numbers", e, n, numberName(literal) + "-" + path.substring(2), splice(base, path, ascii(literal)))
                .expect(expect).keys(e.keys().apply(base)).note(literal + " in " + path);
        if (delivery != null) {
            c.delivers(delivery, literal.equals("-0") ? "0" : literal);
        }
    }

    /** Path traversal and URL parts as business keys. */
    private void traversal() {
        for (Endpoint e : List.of(CRM_WON, CRM_CASE, HR, PARTNER_ORDER, PARTNER_COMPLAINT)) {
            for (Field field : e.fields()) {
                if (field.kind() != Kind.ID) {
                    continue;
                }
                for (Traversal t : TRAVERSALS) {
                    String n = next();
                    ObjectNode base = e.base().apply(n);
                    set(base, field.path(), TextNode.valueOf(t.value()));
                    add("traversal", e, n, t.name() + "-" + field.shortName(), json(base)).expect(field.refused())
                            .keys(e.keys().apply(base)).marker(t.value())
                            .note("'" + t.value() + "' as " + field.path() + ": a business key is an identifier");
                }
            }
        }
    }

    /** GET /api/v1/partner/messages/{id} with traversal and injection in the path, signed by the partner. */
    private void partnerMessagePaths() {
        String prefix = "/api/v1/partner/messages/";
        record P(String name, String path, List<Integer> expect, String marker) { }
        List<P> paths = List.of(
                new P("encoded-dot-dot-slash", prefix + "%2e%2e%2f%2e%2e%2fadmin%2fpartners", List.of(400, 404), null),
                new P("encoded-dot-dot", prefix + "%2e%2e/%2e%2e/admin/partners", List.of(400, 404), null),
                new P("encoded-slash", prefix + "..%2f..%2fadmin%2fpartners", List.of(400, 404), null),
                new P("double-encoded", prefix + "%252e%252e%252f%252e%252e%252fadmin", List.of(400, 404), null),
                new P("plain-dot-dot", prefix + "../../admin/partners", List.of(400, 401, 404), null),
                new P("path-parameter", prefix + "..;/..;/admin/partners", List.of(400, 404), null),
                new P("encoded-backslash", prefix + "%2e%2e%5c%2e%2e%5cadmin", List.of(400, 404), null),
                new P("overlong-dots", prefix + "%c0%ae%c0%ae%c0%afadmin", List.of(400, 404), null),
                new P("encoded-nul", prefix + "HC%00x", List.of(400, 404), null),
                new P("encoded-crlf", prefix + "HC%0d%0aX-Injected:%201", List.of(400, 404), null),
                new P("etc-passwd", prefix + "..%2f..%2f..%2f..%2fetc%2fpasswd", List.of(400, 404), null),
                new P("not-a-uuid", prefix + "hcmarknotauuid", List.of(404), "hcmarknotauuid"),
                new P("unknown-uuid", prefix + "00000000-0000-4000-8000-00000000dead", List.of(404), null),
                new P("simple-expression", prefix + "%24%7Bsys.user.home%7D", List.of(400, 404), "${sys.user.home}"),
                new P("sql", prefix + "HC'%20OR%201=1%20--", List.of(400, 404), "' OR 1=1"),
                new P("script", prefix + "%3Cscript%3Ehc%3C%2Fscript%3E", List.of(400, 404), "<script>"),
                new P("long-id", prefix + "a".repeat(6000), List.of(400, 404, 414), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                new P("trailing-slash-dot", prefix + "00000000-0000-4000-8000-00000000dead/.", List.of(400, 404), null),
                new P("encoded-percent", prefix + "%25%32%65%25%32%65", List.of(400, 404), null));
        for (P p : paths) {
            String n = next();
            ObjectNode node = NODES.objectNode();
            node.put("id", "partner-message-path-" + p.name());
            register(node.get("id").asText());
            node.put("category", "traversal");
            node.put("endpoint", "partner-message");
            node.put("method", "GET");
            node.put("path", p.path());
            node.put("auth", "valid");
            node.put("body", "");
            ArrayNode expect = node.putArray("expect");
            p.expect().forEach(expect::add);
            if (p.marker() != null) {
                node.putArray("markers").add(p.marker());
            }
            node.put("note", "signed GET of a message path with traversal or injection (case " + n + ")");
            files.computeIfAbsent("traversal", k -> new ArrayList<>()).add(node);
        }
        for (String mode : List.of("none", "bad-signature", "expired", "unknown-api-key")) {
            ObjectNode node = NODES.objectNode();
            node.put("id", "partner-message-auth-" + mode);
            register(node.get("id").asText());
            node.put("category", "auth");
            node.put("endpoint", "partner-message");
            node.put("method", "GET");
            node.put("path", prefix + "00000000-0000-4000-8000-00000000beef");
            node.put("auth", mode);
            node.put("body", "");
            node.putArray("expect").add(401);
            node.put("note", "GET of a message, credentials: " + mode);
            files.computeIfAbsent("auth", k -> new ArrayList<>()).add(node);
        }
    }

    /**
     * Messages on the OA's HR event queue (no input gate there: the route's schema and mappings are the only checks).
     * Each must end parked with its reason and create nothing; an injection string in a name is processed as text.
     */
    private void queue() {
        record Q(String name, String text, byte[] bytes, String expect, String note) { }
        List<Q> qs = new ArrayList<>();
        Function<String, ObjectNode> hire = n -> obj("eventId", "HC-QEVT-" + n, "type", "HIRE",
                "employeeNo", "HC-QE-" + n, "fullName", MARK + " Queue Person", "email", "hc.queue@example.com",
                "department", "Finance", "jobTitle", "Clerk", "effectiveDate", "2026-12-01");
        List<String> serials = new ArrayList<>();
        Supplier<String> serial = () -> {
            String n = next();
            serials.add(n);
            return n;
        };
        String n;
        n = serial.get();
        qs.add(new Q("truncated-json", "{\"eventId\":\"HC-QEVT-" + n + "\",\"type\":\"HIRE\",\"employeeNo\":\"HC-QE-" + n, null, "parked", "cut off"));
        n = serial.get();
        qs.add(new Q("not-json", "HC-QEVT-" + n + " this is not JSON", null, "parked", "plain text"));
        n = serial.get();
        qs.add(new Q("xml", "<hrEvent id=\"HC-QEVT-" + n + "\"><employeeNo>HC-QE-" + n + "</employeeNo></hrEvent>", null, "parked", "XML"));
        n = serial.get();
        qs.add(new Q("missing-fields", "{\"eventId\":\"HC-QEVT-" + n + "\"}", null, "parked", "required fields missing"));
        n = serial.get();
        qs.add(new Q("bare-nan", "{\"eventId\":\"HC-QEVT-" + n + "\",\"type\":\"HIRE\",\"employeeNo\":NaN}", null, "parked", "NaN is not JSON"));
        for (String[] field : List.of(new String[]{"fullName", "\\u0000"}, new String[]{"jobTitle", "\\u0000"},
                new String[]{"employeeNo", "\\u0000"}, new String[]{"eventId", "\\u0000"}, new String[]{"fullName", "\\u0085"},
                new String[]{"jobTitle", "\\u001b"}, new String[]{"fullName", "\\ud800"}, new String[]{"department", "\\u0007"})) {
            n = serial.get();
            ObjectNode base = hire.apply(n);
            String value = text(base, "$." + field[0]);
            qs.add(new Q("escaped-" + field[1].substring(2) + "-" + field[0],
                    new String(splice(base, "$." + field[0], literal(value, ascii(field[1]), "")), StandardCharsets.US_ASCII), null,
                    "parked", "control character " + field[1] + " in " + field[0]));
        }
        n = serial.get();
        ObjectNode rawNul = hire.apply(n);
        qs.add(new Q("raw-nul-fullName", new String(splice(rawNul, "$.fullName", literal("HC", bytes(0), "Queue")),
                StandardCharsets.UTF_8), null, "parked", "an unescaped NUL in a string: not JSON"));
        for (String[] number : List.of(new String[]{"employeeNo", "1e32"}, new String[]{"eventId", "99999999999999999999999"},
                new String[]{"publishedAt", "1e400"}, new String[]{"effectiveDate", "1e32"})) {
            n = serial.get();
            ObjectNode base = hire.apply(n);
            base.put("publishedAt", "2026-11-20T09:00:00Z");
            qs.add(new Q("number-" + number[0] + "-" + numberName(number[1]),
                    new String(splice(base, "$." + number[0], ascii(number[1])), StandardCharsets.UTF_8), null, "parked",
                    number[1] + " as " + number[0]));
        }
        for (Traversal t : TRAVERSALS) {
            n = serial.get();
            ObjectNode base = hire.apply(n);
            base.put("employeeNo", t.value());
            qs.add(new Q("traversal-" + t.name(), new String(json(base), StandardCharsets.UTF_8), null, "parked",
                    "'" + t.value() + "' as employeeNo"));
        }
        n = serial.get();
        ObjectNode dup = hire.apply(n);
        String dupText = new String(json(dup), StandardCharsets.UTF_8)
                .replace("\"employeeNo\":\"HC-QE-" + n + "\"", "\"employeeNo\":\"HC-QE-" + n + "\",\"employeeNo\":\"../../etc/passwd\"");
        qs.add(new Q("duplicate-employeeNo", dupText, null, "parked", "employeeNo twice, the second a traversal"));
        n = serial.get();
        ObjectNode longName = hire.apply(n);
        longName.put("fullName", "HCLONG" + "A".repeat(1994));
        qs.add(new Q("fullName-2000", new String(json(longName), StandardCharsets.UTF_8), null, "parked", "2,000-character name"));
        n = serial.get();
        ObjectNode longMail = hire.apply(n);
        longMail.put("email", "a".repeat(5000) + "@example.com");
        qs.add(new Q("email-5000", new String(json(longMail), StandardCharsets.UTF_8), null, "parked", "5,000-character e-mail address"));
        n = serial.get();
        ObjectNode huge = hire.apply(n);
        huge.put("fullName", "HCLONG@@PAD@@");
        qs.add(new Q("huge-300k", new String(json(huge), StandardCharsets.UTF_8), null, "parked", "300,000-character name"));
        n = serial.get();
        ObjectNode huger = hire.apply(n);
        huger.put("jobTitle", "HCLONG@@PAD@@");
        qs.add(new Q("huge-2m", new String(json(huger), StandardCharsets.UTF_8), null, "parked", "a 2 MiB message"));
        n = serial.get();
        ObjectNode deep = hire.apply(n);
        qs.add(new Q("nesting-10000", new String(splice(deep, "$.jobTitle", ascii("@@OPEN@@@@CLOSE@@")), StandardCharsets.UTF_8),
                null, "parked", "10,000 levels of arrays in jobTitle"));
        for (Utf8 bad : List.of(INVALID_UTF8.get(0), INVALID_UTF8.get(10), INVALID_UTF8.get(17))) {
            n = serial.get();
            ObjectNode base = hire.apply(n);
            qs.add(new Q("invalid-utf8-" + bad.name(), null, splice(base, "$.fullName", literal("HC M", bad.bytes(), "ller")),
                    "parked", "invalid UTF-8 (" + bad.name() + ") in fullName, sent as bytes"));
        }
        for (Injection inj : List.of(INJECTIONS.get(0), INJECTIONS.get(5), INJECTIONS.get(10), INJECTIONS.get(3))) {
            n = serial.get();
            ObjectNode base = hire.apply(n);
            base.put("fullName", inj.value());
            qs.add(new Q("inert-" + inj.name() + "-fullName", new String(json(base), StandardCharsets.UTF_8), null,
                    "processed", "an injection string as a name is text: processed, the ERP user holds it verbatim"));
        }
        for (int i = 0; i < qs.size(); i++) {
            Q q = qs.get(i);
            String s = serials.get(i);
            ObjectNode node = NODES.objectNode();
            node.put("id", "queue-hr-" + q.name());
            register(node.get("id").asText());
            node.put("category", "queue");
            node.put("endpoint", "queue-hr");
            node.put("method", "JMS");
            if (q.bytes() != null) {
                node.put("jms", "bytes");
                node.put("bodyBase64", Base64.getEncoder().encodeToString(q.bytes()));
            } else {
                node.put("jms", "text");
                node.put("body", q.text());
            }
            if (q.name().equals("huge-300k")) {
                node.putArray("pads").add(pad("@@PAD@@", "A", 300_000));
            } else if (q.name().equals("huge-2m")) {
                node.putArray("pads").add(pad("@@PAD@@", "A", 2 * 1024 * 1024));
            } else if (q.name().equals("nesting-10000")) {
                node.putArray("pads").add(pad("@@OPEN@@", "[", 10_000)).add(pad("@@CLOSE@@", "]", 10_000));
            }
            node.putArray("expect").add(q.expect());
            // every queue message carries its serial in an id, so its parked copy is found by it
            node.put("marker", "HC-Q" + (q.text() != null && q.text().contains("HC-QE-" + s) ? "E-" : "EVT-") + s);
            ObjectNode keys = node.putObject("keys");
            keys.put("employee", "HC-QE-" + s);
            keys.put("event", "HC-QEVT-" + s);
            if (q.name().startsWith("traversal-") || q.name().equals("duplicate-employeeNo")) {
                keys.put("employeeAlso", q.name().equals("duplicate-employeeNo") ? "../../etc/passwd"
                        : readTree(q.text()).path("employeeNo").asText());
            }
            if (q.expect().equals("processed")) {
                ObjectNode delivers = node.putObject("delivers");
                delivers.put("target", "erp-user");
                delivers.put("key", "HC-QE-" + s);
                delivers.put("where", "full_nm");
                delivers.put("value", hrText(readTree(q.text()).path("fullName").asText()));
            }
            node.put("note", q.note());
            files.computeIfAbsent("queue", k -> new ArrayList<>()).add(node);
        }
    }

    // ------------------------------------------------------------------------------------------- building cases

    /** One case being built: its JSON line, with a fluent way to add expectations. */
    final class Case {
        final ObjectNode node;

        Case(ObjectNode node) {
            this.node = node;
        }

        Case expect(int... statuses) {
            ArrayNode list = node.putArray("expect");
            for (int s : statuses) {
                list.add(s);
            }
            return this;
        }

        Case expect(List<Integer> statuses) {
            ArrayNode list = node.putArray("expect");
            statuses.forEach(list::add);
            return this;
        }

        Case expectField(String field) {
            node.put("expectField", field);
            return this;
        }

        Case contentType(String type) {
            if (type == null) {
                node.remove("contentType");
            } else {
                node.put("contentType", type);
            }
            return this;
        }

        Case auth(String mode) {
            node.put("auth", mode);
            return this;
        }

        Case pad(String token, String fill, int count) {
            ArrayNode pads = node.has("pads") ? (ArrayNode) node.get("pads") : node.putArray("pads");
            pads.add(HostileCorpusGenerator.pad(token, fill, count));
            return this;
        }

        Case keys(Map<String, String> keys) {
            ObjectNode k = node.putObject("keys");
            keys.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> k.put(en.getKey(), en.getValue()));
            return this;
        }

        Case delivers(Delivery delivery, String value) {
            ObjectNode d = node.putObject("delivers");
            d.put("target", delivery.target());
            d.put("where", delivery.where());
            d.put("value", delivery.fixedValue() != null ? delivery.fixedValue()
                    : delivery.target().equals("answer") ? "0" : value);
            return this;
        }

        Case marker(String marker) {
            ArrayNode markers = node.has("markers") ? (ArrayNode) node.get("markers") : node.putArray("markers");
            markers.add(marker);
            return this;
        }

        Case note(String note) {
            node.put("note", node.has("note") ? node.get("note").asText() + "; " + note : note);
            return this;
        }
    }

    private Case add(String category, Endpoint e, String n, String detail, byte[] body) {
        ObjectNode node = NODES.objectNode();
        String id = e.name() + "-" + category + "-" + detail;
        register(id);
        node.put("id", id);
        node.put("category", category);
        node.put("endpoint", e.name());
        node.put("method", e.method());
        node.put("path", e.pathFor(n));
        node.put("contentType", "application/json");
        node.put("auth", "valid");
        String text = utf8(body);
        if (text != null) {
            node.put("body", text);
        } else {
            node.put("bodyBase64", Base64.getEncoder().encodeToString(body));
        }
        files.computeIfAbsent(category, k -> new ArrayList<>()).add(node);
        Case c = new Case(node);
        c.keys(e.keys().apply(e.base().apply(n)));
        if (category.equals("control-chars") || category.equals("surrogates") || category.equals("invalid-utf8")
                || category.equals("duplicate-keys") || category.equals("nesting") || category.equals("trailing-garbage")
                || category.equals("content-type") || category.equals("empty-body") || category.equals("auth")
                || category.equals("xml")) {
            c.marker(MARK);
        }
        return c;
    }

    private void register(String id) {
        if (!ids.add(id)) {
            throw new IllegalStateException("two cases with id " + id);
        }
    }

    private String next() {
        return String.format("%05d", ++serial);
    }

    static ObjectNode pad(String token, String fill, int count) {
        ObjectNode pad = NODES.objectNode();
        pad.put("token", token);
        pad.put("fill", fill);
        pad.put("count", count);
        return pad;
    }

    /** Fields whose value an accepted answer carries by design (the business key, the event id). */
    private static boolean isEchoedByDesign(Field field) {
        return field.kind() == Kind.ID || field.kind() == Kind.OPAQUE;
    }

    /** The value as it arrives: HR text is trimmed with its white space collapsed (mappings/oa/hr-event-to-employee). */
    private static String deliveredValue(Endpoint e, Field field, String value) {
        return e == HR ? hrText(value) : value;
    }

    /** JSONata's $trim: tabs and line breaks become spaces, runs of spaces one space, no space at either end. */
    static String hrText(String value) {
        return value.replaceAll("[\t\r\n]", " ").replaceAll(" +", " ").strip();
    }

    /** What mappings/crm/complaint-case-to-complaint.jsonata makes of a CRM product line. */
    static String productLineCode(String value) {
        return hrText(value).replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT);
    }

    /** A number literal as a readable part of a case id: -0 -> minus0, "1e32" -> string-1e32, 1000...0 -> 1-and-40-zeros. */
    static String numberName(String literal) {
        boolean quoted = literal.startsWith("\"");
        String s = quoted ? literal.substring(1, literal.length() - 1) : literal;
        if (s.matches("10{20,}")) {
            s = "1-and-" + (s.length() - 1) + "-zeros";
        }
        s = s.replace("-", "minus").replace("+", "plus").replace(".", "p").replace(" ", "space").replace(",", "comma")
                .replace("[", "array-").replace("]", "").replace("{", "object-").replace("}", "").replace("\"", "")
                .replace(":", "-");
        return (quoted ? "string-" : "") + s;
    }

    // ------------------------------------------------------------------------------------------- JSON and bytes

    static ObjectNode obj(Object... pairs) {
        ObjectNode node = NODES.objectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.set((String) pairs[i], JSON.valueToTree(pairs[i + 1]));
        }
        return node;
    }

    static ArrayNode arr(JsonNode... items) {
        ArrayNode array = NODES.arrayNode();
        for (JsonNode item : items) {
            array.add(item);
        }
        return array;
    }

    /** $.a.b[0].c as the list of its steps: names and indexes. */
    private static List<Object> steps(String path) {
        List<Object> steps = new ArrayList<>();
        for (String part : path.substring(2).split("\\.")) {
            int bracket = part.indexOf('[');
            if (bracket < 0) {
                steps.add(part);
            } else {
                steps.add(part.substring(0, bracket));
                steps.add(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
            }
        }
        return steps;
    }

    static void set(ObjectNode root, String path, JsonNode value) {
        List<Object> steps = steps(path);
        JsonNode node = root;
        for (int i = 0; i < steps.size() - 1; i++) {
            node = steps.get(i) instanceof Integer index ? node.get(index) : node.get((String) steps.get(i));
        }
        Object last = steps.get(steps.size() - 1);
        if (last instanceof Integer index) {
            ((ArrayNode) node).set(index, value);
        } else {
            ((ObjectNode) node).set((String) last, value);
        }
    }

    static String text(ObjectNode root, String path) {
        JsonNode node = root;
        for (Object step : steps(path)) {
            node = step instanceof Integer index ? node.path(index) : node.path((String) step);
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** The payload with the value at {@code path} replaced by exactly these bytes (a JSON token, valid or not). */
    static byte[] splice(ObjectNode base, String path, byte[] token) {
        ObjectNode copy = base.deepCopy();
        set(copy, path, TextNode.valueOf(V));
        String text = new String(json(copy), StandardCharsets.UTF_8);
        int at = text.indexOf("\"" + V + "\"");
        return concat(concat(text.substring(0, at).getBytes(StandardCharsets.UTF_8), token),
                text.substring(at + V.length() + 2).getBytes(StandardCharsets.UTF_8));
    }

    /** The payload with one more top-level key (a name that is escaped JSON text already), value "HC". */
    private static byte[] withExtraKey(ObjectNode base, String escapedName) {
        return withExtraKeyBytes(base, ascii(escapedName));
    }

    private static byte[] withExtraKeyBytes(ObjectNode base, byte[] name) {
        byte[] doc = json(base);
        byte[] head = Arrays.copyOf(doc, doc.length - 1);
        return concat(concat(concat(head, ascii(",\"x")), name), ascii("\":\"HC\"}"));
    }

    /** A JSON string token: before and after escaped as JSON requires, the middle bytes exactly as given. */
    static byte[] literal(String before, byte[] middle, String after) {
        return concat(concat(ascii("\"" + escape(before)), middle), (escape(after) + "\"").getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String text) {
        String quoted = JSON.valueToTree(text).toString();
        return quoted.substring(1, quoted.length() - 1);
    }

    static byte[] json(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** The text if the bytes are strict UTF-8, else null. */
    static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
