package io.conduit.esb.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The raw Java reference path of the throughput benchmark's simple flow (bench/throughput.sh): the same work as the
 * route bench/simple-flow/bench-simple-order.camel.yaml with nothing around it. {@code POST /bench/orders} with the
 * bench order JSON: parse (Jackson), reshape the same fields as bench/simple-flow/order-to-row.jsonata (customer id,
 * total, currency, the lines' sku/qty/unitPrice as JSON text), the same {@code INSERT ... RETURNING order_no} into
 * {@code bench.simple_order} through HikariCP (pool of 10, as the ESB's default DataSource), answer 201
 * {@code {"orderNo":"..."}}. JDK {@code com.sun.net.httpserver} on a fixed thread pool. No login, no input gate,
 * no Camel: what the ESB costs on top is the difference the benchmark reports.
 * <pre>
 * java -cp target/test-classes:... io.conduit.esb.bench.throughput.RawOrderServer PORT JDBC_URL [THREADS]
 * </pre>
 * It prints "raw-order-server: listening on PORT" once ready and runs until killed.
 */
public final class RawOrderServer {

    private static final String INSERT = "insert into bench.simple_order (customer, amount, currency, lines) "
            + "values (?, ?, ?, CAST(? AS jsonb)) returning order_no";

    private final ObjectMapper json = new ObjectMapper();
    private final HikariDataSource db;

    private RawOrderServer(HikariDataSource db) {
        this.db = db;
    }

    public static void main(String[] args) throws IOException {
        // answers go out at once (Tomcat's default too); without it Nagle's algorithm and the client's delayed ACK
        // hold each small answer back about 40 ms
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args[0]);
        String jdbcUrl = args[1];
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        RawOrderServer server = new RawOrderServer(new HikariDataSource(poolConfig(jdbcUrl)));
        HttpServer http = HttpServer.create(new InetSocketAddress(port), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        http.setExecutor(pool);
        http.createContext("/bench/orders", server::handle);
        http.start();
        System.out.println("raw-order-server: listening on " + port + " (" + threads + " threads)");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, "{\"error\":\"POST only\"}");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String orderNo;
            try {
                JsonNode order = json.readTree(body);
                ArrayNode lines = json.createArrayNode();
                for (JsonNode line : order.path("lines")) {
                    ObjectNode row = lines.addObject();
                    row.put("sku", line.path("sku").asText());
                    row.set("qty", line.path("qty"));
                    row.set("price", line.path("unitPrice"));
                }
                try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement(INSERT)) {
                    insert.setString(1, order.path("customer").path("id").asText());
                    insert.setBigDecimal(2, order.path("total").decimalValue());
                    insert.setString(3, order.path("currency").asText());
                    insert.setString(4, json.writeValueAsString(lines));
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        orderNo = rs.getString(1);
                    }
                }
            } catch (IOException e) {
                answer(exchange, 400, "{\"error\":\"not JSON\"}");
                return;
            } catch (Exception e) {
                answer(exchange, 500, "{\"error\":" + json.writeValueAsString(String.valueOf(e)) + "}");
                return;
            }
            answer(exchange, 201, "{\"orderNo\":\"" + orderNo + "\"}");
        }
    }

    /** The reference paths' pool: 10 connections, as the ESB's default DataSource (also RawHandoffServer's). */
    static HikariConfig poolConfig(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(System.getProperty("db.user", "postgres"));
        config.setPassword(System.getProperty("db.password", "postgres"));
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(5000);
        return config;
    }

    /** A JSON answer with its length (also RawHandoffServer's). */
    static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
