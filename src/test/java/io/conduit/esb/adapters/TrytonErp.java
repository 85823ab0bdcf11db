package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conduit.esb.realsystems.RealSystems;
import io.conduit.esb.support.RouteTestContext;
import io.conduit.esb.systems.JsonRpc;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The Tryton ERP adapter against the real Tryton 6 that {@code ops/real-systems/start.sh} installs and starts: its
 * route files (adapters/erp/tryton/) in a Camel context of their own, configured from the properties file the
 * script writes ({@code $CONDUIT_REAL_DIR/real-systems.properties}). Not there: skipped with the reason, unless
 * {@code CONDUIT_REAL_SYSTEMS=required} (CI), where its absence fails the run.
 */
final class TrytonErp implements ErpOrderStatusUnderTest, ErpChangesUnderTest, ErpUsersUnderTest, ErpRequisitionsUnderTest,
        ErpTripCommitmentsUnderTest, ErpCustomersUnderTest, ErpCatalogueUnderTest, ErpVendorsUnderTest,
        ErpInvoicesUnderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One set of locks for every adapter context of the test JVM, as the ESB has one (its database's). */
    private static final io.conduit.esb.support.KeyedLocks KEYED_LOCKS = io.conduit.esb.support.KeyedLocks.inJvm();

    private final DefaultCamelContext camel;
    private final JsonRpc rpc;
    private final Map<String, Object> settings;

    private TrytonErp(Map<String, Object> settings) throws Exception {
        this.settings = settings;
        this.rpc = rpc(settings);
        findTripRecords();
        this.camel = context(settings, rpc);
        camel.start();
    }

    static Path propertiesFile() {
        return RealSystems.propertiesFile();
    }

    static String whyNotAvailable() {
        return "no real Tryton: " + propertiesFile() + " is missing (start it with ops/real-systems/start.sh)";
    }

    static Optional<ErpUnderTest> startIfAvailable() throws Exception {
        return startTrytonIfAvailable().map(ErpUnderTest.class::cast);
    }

    /** The adapter against the real Tryton, as both kinds of adapter under test; empty when Tryton is not there. */
    static Optional<TrytonErp> startTrytonIfAvailable() throws Exception {
        Path file = propertiesFile();
        if (!Files.isRegularFile(file)) {
            if ("required".equals(System.getenv("CONDUIT_REAL_SYSTEMS"))) {
                throw new IllegalStateException("CONDUIT_REAL_SYSTEMS=required but " + whyNotAvailable());
            }
            return Optional.empty();
        }
        Properties real = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            real.load(in);
        }
        Map<String, Object> settings = new HashMap<>(RealSystems.trytonSettings(real));
        settings.put("tryton.lost-found-location-id", real.getProperty("tryton.lost-found-location-id"));
        settings.put("tryton.warehouse-storage-location-id", real.getProperty("tryton.warehouse-storage-location-id"));
        settings.put("tryton.cost-centre-root-id", real.getProperty("tryton.cost-centre-root-id", ""));
        return Optional.of(new TrytonErp(settings));
    }

    /**
     * The trips journal and the root of the cost centres, where the properties file does not name them: written by a
     * start.sh of a checkout without the trip set-up (it rewrites the file; the records stay in Tryton). Found by the
     * code and name start.sh gives them; the expense and payable accounts are the chart's, named in the file anyway.
     */
    private void findTripRecords() throws Exception {
        if (settings.containsKey("esb.systems.erp.trips.journal-id")
                && !String.valueOf(settings.getOrDefault("tryton.cost-centre-root-id", "")).isBlank()) {
            return;
        }
        if (!settings.containsKey("esb.systems.erp.trips.journal-id")) {
            JsonNode journal = call("model.account.journal.search", "[[[\"code\", \"=\", \"TRIP\"]], 0, 1, null, " + context() + "]");
            if (!journal.isEmpty()) {
                settings.put("esb.systems.erp.trips.journal-id", journal.get(0).asText());
            }
        }
        if (String.valueOf(settings.getOrDefault("tryton.cost-centre-root-id", "")).isBlank()) {
            JsonNode root = call("model.analytic_account.account.search", "[[[\"type\", \"=\", \"root\"], [\"name\", \"=\", \"Cost centres\"]], 0, 1, null, "
                    + context() + "]");
            settings.put("tryton.cost-centre-root-id", root.isEmpty() ? "" : root.get(0).asText());
        }
        Properties real = RealSystems.load();
        settings.putIfAbsent("esb.systems.erp.trips.expense-account-id", real.getProperty("tryton.account-expense-id"));
        settings.putIfAbsent("esb.systems.erp.trips.payable-account-id", real.getProperty("tryton.account-payable-id"));
    }

    /**
     * Why the trip ports cannot be tested on this Tryton (no journal TRIP: set up by an older start.sh; the other
     * ports' tests go on without them), or null.
     */
    String whyNoTrips() {
        return settings.containsKey("esb.systems.erp.trips.journal-id") ? null
                : "Tryton has no journal TRIP for business trips: run ops/real-systems/start.sh of this checkout";
    }

    private static JsonRpc rpc(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("tryton", settings));
        return new JsonRpc(environment, JSON);
    }

    private static DefaultCamelContext context(Map<String, Object> settings, JsonRpc rpc) throws Exception {
        Map<String, String> properties = new HashMap<>();
        settings.forEach((k, v) -> properties.put(k, String.valueOf(v)));
        List<String> files = new ArrayList<>(List.of("adapters/erp/tryton/sales-orders.camel.yaml",
                "adapters/erp/tryton/changes.camel.yaml",
                "adapters/erp/tryton/users.camel.yaml",
                "adapters/erp/tryton/requisitions.camel.yaml",
                "adapters/erp/tryton/customers.camel.yaml",
                "adapters/erp/tryton/customer-pages.camel.yaml",
                "adapters/erp/tryton/catalogue.camel.yaml",
                "adapters/erp/tryton/vendors.camel.yaml",
                "adapters/erp/tryton/invoices.camel.yaml"));
        if (settings.containsKey("esb.systems.erp.trips.journal-id")) {
            files.add("adapters/erp/tryton/trips.camel.yaml");
        }
        DefaultCamelContext context = RouteTestContext.create(properties, files.toArray(String[]::new));
        context.getRegistry().bind("jsonRpc", rpc);
        // the ports that make parties take turns (adapters/erp/tryton/*.camel.yaml, "-in-turn" routes): here in this JVM
        context.getRegistry().bind("keyedLocks", KEYED_LOCKS);
        return context;
    }

    @Override
    public String name() {
        return "tryton";
    }

    @Override
    public CamelContext camel() {
        return camel;
    }

    private JsonNode call(String method, String params) throws IOException, InterruptedException {
        return JSON.readTree(rpc.call("erp", method, params));
    }

    private String context() {
        return "{\"company\": " + settings.get("esb.systems.erp.company-id") + "}";
    }

    @Override
    public int ordersWithReference(String orderId) throws Exception {
        return call("model.sale.sale.search_count", "[[[\"reference\", \"=\", \"" + orderId + "\"]], " + context() + "]").asInt();
    }

    /** The code of the party the sale with this reference belongs to (its customer in Tryton). */
    public String partyOfOrder(String orderId) throws Exception {
        return call("model.sale.sale.search_read", "[[[\"reference\", \"=\", \"" + orderId + "\"]], 0, 1, null, "
                + "[\"party.code\"], " + context() + "]").get(0).path("party.").path("code").asText();
    }

    @Override
    public List<String> quantities(String orderId) throws Exception {
        JsonNode lines = call("model.sale.line.search_read", "[[[\"sale.reference\", \"=\", \"" + orderId
                + "\"]], 0, null, [[\"sequence\", \"ASC\"], [\"id\", \"ASC\"]], [\"quantity\"], " + context() + "]");
        List<String> quantities = new ArrayList<>();
        lines.forEach(l -> quantities.add(new BigDecimal(l.path("quantity").asText()).stripTrailingZeros().toPlainString()));
        return quantities;
    }

    @Override
    public void release(String orderId) throws Exception {
        JsonNode ids = call("model.sale.sale.search", "[[[\"reference\", \"=\", \"" + orderId + "\"]], 0, null, null, " + context() + "]");
        call("model.sale.sale.confirm", "[" + ids + ", " + context() + "]");
    }

    @Override
    public <T> T whileDown(Supplier<T> action) throws Exception {
        Map<String, Object> unreachable = new HashMap<>(settings);
        unreachable.put("esb.systems.erp.base-url", "http://127.0.0.1:9/conduit/");
        unreachable.put("esb.systems.erp.connect-timeout", "1000");
        TrytonErp down = new TrytonErp(unreachable);
        try {
            return DOWN.with(down, action);
        } finally {
            down.close();
        }
    }

    /** While an action runs "down", upserts go to the unreachable twin. */
    private static final ThreadLocalSwitch DOWN = new ThreadLocalSwitch();

    @Override
    public void close() {
        try {
            camel.stop();
            if (orderStatusCamel != null) {
                orderStatusCamel.stop();
            }
        } catch (RuntimeException ignored) {
            // stopping a test context
        }
    }

    // --- port erp.order-status (ErpOrderStatusContractIT): its route file in a context of its own

    private DefaultCamelContext orderStatusCamel;

    private synchronized CamelContext orderStatusContext() throws Exception {
        if (orderStatusCamel == null) {
            Map<String, String> properties = new HashMap<>();
            settings.forEach((k, v) -> properties.put(k, String.valueOf(v)));
            orderStatusCamel = RouteTestContext.create(properties, "adapters/erp/tryton/order-status.camel.yaml");
            orderStatusCamel.getRegistry().bind("jsonRpc", rpc);
            orderStatusCamel.start();
        }
        return orderStatusCamel;
    }

    @Override
    public JsonNode orderStatus(String orderId) throws Exception {
        TrytonErp twin = DOWN.current();
        TrytonErp target = twin != null ? twin : this;
        return JSON.readTree(target.orderStatusContext().createProducerTemplate()
                .requestBody("direct:erp.order-status", orderId, String.class));
    }

    /** Confirmed (Tryton creates the customer shipment), then each shipment forced through assigned, picked, packed, done. */
    @Override
    public void ship(String orderId) throws Exception {
        release(orderId);
        JsonNode sale = call("model.sale.sale.search_read", "[[[\"reference\", \"=\", \"" + orderId
                + "\"]], 0, 1, null, [\"shipments\"], " + context() + "]");
        JsonNode shipments = sale.path(0).path("shipments");
        if (shipments.isEmpty()) {
            throw new IllegalStateException("Tryton made no shipment for the confirmed sale of " + orderId + ": " + sale);
        }
        for (String step : List.of("assign_force", "pick", "pack", "done")) {
            call("model.stock.shipment.out." + step, "[" + shipments + ", " + context() + "]");
        }
    }

    static final class ThreadLocalSwitch {
        private final ThreadLocal<TrytonErp> current = new ThreadLocal<>();

        <T> T with(TrytonErp twin, Supplier<T> action) {
            current.set(twin);
            try {
                return action.get();
            } finally {
                current.remove();
            }
        }

        TrytonErp current() {
            return current.get();
        }
    }

    @Override
    public JsonNode upsert(String order) throws Exception {
        TrytonErp twin = DOWN.current();
        CamelContext target = twin != null && twin != this ? twin.camel : camel;
        String result = target.createProducerTemplate().requestBody("direct:erp.upsert-sales-order", order, String.class);
        return JSON.readTree(result);
    }

    // --- port erp.changes-since (ErpChangesContractIT)

    @Override
    public JsonNode changesSince(String watermark) throws Exception {
        TrytonErp twin = DOWN.current();
        CamelContext target = twin != null && twin != this ? twin.camel : camel;
        String request = JSON.writeValueAsString(java.util.Collections.singletonMap("watermark", watermark));
        return JSON.readTree(target.createProducerTemplate().requestBody("direct:erp.changes-since", request, String.class));
    }

    /** A new goods product with this code, and a move of the quantity from lost-and-found into storage, done. */
    @Override
    public String receiveStock(String itemCode, String quantity) throws Exception {
        String template = call("model.product.template.create", "[[{\"name\": \"Contract test " + itemCode
                + "\", \"type\": \"goods\", \"default_uom\": " + settings.get("esb.systems.erp.unit-id")
                + ", \"list_price\": {\"__class__\": \"Decimal\", \"decimal\": \"1\"}, \"products\": [[\"create\", [{\"suffix_code\": \""
                + itemCode + "\"}]]]}], " + context() + "]").get(0).asText();
        JsonNode product = call("model.product.product.search", "[[[\"template\", \"=\", " + template + "]], 0, 1, null, "
                + context() + "]").get(0);
        JsonNode move = call("model.stock.move.create", "[[{\"product\": " + product + ", \"uom\": "
                + settings.get("esb.systems.erp.unit-id") + ", \"quantity\": " + quantity + ", \"from_location\": "
                + settings.get("tryton.lost-found-location-id") + ", \"to_location\": "
                + settings.get("tryton.warehouse-storage-location-id") + ", \"company\": "
                + settings.get("esb.systems.erp.company-id") + "}], " + context() + "]");
        call("model.stock.move.do", "[" + move + ", " + context() + "]");
        String warehouse = call("model.stock.location.read", "[[" + settings.get("esb.systems.erp.warehouse-id")
                + "], [\"code\"], " + context() + "]").get(0).path("code").asText();
        return itemCode + "@" + warehouse;
    }

    /** The order through the sales port, confirmed, and its customer shipment forced through to done. */
    @Override
    public void shipOrder(String orderId) throws Exception {
        upsert(ErpPortContractIT.order(orderId, 1, "1"));
        release(orderId);
        JsonNode shipments = call("model.sale.sale.search_read", "[[[\"reference\", \"=\", \"" + orderId
                + "\"]], 0, 1, null, [\"shipments\"], " + context() + "]").get(0).path("shipments");
        for (String step : List.of("assign_force", "pick", "pack", "done")) {
            call("model.stock.shipment.out." + step, "[" + shipments + ", " + context() + "]");
        }
    }

    // --- port erp.upsert-user

    /** The company's employees whose party has the employee number as code, with the party's name and e-mail. */
    @Override
    public List<ErpUser> users(String employeeId) throws Exception {
        JsonNode found = call("model.company.employee.search_read", "[[[\"party.code\", \"=\", \"" + employeeId + "\"], [\"company\", \"=\", "
                + settings.get("esb.systems.erp.company-id") + "]], 0, null, null, [\"party.name\", \"party.email\", \"end_date\"], " + context() + "]");
        List<ErpUser> users = new ArrayList<>();
        for (JsonNode e : found) {
            JsonNode end = e.path("end_date");
            String endDate = end.isNull() || end.isMissingNode() ? null
                    : java.time.LocalDate.of(end.path("year").asInt(), end.path("month").asInt(), end.path("day").asInt()).toString();
            // Tryton ends employment with the end date: an employee with one is deactivated
            users.add(new ErpUser(e.path("id").asText(), e.path("party.").path("name").asText(null),
                    e.path("party.").path("email").asText(null), endDate == null, endDate, List.of()));
        }
        return users;
    }

    /** An end date before the start date: Tryton's domain of company.employee.end_date refuses it. */
    @Override
    public Refused refusedHire(String employeeId) {
        return new Refused("""
                {"schemaVersion": 1, "employeeId": "%s", "name": "Contract Test Person", "department": "SALES",
                 "startDate": "2026-12-01", "endDate": "2026-01-31", "status": "ACTIVE"}""".formatted(employeeId), "End Date");
    }

    @Override
    public <T> T whileUsersDown(Supplier<T> action) throws Exception {
        Map<String, Object> unreachable = new HashMap<>(settings);
        unreachable.put("esb.systems.erp.base-url", "http://127.0.0.1:9/conduit/");
        unreachable.put("esb.systems.erp.connect-timeout", "1000");
        TrytonErp down = new TrytonErp(unreachable);
        try {
            return Unreachable.with(down.camel, action);
        } finally {
            down.close();
        }
    }

    // --- ports erp.requisitions-since, erp.apply-requisition-decision (ErpRequisitionPortContractIT): the ERP's users
    // act through JSON-RPC as Tryton's client would. Tryton 6.0 has no budgets: a "budget line" is the test's own tag
    // (the requisitions' description), and what it "committed" is what Tryton's purchase requests for those
    // requisitions cost (approval creates them: the ERP's commitment to buy). The department is the employee's party
    // category under "Departments" (adapter.yaml requisitions.department-category).

    /** Epoch of the adapter's revision (mappings/tryton/requisitions-reads.jsonata): whole seconds since then. */
    private static final java.time.Instant REVISION_EPOCH = java.time.Instant.parse("2020-01-01T00:00:00Z");

    private final Map<String, String> budgetDepartments = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public boolean keepsBudgets() {
        return false;
    }

    @Override
    public JsonNode requisitionsSince(String watermark) throws Exception {
        TrytonErp twin = DOWN.current();
        CamelContext target = twin != null && twin != this ? twin.camel : camel;
        String request = JSON.writeValueAsString(java.util.Collections.singletonMap("watermark", watermark));
        return JSON.readTree(target.createProducerTemplate().requestBody("direct:erp.requisitions-since", request, String.class));
    }

    @Override
    public JsonNode applyDecision(String decision) throws Exception {
        TrytonErp twin = DOWN.current();
        CamelContext target = twin != null && twin != this ? twin.camel : camel;
        return JSON.readTree(target.createProducerTemplate().requestBody("direct:erp.apply-requisition-decision", decision, String.class));
    }

    @Override
    public String budget(String department, String amount) {
        String tag = "TB-" + java.util.UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
        budgetDepartments.put(tag, department);
        return tag;
    }

    /** What Tryton's purchase requests for the requisitions raised on the tag cost (quantity x the line's unit price). */
    @Override
    public BigDecimal committed(String budgetLine) throws Exception {
        JsonNode lines = call("model.purchase.requisition.line.search_read", "[[[\"requisition.description\", \"=\", \""
                + budgetLine + "\"]], 0, null, null, [\"unit_price\", \"purchase_requests\"], " + context() + "]");
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode line : lines) {
            if (line.path("purchase_requests").isEmpty()) {
                continue;
            }
            BigDecimal price = decimal(line.path("unit_price"));
            for (JsonNode request : call("model.purchase.request.read", "[" + line.path("purchase_requests") + ", [\"quantity\"], "
                    + context() + "]")) {
                total = total.add(new BigDecimal(request.path("quantity").asText()).multiply(price));
            }
        }
        return total.setScale(2, java.math.RoundingMode.HALF_UP);
    }

    /** Raised by an employee of the department, for product P-1600 from supplier S-2001, and submitted (wait). */
    @Override
    public String raise(String department, String quantity, String unitPrice, String budgetLine) throws Exception {
        String employee = employeeOf(department);
        String product = purchasableProduct("P-1600", "Hydraulic pump P-1600");
        String supplier = findOrCreate("party.party", "[[\"code\", \"=\", \"S-2001\"]]",
                "{\"code\": \"S-2001\", \"name\": \"Hansa Hydraulik GmbH\"}");
        java.time.LocalDate needed = java.time.LocalDate.now().plusDays(30);
        String requisition = call("model.purchase.requisition.create", "[[{\"company\": " + settings.get("esb.systems.erp.company-id")
                + ", \"employee\": " + employee + ", \"description\": \"" + budgetLine + "\", \"warehouse\": "
                + settings.get("esb.systems.erp.warehouse-id") + ", \"supply_date\": {\"__class__\": \"date\", \"year\": "
                + needed.getYear() + ", \"month\": " + needed.getMonthValue() + ", \"day\": " + needed.getDayOfMonth()
                + "}, \"lines\": [[\"create\", [{\"product\": " + product + ", \"quantity\": " + quantity + ", \"unit\": "
                + settings.get("esb.systems.erp.unit-id") + ", \"unit_price\": {\"__class__\": \"Decimal\", \"decimal\": \""
                + unitPrice + "\"}, \"supplier\": " + supplier + "}]]]}], " + context() + "]").get(0).asText();
        call("model.purchase.requisition.wait", "[[" + requisition + "], " + context() + "]");
        return call("model.purchase.requisition.read", "[[" + requisition + "], [\"number\"], " + context() + "]")
                .get(0).path("number").asText();
    }

    /**
     * As a person does it in Tryton's client, where a waiting requisition is read-only: back to draft, the quantity,
     * submitted again. The adapter's revision is the second of the newest write, so the change waits for the next
     * second (two writes within one second are one revision).
     */
    @Override
    public void changeQuantity(String requisitionNo, String quantity) throws Exception {
        JsonNode requisition = requisitionRow(requisitionNo);
        long before = revision(requisition);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> java.time.Duration.between(REVISION_EPOCH, java.time.Instant.now()).getSeconds() > before);
        String id = requisition.path("id").asText();
        call("model.purchase.requisition.draft", "[[" + id + "], " + context() + "]");
        call("model.purchase.requisition.line.write", "[" + requisition.path("lines") + ", {\"quantity\": " + quantity + "}, "
                + context() + "]");
        call("model.purchase.requisition.wait", "[[" + id + "], " + context() + "]");
    }

    /** Back to draft: the requester takes the requisition back (Tryton's "cancel" needs draft first). */
    @Override
    public void withdraw(String requisitionNo) throws Exception {
        call("model.purchase.requisition.draft", "[[" + requisitionRow(requisitionNo).path("id").asText() + "], " + context() + "]");
    }

    /** The revision as the adapter computes it, Tryton's state, the decision's note, the line's quantity once approved. */
    @Override
    public Requisition requisition(String requisitionNo) throws Exception {
        JsonNode r = requisitionRow(requisitionNo);
        JsonNode notes = call("model.ir.note.search_read", "[[[\"resource\", \"=\", \"purchase.requisition," + r.path("id").asText()
                + "\"], [\"message\", \"like\", \"Approval decision %\"]], 0, null, [[\"id\", \"ASC\"]], [\"message\"], " + context() + "]");
        String decisionId = null;
        for (JsonNode note : notes) {
            String first = note.path("message").asText().lines().findFirst().orElse("");
            decisionId = first.substring("Approval decision ".length(), first.indexOf(':', "Approval decision ".length()));
        }
        String state = r.path("state").asText();
        BigDecimal approved = List.of("approved", "processing", "done").contains(state)
                ? new BigDecimal(r.path("lineRows").get(0).path("quantity").asText()).stripTrailingZeros() : null;
        return new Requisition((int) revision(r), state, decisionId, approved);
    }

    @Override
    public <T> T whileRequisitionsDown(Supplier<T> action) throws Exception {
        return whileDown(action);
    }

    /** The requisition (id, state, lines, write dates) with its lines' rows as "lineRows". */
    private JsonNode requisitionRow(String requisitionNo) throws Exception {
        JsonNode found = call("model.purchase.requisition.search_read", "[[[\"number\", \"=\", \"" + requisitionNo
                + "\"]], 0, 1, null, [\"state\", \"lines\", \"write_date\", \"create_date\"], " + context() + "]");
        if (found.isEmpty()) {
            throw new IllegalStateException("Tryton has no requisition " + requisitionNo);
        }
        com.fasterxml.jackson.databind.node.ObjectNode r = (com.fasterxml.jackson.databind.node.ObjectNode) found.get(0);
        r.set("lineRows", call("model.purchase.requisition.line.read", "[" + r.path("lines")
                + ", [\"quantity\", \"write_date\", \"create_date\"], " + context() + "]"));
        return r;
    }

    /** Whole seconds since 2020-01-01 UTC of the newest write or create date of the requisition and its lines. */
    private static long revision(JsonNode requisition) {
        java.time.LocalDateTime newest = written(requisition);
        for (JsonNode line : requisition.path("lineRows")) {
            java.time.LocalDateTime w = written(line);
            newest = w.isAfter(newest) ? w : newest;
        }
        return java.time.Duration.between(REVISION_EPOCH, newest.toInstant(java.time.ZoneOffset.UTC)).getSeconds();
    }

    private static java.time.LocalDateTime written(JsonNode row) {
        JsonNode d = row.path("write_date").isNull() || row.path("write_date").isMissingNode() ? row.path("create_date") : row.path("write_date");
        return java.time.LocalDateTime.of(d.path("year").asInt(), d.path("month").asInt(), d.path("day").asInt(),
                d.path("hour").asInt(), d.path("minute").asInt(), d.path("second").asInt(), d.path("microsecond").asInt() * 1000);
    }

    private static BigDecimal decimal(JsonNode value) {
        return new BigDecimal(value.has("decimal") ? value.path("decimal").asText() : value.asText());
    }

    /** An employee whose party is in the department's category (under "Departments"), found or created. */
    private String employeeOf(String department) throws Exception {
        String parent = findOrCreate("party.category", "[[\"name\", \"=\", \"Departments\"], [\"parent\", \"=\", null]]",
                "{\"name\": \"Departments\"}");
        String category = findOrCreate("party.category", "[[\"name\", \"=\", \"" + department + "\"], [\"parent\", \"=\", " + parent + "]]",
                "{\"name\": \"" + department + "\", \"parent\": " + parent + "}");
        String code = "REQ-" + department;
        String party = findOrCreate("party.party", "[[\"code\", \"=\", \"" + code + "\"]]",
                "{\"code\": \"" + code + "\", \"name\": \"Requester " + department + "\", \"categories\": [[\"add\", [" + category + "]]]}");
        return findOrCreate("company.employee", "[[\"party\", \"=\", " + party + "], [\"company\", \"=\", "
                + settings.get("esb.systems.erp.company-id") + "]]", "{\"party\": " + party + ", \"company\": "
                + settings.get("esb.systems.erp.company-id") + "}");
    }

    /** A purchasable goods product with this code (its variant's id), found or created. */
    private String purchasableProduct(String code, String name) throws Exception {
        JsonNode found = call("model.product.product.search", "[[[\"code\", \"=\", \"" + code + "\"]], 0, 1, null, " + context() + "]");
        if (!found.isEmpty()) {
            return found.get(0).asText();
        }
        String unit = String.valueOf(settings.get("esb.systems.erp.unit-id"));
        String template = call("model.product.template.create", "[[{\"name\": \"" + name + "\", \"type\": \"goods\", \"default_uom\": "
                + unit + ", \"purchasable\": true, \"purchase_uom\": " + unit
                + ", \"list_price\": {\"__class__\": \"Decimal\", \"decimal\": \"1\"}, \"products\": [[\"create\", [{\"suffix_code\": \""
                + code + "\"}]]]}], " + context() + "]").get(0).asText();
        return call("model.product.product.search", "[[[\"template\", \"=\", " + template + "]], 0, 1, null, " + context() + "]")
                .get(0).asText();
    }

    private String findOrCreate(String model, String domain, String values) throws Exception {
        JsonNode found = call("model." + model + ".search", "[" + domain + ", 0, 1, null, " + context() + "]");
        if (!found.isEmpty()) {
            return found.get(0).asText();
        }
        return call("model." + model + ".create", "[[" + values + "], " + context() + "]").get(0).asText();
    }

    // --- ports erp.book-trip-commitment, erp.release-trip-commitment (ErpTripCommitmentPortContractIT)

    @Override
    public JsonNode bookTripCommitment(String approvedRequest) throws Exception {
        return JSON.readTree(portContext().createProducerTemplate()
                .requestBody("direct:erp.book-trip-commitment", approvedRequest, String.class));
    }

    @Override
    public JsonNode releaseTripCommitment(String tripId, String reason) throws Exception {
        Map<String, Object> call = new java.util.LinkedHashMap<>();
        call.put("tripId", tripId);
        call.put("reason", reason);
        return JSON.readTree(portContext().createProducerTemplate()
                .requestBody("direct:erp.release-trip-commitment", JSON.writeValueAsString(call), String.class));
    }

    @Override
    public CamelContext customerPorts() {
        return portContext();
    }

    /** The adapter's context, or the unreachable twin's while an action runs "down". */
    private CamelContext portContext() {
        TrytonErp twin = DOWN.current();
        return twin != null && twin != this ? twin.camel : camel;
    }

    /** Tryton 6.0 has no budgets: the port answers remainingBudget null and a cost centre is an analytic account. */
    @Override
    public boolean keepsCostCentreBudgets() {
        return false;
    }

    /**
     * A cost centre of its own: an analytic account of type normal under the root "Cost centres" that start.sh made.
     * Tryton has no budget for it (the amount is not kept) and no currency of its own (the company's).
     */
    @Override
    public String costCentre(String department, String amount, String currency) throws Exception {
        String root = String.valueOf(settings.get("tryton.cost-centre-root-id"));
        if (root.isBlank()) {
            throw new IllegalStateException("real-systems.properties has no tryton.cost-centre-root-id: run ops/real-systems/start.sh again");
        }
        String code = "CT-" + java.util.UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
        call("model.analytic_account.account.create", "[[{\"name\": \"Contract test " + department + "\", \"code\": \"" + code
                + "\", \"type\": \"normal\", \"state\": \"opened\", \"company\": " + settings.get("esb.systems.erp.company-id")
                + ", \"root\": " + root + ", \"parent\": " + root + "}], " + context() + "]");
        return code;
    }

    /**
     * What the analytic account holds as Tryton computes it: its debit minus its credit (the expense lines booked on
     * it, less Tryton's cancel moves of them).
     */
    @Override
    public BigDecimal committedOn(String costCentre) throws Exception {
        JsonNode found = call("model.analytic_account.account.search_read", "[[[\"code\", \"=\", \"" + costCentre
                + "\"]], 0, 1, null, [\"debit\", \"credit\"], " + context() + "]");
        if (found.isEmpty()) {
            throw new IllegalStateException("Tryton has no cost centre " + costCentre);
        }
        return decimal(found.get(0).path("debit")).subtract(decimal(found.get(0).path("credit")));
    }

    /**
     * The trip's moves in the trips journal, read from Tryton: the booking ("trip:<id> booked for <decision>, advance
     * <a> <currency>: ...") with the sum of its lines' debits, Tryton's cancel move of it, or a release that came first.
     * The status is the booking move's state, "cancelled" when a cancel move has it as origin,
     * "released-before-booking" for a release without booking; null when Tryton holds nothing for the trip.
     */
    @Override
    public Commitment commitment(String tripId) throws Exception {
        String marker = "trip:" + tripId + " ";
        JsonNode moves = call("model.account.move.search_read", "[[[\"journal\", \"=\", " + settings.get("esb.systems.erp.trips.journal-id")
                + "], [\"description\", \"like\", \"" + marker + "%\"]], 0, null, [[\"id\", \"ASC\"]], [\"state\", \"description\", \"origin\"], "
                + context() + "]");
        JsonNode booking = null;
        boolean released = false;
        for (JsonNode m : moves) {
            String description = m.path("description").asText();
            if (description.startsWith(marker + "booked for ")) {
                booking = m;
            } else if (description.startsWith(marker + "released")) {
                released = true;
            }
        }
        if (booking == null) {
            return released ? new Commitment("released-before-booking", null, BigDecimal.ZERO, BigDecimal.ZERO) : null;
        }
        java.util.regex.Matcher words = java.util.regex.Pattern.compile("^trip:\\S+ booked for (\\S+), advance ([^ ]+) [A-Z]{3}: ")
                .matcher(booking.path("description").asText());
        if (!words.find()) {
            throw new IllegalStateException("booking move of " + tripId + " without its words: " + booking);
        }
        BigDecimal amount = BigDecimal.ZERO;
        for (JsonNode line : call("model.account.move.line.search_read", "[[[\"move\", \"=\", " + booking.path("id").asText()
                + "]], 0, null, null, [\"debit\"], " + context() + "]")) {
            amount = amount.add(decimal(line.path("debit")));
        }
        String origin = "account.move," + booking.path("id").asText();
        boolean cancelled = false;
        for (JsonNode m : moves) {
            cancelled |= origin.equals(m.path("origin").asText());
        }
        return new Commitment(cancelled ? "cancelled" : booking.path("state").asText(), words.group(1),
                amount.stripTrailingZeros(), new BigDecimal(words.group(2)).stripTrailingZeros());
    }

    /**
     * The port's own routes in a context of their own where the second write (the post of the booking, of the cancel
     * move) fails as a lost connection would: Tryton keeps what the first call wrote (a draft move).
     */
    @Override
    public Throwable stopAfterFirstWrite(String port, String body) throws Exception {
        Map<String, String> properties = new HashMap<>();
        settings.forEach((k, v) -> properties.put(k, String.valueOf(v)));
        DefaultCamelContext stopping = RouteTestContext.create(properties, "adapters/erp/tryton/trips.camel.yaml");
        stopping.getRegistry().bind("jsonRpc", rpc);
        String route = "book".equals(port) ? "erp-tryton.book-trip-commitment" : "erp-tryton.release-trip-commitment";
        String step = "book".equals(port) ? "erp-tryton.post-trip-booking" : "erp-tryton.post-trip-cancel";
        org.apache.camel.builder.AdviceWith.adviceWith(stopping, route, a -> a.weaveById(step).replace()
                .throwException(new JsonRpc.JsonRpcUnavailableException("connection lost (test) before " + step)));
        stopping.start();
        try {
            stopping.createProducerTemplate().requestBody("direct:erp." + port + "-trip-commitment", body, String.class);
            return null;
        } catch (RuntimeException e) {
            return e;
        } finally {
            stopping.stop();
        }
    }

    @Override
    public <T> T whileCommitmentsDown(Supplier<T> action) throws Exception {
        return whileDown(action);
    }

    // --- ports erp.upsert-customer, erp.customers-since (ErpCustomerPortContractIT): Tryton's users act through
    // JSON-RPC as its client would. The credit limit is module account_credit_limit's (activated by start.sh), the
    // payment terms account.invoice.payment_term records named by their code (start.sh makes NET30 and NET60), the
    // block the party category "Blocked customers" (adapter.yaml customers.blocked-category).

    @Override
    public String whyNoCustomers() {
        try {
            JsonNode fields = call("model.party.party.fields_get", "[[\"credit_limit_amount\"], " + context() + "]");
            if (!fields.has("credit_limit_amount")) {
                return "Tryton has no module account_credit_limit: run ops/real-systems/start.sh of this checkout";
            }
            if (call("model.party.category.search", "[[[\"name\", \"=\", \"Blocked customers\"]], 0, 1, null, " + context() + "]").isEmpty()
                    || call("model.account.invoice.payment_term.search", "[[[\"name\", \"=\", \"NET60\"]], 0, 1, null, " + context() + "]").isEmpty()) {
                return "Tryton has no category Blocked customers or payment term NET60: run ops/real-systems/start.sh of this checkout";
            }
            return null;
        } catch (IOException | InterruptedException e) {
            return "Tryton could not be asked for its customer set-up: " + e;
        }
    }

    @Override
    public JsonNode upsertCustomer(String customer) throws Exception {
        return JSON.readTree(portContext().createProducerTemplate()
                .requestBody("direct:erp.upsert-customer", customer, String.class));
    }

    @Override
    public JsonNode customersSince(String watermark) throws Exception {
        String request = JSON.writeValueAsString(java.util.Collections.singletonMap("watermark", watermark));
        return JSON.readTree(portContext().createProducerTemplate()
                .requestBody("direct:erp.customers-since", request, String.class));
    }

    /** A party with the tax id as an identifier of type eu_vat and one address; its code. */
    @Override
    public String enterCustomer(String name, String taxId) throws Exception {
        String party = call("model.party.party.create", "[[{\"name\": \"" + name + "\", \"identifiers\": [[\"create\", [{\"type\": \"eu_vat\", \"code\": \""
                + taxId + "\"}]]], \"addresses\": [[\"create\", [{\"city\": \"Bremen\"}]]]}], " + context() + "]").get(0).asText();
        return call("model.party.party.read", "[[" + party + "], [\"code\"], " + context() + "]").get(0).path("code").asText();
    }

    @Override
    public void setTerms(String erpNumber, String creditLimit, String paymentTerms, boolean blocked) throws Exception {
        String party = partyId(erpNumber);
        String term = call("model.account.invoice.payment_term.search", "[[[\"name\", \"=\", \"" + paymentTerms
                + "\"]], 0, 1, null, " + context() + "]").get(0).asText();
        String category = call("model.party.category.search", "[[[\"name\", \"=\", \"Blocked customers\"]], 0, 1, null, "
                + context() + "]").get(0).asText();
        call("model.party.party.write", "[[" + party + "], {\"credit_limit_amount\": "
                + (creditLimit == null ? "null" : "{\"__class__\": \"Decimal\", \"decimal\": \"" + creditLimit + "\"}")
                + ", \"customer_payment_term\": " + term + ", \"categories\": [[\"" + (blocked ? "add" : "remove") + "\", ["
                + category + "]]]}, " + context() + "]");
    }

    @Override
    public ErpCustomer customer(String erpNumber) throws Exception {
        String party = partyId(erpNumber);
        JsonNode p = call("model.party.party.read", "[[" + party + "], [\"code\", \"name\", \"credit_limit_amount\", "
                + "\"customer_payment_term.name\", \"categories\"], " + context() + "]").get(0);
        JsonNode identifiers = call("model.party.identifier.search_read", "[[[\"party\", \"=\", " + party
                + "]], 0, null, [[\"id\", \"ASC\"]], [\"type\", \"code\"], " + context() + "]");
        String taxId = null;
        String crmRef = null;
        for (JsonNode i : identifiers) {
            if ("eu_vat".equals(i.path("type").asText(null))) {
                taxId = i.path("code").asText();
            } else if (i.path("type").isNull() && !i.path("code").asText().startsWith("crm-supplier:")) {
                // (a "crm-supplier:" identifier is the supplier master's link of a party that is a vendor too)
                crmRef = i.path("code").asText();
            }
        }
        List<String> cities = new ArrayList<>();
        call("model.party.address.search_read", "[[[\"party\", \"=\", " + party + "]], 0, null, [[\"id\", \"ASC\"]], [\"city\"], "
                + context() + "]").forEach(a -> cities.add(a.path("city").asText()));
        List<String> emails = new ArrayList<>();
        call("model.party.contact_mechanism.search_read", "[[[\"party\", \"=\", " + party + "], [\"type\", \"=\", \"email\"]], 0, null, "
                + "[[\"id\", \"ASC\"]], [\"value\"], " + context() + "]").forEach(m -> emails.add(m.path("value").asText()));
        String category = call("model.party.category.search", "[[[\"name\", \"=\", \"Blocked customers\"]], 0, 1, null, "
                + context() + "]").get(0).asText();
        boolean blocked = false;
        for (JsonNode c : p.path("categories")) {
            blocked |= c.asText().equals(category);
        }
        JsonNode limit = p.path("credit_limit_amount");
        JsonNode term = p.path("customer_payment_term.");
        return new ErpCustomer(p.path("code").asText(), p.path("name").asText(), taxId, crmRef, cities, emails,
                limit.isNull() || limit.isMissingNode() ? null : decimal(limit),
                term.isNull() || term.isMissingNode() ? null : term.path("name").asText(), blocked);
    }

    @Override
    public int customersWithTaxId(String taxId) throws Exception {
        return call("model.party.identifier.search_count", "[[[\"code\", \"=\", \"" + taxId + "\"], [\"type\", \"=\", \"eu_vat\"]], "
                + context() + "]").asInt();
    }

    @Override
    public int customersOfAccount(String customerId) throws Exception {
        return call("model.party.identifier.search_count", "[[[\"code\", \"=\", \"" + customerId + "\"], [\"type\", \"=\", null]], "
                + context() + "]").asInt();
    }

    @Override
    public String mergedInto(String erpNumber) throws Exception {
        // (a replaced party is archived: searched with active_test off)
        JsonNode p = call("model.party.party.search_read", "[[[\"code\", \"=\", \"" + erpNumber + "\"]], 0, 1, null, "
                + "[\"active\", \"replaced_by.code\"], {\"company\": " + settings.get("esb.systems.erp.company-id")
                + ", \"active_test\": false}]").get(0);
        return p.path("replaced_by.").isObject() ? p.path("replaced_by.").path("code").asText() : null;
    }

    @Override
    public <T> T whileCustomersDown(Supplier<T> action) throws Exception {
        return whileDown(action);
    }

    private String partyId(String code) throws Exception {
        JsonNode found = call("model.party.party.search", "[[[\"code\", \"=\", \"" + code + "\"]], 0, 1, null, " + context() + "]");
        if (found.isEmpty()) {
            throw new IllegalStateException("Tryton has no party " + code);
        }
        return found.get(0).asText();
    }

    // --- port erp.catalogue-since (ErpCataloguePortContractIT): product management through JSON-RPC as Tryton's client
    // would; price lists are module product_price_list's, their dates product_price_list_dates' (activated by start.sh)

    @Override
    public String whyNoCatalogue() {
        try {
            JsonNode fields = call("model.product.price_list.line.fields_get", "[[\"start_date\"], " + context() + "]");
            return fields.has("start_date") ? null
                    : "Tryton has no module product_price_list_dates: run ops/real-systems/start.sh of this checkout";
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "Tryton has no module product_price_list (run ops/real-systems/start.sh of this checkout): " + e;
        }
    }

    @Override
    public JsonNode catalogueSince(String watermark) throws Exception {
        String request = JSON.writeValueAsString(java.util.Collections.singletonMap("watermark", watermark));
        return JSON.readTree(portContext().createProducerTemplate()
                .requestBody("direct:erp.catalogue-since", request, String.class));
    }

    @Override
    public void createProduct(String sku, String name, String listPrice) throws Exception {
        call("model.product.template.create", "[[{\"name\": \"" + name + "\", \"type\": \"goods\", \"default_uom\": "
                + settings.get("esb.systems.erp.unit-id") + ", \"list_price\": {\"__class__\": \"Decimal\", \"decimal\": \""
                + listPrice + "\"}, \"products\": [[\"create\", [{\"suffix_code\": \"" + sku + "\"}]]]}], " + context() + "]");
    }

    @Override
    public void setListPrice(String sku, String listPrice) throws Exception {
        JsonNode product = call("model.product.product.search_read", "[[[\"code\", \"=\", \"" + sku
                + "\"]], 0, 1, null, [\"template\"], " + context() + "]").get(0);
        call("model.product.template.write", "[[" + product.path("template").asText() + "], {\"list_price\": {\"__class__\": "
                + "\"Decimal\", \"decimal\": \"" + listPrice + "\"}}, " + context() + "]");
    }

    @Override
    public void deactivateProduct(String sku) throws Exception {
        JsonNode product = call("model.product.product.search", "[[[\"code\", \"=\", \"" + sku + "\"]], 0, 1, null, "
                + context() + "]").get(0);
        call("model.product.product.write", "[[" + product.asText() + "], {\"active\": false}, " + context() + "]");
    }

    @Override
    public String createPriceList(String name) throws Exception {
        return "PL-" + call("model.product.price_list.create", "[[{\"name\": \"" + name + "\"}], " + context() + "]")
                .get(0).asText();
    }

    @Override
    public void addPrice(String priceListId, String sku, String unitPrice, java.time.LocalDate validFrom,
                         java.time.LocalDate validTo) throws Exception {
        JsonNode product = call("model.product.product.search", "[[[\"code\", \"=\", \"" + sku + "\"]], 0, 1, null, "
                + context() + "]").get(0);
        String list = priceListId.substring("PL-".length());
        // through the price list, as Tryton's client writes its lines (the list's write date moves with them)
        call("model.product.price_list.write", "[[" + list + "], {\"lines\": [[\"create\", [{\"product\": " + product.asText()
                + ", \"formula\": \"" + unitPrice + "\", \"start_date\": " + date(validFrom) + ", \"end_date\": "
                + date(validTo) + "}]]]}, " + context() + "]");
    }

    private static String date(java.time.LocalDate day) {
        return day == null ? "null" : "{\"__class__\": \"date\", \"year\": " + day.getYear() + ", \"month\": "
                + day.getMonthValue() + ", \"day\": " + day.getDayOfMonth() + "}";
    }

    @Override
    public <T> T whileCatalogueDown(Supplier<T> action) throws Exception {
        return whileDown(action);
    }

    // --- port erp.upsert-vendor (ErpVendorPortContractIT): Tryton's purchasing people act through JSON-RPC as its
    // client would. The vendor is a party; its payment terms module purchase's supplier_payment_term (start.sh makes
    // NET30 and NET60); "active" is membership of the party category "Suppliers" (adapter.yaml
    // vendors.supplier-category, made by start.sh); the rating is the supplier note's (Tryton has no field for it).

    @Override
    public String whyNoVendors() {
        try {
            JsonNode fields = call("model.party.party.fields_get", "[[\"supplier_payment_term\"], " + context() + "]");
            if (!fields.has("supplier_payment_term")) {
                return "Tryton has no module purchase: run ops/real-systems/start.sh of this checkout";
            }
            if (call("model.party.category.search", "[[[\"name\", \"=\", \"Suppliers\"]], 0, 1, null, " + context() + "]").isEmpty()) {
                return "Tryton has no party category Suppliers: run ops/real-systems/start.sh of this checkout";
            }
            return null;
        } catch (IOException | InterruptedException e) {
            return "Tryton could not be asked for its supplier set-up: " + e;
        }
    }

    @Override
    public JsonNode upsertVendor(String supplier) throws Exception {
        return JSON.readTree(portContext().createProducerTemplate()
                .requestBody("direct:erp.upsert-vendor", supplier, String.class));
    }

    /** A party with the tax id as an identifier of type eu_vat and one address, as purchasing enters a vendor; its code. */
    @Override
    public String enterVendor(String name, String taxId) throws Exception {
        return enterCustomer(name, taxId);
    }

    @Override
    public void setPurchasingTerms(String vendorNumber, String paymentTerms) throws Exception {
        String term = call("model.account.invoice.payment_term.search", "[[[\"name\", \"=\", \"" + paymentTerms
                + "\"]], 0, 1, null, " + context() + "]").get(0).asText();
        call("model.party.party.write", "[[" + partyId(vendorNumber) + "], {\"supplier_payment_term\": " + term + "}, "
                + context() + "]");
    }

    @Override
    public ErpVendor vendor(String vendorNumber) throws Exception {
        String party = partyId(vendorNumber);
        JsonNode p = call("model.party.party.read", "[[" + party + "], [\"code\", \"name\", \"supplier_payment_term.name\", "
                + "\"categories\"], " + context() + "]").get(0);
        String taxId = null;
        String crmRef = null;
        for (JsonNode i : call("model.party.identifier.search_read", "[[[\"party\", \"=\", " + party
                + "]], 0, null, [[\"id\", \"ASC\"]], [\"type\", \"code\"], " + context() + "]")) {
            if ("eu_vat".equals(i.path("type").asText(null))) {
                taxId = i.path("code").asText();
            } else if (i.path("type").isNull() && i.path("code").asText().startsWith("crm-supplier:")) {
                crmRef = i.path("code").asText().substring("crm-supplier:".length());
            }
        }
        Integer rating = null;
        for (JsonNode n : call("model.ir.note.search_read", "[[[\"resource\", \"=\", \"party.party," + party
                + "\"], [\"message\", \"like\", \"conduit:crm-supplier-revision=%\"]], 0, 1, null, [\"message\"], " + context() + "]")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(": rating ([1-5])/5").matcher(n.path("message").asText());
            rating = m.find() ? Integer.valueOf(m.group(1)) : null;
        }
        String category = call("model.party.category.search", "[[[\"name\", \"=\", \"Suppliers\"]], 0, 1, null, "
                + context() + "]").get(0).asText();
        boolean active = false;
        for (JsonNode c : p.path("categories")) {
            active |= c.asText().equals(category);
        }
        List<String> cities = new ArrayList<>();
        call("model.party.address.search_read", "[[[\"party\", \"=\", " + party + "]], 0, null, [[\"id\", \"ASC\"]], [\"city\"], "
                + context() + "]").forEach(a -> cities.add(a.path("city").asText()));
        JsonNode term = p.path("supplier_payment_term.");
        return new ErpVendor(p.path("code").asText(), p.path("name").asText(), taxId, crmRef, rating, active, cities,
                term.isNull() || term.isMissingNode() ? null : term.path("name").asText());
    }

    @Override
    public int vendorsWithTaxId(String taxId) throws Exception {
        return customersWithTaxId(taxId);
    }

    @Override
    public int vendorsOfSupplier(String supplierId) throws Exception {
        return call("model.party.identifier.search_count", "[[[\"code\", \"=\", \"crm-supplier:" + supplierId
                + "\"], [\"type\", \"=\", null]], " + context() + "]").asInt();
    }

    @Override
    public <T> T whileVendorsDown(Supplier<T> action) throws Exception {
        return whileDown(action);
    }

    // --- port erp.invoices-since (ErpInvoicesPortContractIT): Tryton's accounting through JSON-RPC as its client would.
    // The CRM order's sales order comes through the sales port and is confirmed: Tryton invoices it on order (a draft).
    // Accounting dates the invoice and posts it, then books payments with the invoice's Pay wizard (payment method
    // "Cash", made by start.sh) and may cancel a posted one (the company's cancel_invoice_out, set by start.sh).

    @Override
    public String whyNoInvoices() {
        try {
            if (call("model.account.invoice.payment.method.search", "[[[\"name\", \"=\", \"Cash\"]], 0, 1, null, "
                    + context() + "]").isEmpty()) {
                return "Tryton has no payment method Cash: run ops/real-systems/start.sh of this checkout";
            }
            boolean cancels = call("model.company.company.read", "[[" + settings.get("esb.systems.erp.company-id")
                    + "], [\"cancel_invoice_out\"], " + context() + "]").path(0).path("cancel_invoice_out").asBoolean();
            return cancels ? null
                    : "Tryton's company may not cancel customer invoices: run ops/real-systems/start.sh of this checkout";
        } catch (IOException | InterruptedException e) {
            return "Tryton could not be asked for its accounting set-up: " + e;
        }
    }

    @Override
    public JsonNode invoicesSince(String watermark) throws Exception {
        String request = JSON.writeValueAsString(java.util.Collections.singletonMap("watermark", watermark));
        return JSON.readTree(portContext().createProducerTemplate()
                .requestBody("direct:erp.invoices-since", request, String.class));
    }

    /**
     * The CRM order as a Tryton sale (one line at the total, for a party whose identifier is the CRM account), confirmed;
     * its invoice dated {@code issuedOn}, due on {@code dueDate} (no payment term: the payment term date is the due
     * date) and posted; the invoice's number. The accounting date is today: Tryton numbers customer invoices in the order
     * of their dates, and earlier runs of this test posted invoices dated today.
     */
    @Override
    public String issueInvoice(String crmOrderId, String crmAccount, String total, java.time.LocalDate issuedOn,
                               java.time.LocalDate dueDate) throws Exception {
        java.time.LocalDate today = day(call("model.ir.date.today", "[" + context() + "]"));
        JsonNode stored = upsert(JSON.writeValueAsString(JSON.readTree("""
                {"orderId": "%s", "revision": 1, "source": "crm",
                 "customer": {"customerId": "%s", "name": "Invoice Test %s"},
                 "orderDate": "%s", "requestedDeliveryDate": "%s", "currency": "EUR",
                 "lines": [{"lineNumber": 1, "productCode": "P-TCK-INV", "description": "Contract test invoice",
                            "quantity": 1, "unitPrice": %s, "lineTotal": %s}],
                 "totalAmount": %s}
                """.formatted(crmOrderId, crmAccount, crmAccount, today, today.plusDays(30), total, total, total))));
        if (stored.path("erpOrderNumber").asText("").isEmpty()) {
            throw new IllegalStateException("Tryton took no sale for " + crmOrderId + ": " + stored);
        }
        return invoiceSale(crmOrderId, issuedOn, dueDate);
    }

    /**
     * Accounting confirms the sale of the CRM order (Tryton invoices it on order: a draft), dates its invoice
     * {@code issuedOn}, due on {@code dueDate}, and posts it; the invoice's number.
     */
    String invoiceSale(String crmOrderId, java.time.LocalDate issuedOn, java.time.LocalDate dueDate) throws Exception {
        java.time.LocalDate today = day(call("model.ir.date.today", "[" + context() + "]"));
        release(crmOrderId);
        JsonNode invoices = call("model.sale.sale.search_read", "[[[\"reference\", \"=\", \"" + crmOrderId
                + "\"]], 0, 1, null, [\"invoices\"], " + context() + "]").path(0).path("invoices");
        if (invoices.size() != 1) {
            throw new IllegalStateException("Tryton made no single invoice for the confirmed sale of " + crmOrderId + ": " + invoices);
        }
        String invoice = invoices.get(0).asText();
        call("model.account.invoice.write", "[[" + invoice + "], {\"invoice_date\": " + date(issuedOn)
                + ", \"accounting_date\": " + date(today) + ", \"payment_term\": null, \"payment_term_date\": "
                + date(dueDate) + "}, " + context() + "]");
        if (dueDate.isBefore(today)) {
            // posting a customer invoice already due asks the user to confirm (a warning); answered ahead, as the
            // client does when the user clicks "yes" once
            call("model.res.user.warning.create", "[[{\"user\": " + userId() + ", \"name\": \"invoice_payment_term_"
                    + invoice + "\", \"always\": false}], " + context() + "]");
        }
        call("model.account.invoice.post", "[[" + invoice + "], " + context() + "]");
        return call("model.account.invoice.read", "[[" + invoice + "], [\"number\"], " + context() + "]")
                .get(0).path("number").asText();
    }

    /** The Pay wizard of the invoice, as accounting fills it: the amount, paid today, by payment method Cash. */
    @Override
    public void pay(String invoiceId, String amount) throws Exception {
        String invoice = invoiceRecord(invoiceId);
        String method = call("model.account.invoice.payment.method.search", "[[[\"name\", \"=\", \"Cash\"]], 0, 1, null, "
                + context() + "]").get(0).asText();
        String wizardContext = "{\"company\": " + settings.get("esb.systems.erp.company-id")
                + ", \"active_model\": \"account.invoice\", \"active_id\": " + invoice + ", \"active_ids\": [" + invoice + "]}";
        JsonNode session = call("wizard.account.invoice.pay.create", "[" + wizardContext + "]");
        String id = session.get(0).asText();
        try {
            JsonNode defaults = call("wizard.account.invoice.pay.execute", "[" + id + ", {}, \"" + session.get(1).asText()
                    + "\", " + wizardContext + "]").path("view").path("defaults");
            com.fasterxml.jackson.databind.node.ObjectNode start = JSON.createObjectNode();
            for (String field : List.of("currency", "currency_digits", "company", "invoice_account", "date")) {
                start.set(field, defaults.path(field));
            }
            start.set("amount", JSON.readTree("{\"__class__\": \"Decimal\", \"decimal\": \"" + amount + "\"}"));
            start.put("payment_method", Long.parseLong(method));
            start.put("description", "Contract test payment");
            JsonNode choice = call("wizard.account.invoice.pay.execute", "[" + id + ", {\"start\": " + start + "}, \"choice\", "
                    + wizardContext + "]");
            if ("ask".equals(choice.path("view").path("state").asText())) {
                // less than the invoice's lines: booked as a partial payment, the invoice stays open
                com.fasterxml.jackson.databind.node.ObjectNode ask = JSON.createObjectNode();
                choice.path("view").path("defaults").fields().forEachRemaining(f -> {
                    if (!f.getKey().endsWith(".")) {
                        ask.set(f.getKey(), f.getValue());
                    }
                });
                ask.put("type", "partial");
                call("wizard.account.invoice.pay.execute", "[" + id + ", {\"start\": " + start + ", \"ask\": " + ask
                        + "}, \"pay\", " + wizardContext + "]");
            }
        } finally {
            call("wizard.account.invoice.pay.delete", "[" + id + ", " + wizardContext + "]");
        }
    }

    @Override
    public void cancel(String invoiceId) throws Exception {
        call("model.account.invoice.cancel", "[[" + invoiceRecord(invoiceId) + "], " + context() + "]");
    }

    @Override
    public <T> T whileInvoicesDown(Supplier<T> action) throws Exception {
        return whileDown(action);
    }

    private String invoiceRecord(String number) throws Exception {
        JsonNode found = call("model.account.invoice.search", "[[[\"number\", \"=\", \"" + number + "\"], [\"type\", \"=\", \"out\"]], 0, 1, null, "
                + context() + "]");
        if (found.isEmpty()) {
            throw new IllegalStateException("Tryton has no customer invoice " + number);
        }
        return found.get(0).asText();
    }

    private String userId() throws Exception {
        return call("model.res.user.search", "[[[\"login\", \"=\", \"" + settings.get("esb.systems.erp.auth.username")
                + "\"]], 0, 1, null, " + context() + "]").get(0).asText();
    }

    /** Tryton's date ({"__class__": "date", "year", "month", "day"}). */
    private static java.time.LocalDate day(JsonNode date) {
        return java.time.LocalDate.of(date.path("year").asInt(), date.path("month").asInt(), date.path("day").asInt());
    }
}
