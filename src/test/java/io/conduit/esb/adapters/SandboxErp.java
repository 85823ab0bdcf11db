package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The sandbox ERP adapter, as the running ESB has it loaded (the embedded default). */
final class SandboxErp implements ErpOrderStatusUnderTest, ErpChangesUnderTest, ErpUsersUnderTest, ErpRequisitionsUnderTest,
        ErpTripCommitmentsUnderTest, ErpCustomersUnderTest, ErpCatalogueUnderTest, ErpInvoicesUnderTest,
        ErpVendorsUnderTest {

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

    // --- port erp.changes-since (ErpChangesContractIT)

    @Override
    public JsonNode changesSince(String watermark) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String request = json.writeValueAsString(java.util.Collections.singletonMap("watermark", watermark));
        return json.readTree(camel.createProducerTemplate().requestBody("direct:erp.changes-since", request, String.class));
    }

    @Override
    public String receiveStock(String itemCode, String quantity) {
        jdbc.update("INSERT INTO erp.item_mst (item_no, item_desc, item_grp) VALUES (?, ?, 'TEST') ON CONFLICT DO NOTHING",
                itemCode, "Contract test item " + itemCode);
        jdbc.update("INSERT INTO erp.inv_stock (item_no, whse_cd, qty_oh, qty_rsv) VALUES (?, 'W01', ?, 0)",
                itemCode, new BigDecimal(quantity));
        return itemCode + "@W01";
    }

    @Override
    public void shipOrder(String orderId) {
        String soNo = jdbc.queryForObject("""
                INSERT INTO erp.so_stage_hdr (ext_ref, ext_rev, src_sys, cust_no, ord_date, curr_cd, tot_amt, stat_cd)
                VALUES (?, 1, 'CRM', 'ACC-TCK-1', current_date, 'EUR', 12.5, 'SHP') RETURNING so_no""", String.class, orderId);
        jdbc.update("INSERT INTO erp.shp_hdr (shp_no, so_no, carrier_cd, track_no, ship_ts) VALUES (?, ?, 'DHL', ?, now())",
                "SHP-" + orderId.substring(orderId.length() - 8), soNo, "TRK-" + orderId);
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

    // --- ports erp.requisitions-since, erp.apply-requisition-decision (ErpRequisitionPortContractIT): the ERP's
    // users act through the sandbox's REST endpoints, as the README's "try it" does

    @Override
    public JsonNode requisitionsSince(String watermark) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String request = json.writeValueAsString(java.util.Collections.singletonMap("watermark", watermark));
        return json.readTree(camel.createProducerTemplate().requestBody("direct:erp.requisitions-since", request, String.class));
    }

    @Override
    public JsonNode applyDecision(String decision) throws Exception {
        return new ObjectMapper().readTree(camel.createProducerTemplate()
                .requestBody("direct:erp.apply-requisition-decision", decision, String.class));
    }

    @Override
    public String budget(String department, String amount) {
        String code = "TB-" + java.util.UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
        sandboxErp().put().uri("/sandbox/erp/budgets/{bud}", code)
                .body(Map.of("deptCd", department, "description", "Contract test budget", "amount", new BigDecimal(amount)))
                .retrieve().toBodilessEntity();
        return code;
    }

    @Override
    public BigDecimal committed(String budgetLine) {
        return new BigDecimal(sandboxErp().get().uri("/sandbox/erp/budgets/{bud}", budgetLine).retrieve()
                .body(JsonNode.class).path("cmt_amt").asText());
    }

    @Override
    public String raise(String department, String quantity, String unitPrice, String budgetLine) {
        return sandboxErp().post().uri("/sandbox/erp/requisitions")
                .body(Map.of("deptCd", department, "itemNo", "P-1600", "qty", new BigDecimal(quantity),
                        "needDate", java.time.LocalDate.now().plusDays(30).toString(), "suppNo", "S-2001",
                        "suppName", "Hansa Hydraulik GmbH", "estPrice", new BigDecimal(unitPrice), "budCd", budgetLine,
                        "reqBy", "contract-test"))
                .retrieve().body(JsonNode.class).path("req_no").asText();
    }

    @Override
    public void changeQuantity(String requisitionNo, String quantity) {
        sandboxErp().patch().uri("/sandbox/erp/requisitions/{req}", requisitionNo)
                .body(Map.of("qty", new BigDecimal(quantity))).retrieve().toBodilessEntity();
    }

    @Override
    public void withdraw(String requisitionNo) {
        sandboxErp().post().uri("/sandbox/erp/requisitions/{req}/withdraw", requisitionNo).retrieve().toBodilessEntity();
    }

    @Override
    public Requisition requisition(String requisitionNo) {
        JsonNode row = sandboxErp().get().uri("/sandbox/erp/requisitions/{req}", requisitionNo).retrieve().body(JsonNode.class);
        return new Requisition(row.path("rev_no").asInt(), row.path("stat_cd").asText(),
                row.path("dec_id").isNull() ? null : row.path("dec_id").asText(),
                row.path("appr_qty").isNull() ? null : row.path("appr_qty").decimalValue());
    }

    @Override
    public <T> T whileRequisitionsDown(Supplier<T> action) {
        return whileDown(action);
    }

    private RestClient sandboxErp() {
        return RestClient.create(camel.resolvePropertyPlaceholders("http://localhost:{{server.port}}"));
    }

    // --- ports erp.book-trip-commitment, erp.release-trip-commitment (ErpTripCommitmentPortContractIT)

    @Override
    public JsonNode bookTripCommitment(String approvedRequest) throws Exception {
        return new ObjectMapper().readTree(camel.createProducerTemplate()
                .requestBody("direct:erp.book-trip-commitment", approvedRequest, String.class));
    }

    @Override
    public JsonNode releaseTripCommitment(String tripId, String reason) throws Exception {
        ObjectMapper json = new ObjectMapper();
        java.util.Map<String, Object> call = new java.util.LinkedHashMap<>();
        call.put("tripId", tripId);
        call.put("reason", reason);
        return json.readTree(camel.createProducerTemplate()
                .requestBody("direct:erp.release-trip-commitment", json.writeValueAsString(call), String.class));
    }

    @Override
    public String costCentre(String department, String amount, String currency) {
        String code = "TC-" + java.util.UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
        sandboxErp().put().uri("/sandbox/erp/budgets/{bud}", code)
                .body(Map.of("deptCd", department, "description", "Contract test cost centre", "amount",
                        new BigDecimal(amount), "currency", currency))
                .retrieve().toBodilessEntity();
        return code;
    }

    @Override
    public BigDecimal committedOn(String costCentre) {
        return committed(costCentre);
    }

    @Override
    public Commitment commitment(String tripId) {
        JsonNode row = sandboxErp().get().uri("/sandbox/erp/trip-commitments/{trip}", tripId)
                .exchange((request, response) -> response.getStatusCode().value() == 404 ? null
                        : new ObjectMapper().readTree(response.getBody()));
        return row == null ? null : new Commitment(row.path("stat_cd").asText(),
                row.path("dec_id").isNull() ? null : row.path("dec_id").asText(),
                row.path("cmt_amt").decimalValue(), row.path("adv_amt").decimalValue());
    }

    @Override
    public <T> T whileCommitmentsDown(Supplier<T> action) {
        return whileDown(action);
    }

    // --- ports erp.upsert-customer, erp.customers-since (ErpCustomerPortContractIT): the ERP's users through its tables

    @Override
    public JsonNode upsertCustomer(String customer) throws Exception {
        return new ObjectMapper().readTree(camel.createProducerTemplate()
                .requestBody("direct:erp.upsert-customer", customer, String.class));
    }

    @Override
    public CamelContext customerPorts() {
        return camel;
    }

    @Override
    public JsonNode customersSince(String watermark) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String request = json.writeValueAsString(java.util.Collections.singletonMap("watermark", watermark));
        return json.readTree(camel.createProducerTemplate().requestBody("direct:erp.customers-since", request, String.class));
    }

    @Override
    public String enterCustomer(String name, String taxId) {
        return jdbc.queryForObject("INSERT INTO erp.cust_mst (cust_nm, tax_id) VALUES (?, ?) RETURNING cust_no",
                String.class, name, taxId);
    }

    @Override
    public void setTerms(String erpNumber, String creditLimit, String paymentTerms, boolean blocked) {
        jdbc.update("UPDATE erp.cust_mst SET cr_lmt = ?, pay_terms = ?, blk_flg = ? WHERE cust_no = ?",
                creditLimit == null ? null : new BigDecimal(creditLimit), paymentTerms, blocked ? "Y" : "N", erpNumber);
    }

    @Override
    public ErpCustomer customer(String erpNumber) throws Exception {
        Map<String, Object> row = jdbc.queryForMap("SELECT cust_no, cust_nm, tax_id, crm_ref, CAST(addr AS text) AS addr,"
                + " CAST(cntc AS text) AS cntc, cr_lmt, pay_terms, blk_flg FROM erp.cust_mst WHERE cust_no = ?", erpNumber);
        ObjectMapper json = new ObjectMapper();
        List<String> cities = new java.util.ArrayList<>();
        json.readTree((String) row.get("addr")).forEach(a -> cities.add(a.path("city").asText()));
        List<String> emails = new java.util.ArrayList<>();
        json.readTree((String) row.get("cntc")).forEach(c -> {
            if (!c.path("email").isNull() && !c.path("email").isMissingNode()) {
                emails.add(c.path("email").asText());
            }
        });
        return new ErpCustomer((String) row.get("cust_no"), (String) row.get("cust_nm"), (String) row.get("tax_id"),
                (String) row.get("crm_ref"), cities, emails, (BigDecimal) row.get("cr_lmt"), (String) row.get("pay_terms"),
                "Y".equals(row.get("blk_flg")));
    }

    @Override
    public int customersWithTaxId(String taxId) {
        return jdbc.queryForObject("SELECT count(*) FROM erp.cust_mst WHERE tax_id = ?", Integer.class, taxId);
    }

    @Override
    public int customersOfAccount(String customerId) {
        return jdbc.queryForObject("SELECT count(*) FROM erp.cust_mst WHERE crm_ref = ?", Integer.class, customerId);
    }

    @Override
    public String mergedInto(String erpNumber) {
        return jdbc.queryForObject("SELECT merged_into FROM erp.cust_mst WHERE cust_no = ?", String.class, erpNumber);
    }

    @Override
    public <T> T whileCustomersDown(Supplier<T> action) {
        return whileDown(action);
    }

    // --- port erp.upsert-vendor (ErpVendorPortContractIT): purchasing through the ERP's vendor API and table

    @Override
    public JsonNode upsertVendor(String supplier) throws Exception {
        return new ObjectMapper().readTree(camel.createProducerTemplate()
                .requestBody("direct:erp.upsert-vendor", supplier, String.class));
    }

    @Override
    public String enterVendor(String name, String taxId) {
        RestClient erp = RestClient.create(camel.resolvePropertyPlaceholders("http://localhost:{{server.port}}"));
        return erp.post().uri("/sandbox/erp/vendors").contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(Map.of("name", name, "taxId", taxId)).retrieve()
                .body(JsonNode.class).path("vend_no").asText();
    }

    @Override
    public void setPurchasingTerms(String vendorNumber, String paymentTerms) {
        jdbc.update("UPDATE erp.vend_mst SET pay_terms = ? WHERE vend_no = ?", paymentTerms, vendorNumber);
    }

    @Override
    public ErpVendor vendor(String vendorNumber) throws Exception {
        Map<String, Object> row = jdbc.queryForMap("SELECT vend_no, vend_nm, tax_id, crm_ref, crm_act, rating,"
                + " CAST(addr AS text) AS addr, pay_terms FROM erp.vend_mst WHERE vend_no = ?", vendorNumber);
        List<String> cities = new java.util.ArrayList<>();
        new ObjectMapper().readTree((String) row.get("addr")).forEach(a -> cities.add(a.path("city").asText()));
        Number rating = (Number) row.get("rating");
        return new ErpVendor((String) row.get("vend_no"), (String) row.get("vend_nm"), (String) row.get("tax_id"),
                (String) row.get("crm_ref"), rating == null ? null : rating.intValue(), "Y".equals(row.get("crm_act")),
                cities, (String) row.get("pay_terms"));
    }

    @Override
    public int vendorsWithTaxId(String taxId) {
        return jdbc.queryForObject("SELECT count(*) FROM erp.vend_mst WHERE tax_id = ?", Integer.class, taxId);
    }

    @Override
    public int vendorsOfSupplier(String supplierId) {
        return jdbc.queryForObject("SELECT count(*) FROM erp.vend_mst WHERE crm_ref = ?", Integer.class, supplierId);
    }

    @Override
    public <T> T whileVendorsDown(Supplier<T> action) {
        return whileDown(action);
    }

    // --- port erp.catalogue-since (ErpCataloguePortContractIT): product management through the ERP's tables

    @Override
    public JsonNode catalogueSince(String watermark) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String request = json.writeValueAsString(java.util.Collections.singletonMap("watermark", watermark));
        return json.readTree(camel.createProducerTemplate().requestBody("direct:erp.catalogue-since", request, String.class));
    }

    @Override
    public void createProduct(String sku, String name, String listPrice) {
        jdbc.update("INSERT INTO erp.item_mst (item_no, item_desc, uom, item_grp, list_prc) VALUES (?, ?, 'EA', 'TEST', ?)",
                sku, name, new BigDecimal(listPrice));
    }

    @Override
    public void setListPrice(String sku, String listPrice) {
        jdbc.update("UPDATE erp.item_mst SET list_prc = ? WHERE item_no = ?", new BigDecimal(listPrice), sku);
    }

    @Override
    public void deactivateProduct(String sku) {
        jdbc.update("UPDATE erp.item_mst SET active_flg = 'N' WHERE item_no = ?", sku);
    }

    @Override
    public String createPriceList(String name) {
        String code = "PL-" + java.util.UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
        jdbc.update("INSERT INTO erp.prc_lst (prc_lst_cd, prc_lst_nm) VALUES (?, ?)", code, name);
        return code;
    }

    @Override
    public void addPrice(String priceListId, String sku, String unitPrice, java.time.LocalDate validFrom,
                         java.time.LocalDate validTo) {
        jdbc.update("INSERT INTO erp.prc_lst_line (prc_lst_cd, item_no, unit_prc, valid_from, valid_to) VALUES (?, ?, ?, ?, ?)",
                priceListId, sku, new BigDecimal(unitPrice), validFrom, validTo);
    }

    @Override
    public <T> T whileCatalogueDown(Supplier<T> action) {
        return whileDown(action);
    }

    // --- port erp.invoices-since (ErpInvoicesPortContractIT): accounting acts through the sandbox's REST endpoints

    @Override
    public JsonNode invoicesSince(String watermark) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String request = json.writeValueAsString(java.util.Collections.singletonMap("watermark", watermark));
        return json.readTree(camel.createProducerTemplate().requestBody("direct:erp.invoices-since", request, String.class));
    }

    @Override
    public String issueInvoice(String crmOrderId, String crmAccount, String total, java.time.LocalDate issuedOn,
                               java.time.LocalDate dueDate) {
        String soNo = jdbc.queryForObject("""
                INSERT INTO erp.so_stage_hdr (ext_ref, ext_rev, src_sys, cust_no, ord_date, curr_cd, tot_amt, stat_cd)
                VALUES (?, 1, 'CRM', ?, current_date, 'EUR', ?, 'DLV') RETURNING so_no""", String.class,
                crmOrderId, crmAccount, new BigDecimal(total));
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("salesOrderNo", soNo);
        body.put("total", new BigDecimal(total));
        body.put("invoiceDate", issuedOn.toString());
        body.put("dueDate", dueDate.toString());
        return sandboxApi().post().uri("/sandbox/erp/invoices").body(body).retrieve().body(JsonNode.class)
                .path("inv_no").asText();
    }

    @Override
    public void pay(String invoiceId, String amount) {
        sandboxApi().post().uri("/sandbox/erp/invoices/{i}/payments", invoiceId)
                .body(Map.of("amount", new BigDecimal(amount))).retrieve().toBodilessEntity();
    }

    @Override
    public void cancel(String invoiceId) {
        sandboxApi().post().uri("/sandbox/erp/invoices/{i}/cancel", invoiceId).retrieve().toBodilessEntity();
    }

    @Override
    public <T> T whileInvoicesDown(Supplier<T> action) {
        return whileDown(action);
    }

    private RestClient sandboxApi() {
        return RestClient.builder().baseUrl(camel.resolvePropertyPlaceholders("http://localhost:{{server.port}}"))
                .defaultHeader("Content-Type", "application/json").build();
    }
}
