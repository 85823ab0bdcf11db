package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sandbox CRM adapter's catalogue ports, as the running ESB has them loaded, and the sandbox CRM's API. */
final class SandboxCrmCatalogue implements CrmCatalogueUnderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CamelContext camel;

    SandboxCrmCatalogue(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public String name() {
        return "sandbox";
    }

    @Override
    public JsonNode upsertProduct(String product) throws Exception {
        return JSON.readTree(camel.createProducerTemplate().requestBody("direct:crm.upsert-product", product, String.class));
    }

    @Override
    public JsonNode upsertPriceBook(String priceList) throws Exception {
        return JSON.readTree(camel.createProducerTemplate().requestBody("direct:crm.upsert-price-book", priceList, String.class));
    }

    @Override
    public Shown product(String productId, LocalDate on) {
        JsonNode p = crm().get().uri("/sandbox/crm/api/catalog/products/{s}?on={d}", productId, on).retrieve().body(JsonNode.class);
        List<BigDecimal> prices = new ArrayList<>();
        p.path("prices").forEach(e -> prices.add(e.path("unit_price").decimalValue()));
        return new Shown(p.path("active").asBoolean(), p.path("list_price").isNull() ? null : p.path("list_price").decimalValue(),
                prices);
    }

    @Override
    public String quote(String productId, String unitPrice) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("sku", productId);
        line.put("quantity", 1);
        line.put("unitPrice", new BigDecimal(unitPrice));
        line.put("unitCost", new BigDecimal(unitPrice).divide(new BigDecimal("2")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountNo", "ACC-CT");
        body.put("accountName", "Contract Test GmbH");
        body.put("salesperson", "sales.rep");
        body.put("department", "SALES-DACH");
        body.put("lines", List.of(line));
        return crm().post().uri("/sandbox/crm/api/quotes").contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .body(JsonNode.class).path("quote_no").asText();
    }

    @Override
    public Quote quoteOf(String quoteNo) {
        JsonNode q = crm().get().uri("/sandbox/crm/api/quotes/{q}", quoteNo).retrieve().body(JsonNode.class);
        List<BigDecimal> prices = new ArrayList<>();
        q.path("lines").forEach(l -> prices.add(l.path("unitPrice").decimalValue()));
        return new Quote(q.path("price_review_needed").asBoolean(), q.path("price_review_notes").size(), prices);
    }

    private RestClient crm() {
        return RestClient.create(camel.resolvePropertyPlaceholders("http://localhost:{{server.port}}"));
    }
}
