package io.conduit.esb.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The raw Java reference path of the throughput benchmark's order handoff (bench/throughput.sh): the handoff's work
 * with nothing around it, on the same embedded Kafka broker, PostgreSQL and sandbox CRM as the ESB, so that
 * {@link HandoffLoad} can drive it exactly as it drives the ESB and the ESB's figure has a hand-written one beside it.
 * <ol>
 * <li>{@code POST /api/v1/crm/webhooks/opportunity-won}: the HMAC signature checked (X-Timestamp, X-Signature, the
 *     CRM's secret), the webhook parsed (Jackson) and reshaped into an order, sent to Kafka (acks=all, idempotent, as
 *     the ESB's producer) keyed by the order id and awaited; 202.</li>
 * <li>Consumers of the orders topic (as many as the ESB's delivery consumers, 3): per record one ERP transaction with
 *     the sandbox ERP adapter's statements (the header locked if it exists, else inserted returning its SO number,
 *     then the lines in one batch), then the acknowledgement sent to a second topic; offsets committed after the
 *     poll's records were written and their acknowledgements stored.</li>
 * <li>Consumers of the acknowledgements topic (3): per record the CRM's {@code PATCH /opportunities/{id}} (the
 *     sandbox CRM's own API in the ESB, as the ESB's CRM adapter calls it), retried on failure.</li>
 * </ol>
 * What it leaves out is what the ESB adds on top: the journal, schema validation, mapping files, versioned delivery,
 * the breakers, parking and replay, metrics. Its topics are its own ({@code raw.orders.<run>},
 * {@code raw.order-acks.<run>}, the ESB's partition count), so it shares nothing with the ESB's consumers.
 * <pre>
 * RawHandoffServer PORT JDBC_URL KAFKA_BOOTSTRAP CRM_BASE_URL [PARTITIONS] [CONSUMERS]
 * </pre>
 * It prints "raw-handoff-server: listening on PORT" once ready and runs until killed.
 */
public final class RawHandoffServer {

    private static final String PATH = "/api/v1/crm/webhooks/opportunity-won";
    private static final String LOCK = "select so_no from erp.so_stage_hdr where ext_ref = ? for update";
    private static final String INSERT_HEADER = "insert into erp.so_stage_hdr (ext_ref, ext_rev, src_sys, cust_no, "
            + "cust_name, ord_date, req_dlv_date, curr_cd, tot_amt) values (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "returning stg_id, so_no";
    private static final String INSERT_LINE = "insert into erp.so_stage_line (stg_id, line_no, item_no, item_desc, "
            + "ord_qty, unit_prc, line_amt) values (?, ?, ?, ?, ?, ?, ?)";

    private final ObjectMapper json = new ObjectMapper();
    private final HikariDataSource db;
    private final KafkaProducer<String, byte[]> producer;
    private final String ordersTopic;
    private final String acksTopic;
    private final String crmBaseUrl;
    private final byte[] secret;
    private final HttpClient crm = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::mac);

    private RawHandoffServer(HikariDataSource db, KafkaProducer<String, byte[]> producer, String run,
                             String crmBaseUrl, String secret) {
        this.db = db;
        this.producer = producer;
        this.ordersTopic = "raw.orders." + run;
        this.acksTopic = "raw.order-acks." + run;
        this.crmBaseUrl = crmBaseUrl;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args[0]);
        String jdbcUrl = args[1];
        String bootstrap = args[2];
        String crmBaseUrl = args[3];
        int partitions = args.length > 4 ? Integer.parseInt(args[4]) : 6;
        int consumers = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        String run = Long.toString(System.currentTimeMillis(), 36);

        HikariConfig config = RawOrderServer.poolConfig(jdbcUrl);
        config.setAutoCommit(false);

        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        RawHandoffServer server = new RawHandoffServer(new HikariDataSource(config), new KafkaProducer<>(producerProps),
                run, crmBaseUrl, System.getProperty("crm.secret", HandoffLoad.CRM_SECRET));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(server.ordersTopic, partitions, (short) 1),
                    new NewTopic(server.acksTopic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < consumers; i++) {
            server.consume(bootstrap, server.ordersTopic, "raw-erp-" + run, "raw-erp-" + i, server::toErp);
            server.consume(bootstrap, server.acksTopic, "raw-crm-" + run, "raw-crm-" + i, server::toCrm);
        }

        HttpServer http = HttpServer.create(new InetSocketAddress(port), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        http.setExecutor(pool);
        http.createContext(PATH, server::intake);
        http.start();
        System.out.println("raw-handoff-server: listening on " + port + " (topics " + server.ordersTopic + ", "
                + server.acksTopic + "; " + partitions + " partitions, " + consumers + " consumers each)");
    }

    /** Step 1: the webhook, checked and reshaped, on Kafka before the 202. */
    private void intake(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                RawOrderServer.answer(exchange, 405, "{\"error\":\"POST only\"}");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String ts = exchange.getRequestHeaders().getFirst("X-Timestamp");
            String signature = exchange.getRequestHeaders().getFirst("X-Signature");
            if (ts == null || signature == null || !MessageDigest.isEqual(sign(ts, body),
                    signature.getBytes(StandardCharsets.UTF_8))) {
                RawOrderServer.answer(exchange, 401, "{\"error\":\"bad signature\"}");
                return;
            }
            JsonNode data;
            try {
                data = json.readTree(body).path("data");
            } catch (IOException e) {
                RawOrderServer.answer(exchange, 400, "{\"error\":\"not JSON\"}");
                return;
            }
            String orderId = data.path("opportunityId").asText(null);
            if (orderId == null) {
                RawOrderServer.answer(exchange, 400, "{\"error\":\"data.opportunityId missing\"}");
                return;
            }
            ObjectNode order = json.createObjectNode();
            order.put("orderId", orderId).put("revision", data.path("revision").asInt()).put("source", "crm");
            order.putObject("customer").put("accountNo", data.path("accountNo").asText())
                    .put("name", data.path("accountName").asText());
            order.put("currency", data.path("currencyCode").asText()).put("amount", data.path("amount").asText());
            order.put("orderDate", data.path("closeDate").asText()).put("deliveryDate", data.path("deliveryDate").asText());
            var lines = order.putArray("lines");
            for (JsonNode p : data.path("products")) {
                lines.addObject().put("lineNo", p.path("lineNo").asInt()).put("sku", p.path("sku").asText())
                        .put("description", p.path("productName").asText()).put("qty", p.path("qty").asText())
                        .put("unitPrice", p.path("unitPrice").asText());
            }
            try {
                producer.send(new ProducerRecord<>(ordersTopic, orderId, json.writeValueAsBytes(order)))
                        .get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                RawOrderServer.answer(exchange, 503, "{\"error\":\"not stored\"}");
                return;
            }
            RawOrderServer.answer(exchange, 202, "{\"orderId\":" + json.writeValueAsString(orderId) + "}");
        }
    }

    /** Step 2: one order into the ERP's tables; its acknowledgement on Kafka (the future, awaited before the commit). */
    private Future<?> toErp(ConsumerRecord<String, byte[]> record) throws Exception {
        JsonNode order = json.readTree(record.value());
        String orderId = order.path("orderId").asText();
        String soNo;
        try (Connection c = db.getConnection()) {
            try {
                soNo = writeOrder(c, orderId, order);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
        ObjectNode ack = json.createObjectNode();
        ack.put("orderId", orderId).put("erpOrderNumber", soNo).put("status", "ACCEPTED")
                .put("acknowledgedAt", Instant.now().toString());
        return producer.send(new ProducerRecord<>(acksTopic, orderId, json.writeValueAsBytes(ack)));
    }

    private String writeOrder(Connection c, String orderId, JsonNode order) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement(LOCK)) {
            lock.setString(1, orderId);
            try (ResultSet rs = lock.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
        }
        long stgId;
        String soNo;
        try (PreparedStatement insert = c.prepareStatement(INSERT_HEADER)) {
            insert.setString(1, orderId);
            insert.setInt(2, order.path("revision").asInt());
            insert.setString(3, "CRM");
            insert.setString(4, order.path("customer").path("accountNo").asText());
            insert.setString(5, order.path("customer").path("name").asText());
            insert.setDate(6, Date.valueOf(LocalDate.parse(order.path("orderDate").asText())));
            insert.setDate(7, Date.valueOf(LocalDate.parse(order.path("deliveryDate").asText())));
            insert.setString(8, order.path("currency").asText());
            insert.setBigDecimal(9, new java.math.BigDecimal(order.path("amount").asText()));
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                stgId = rs.getLong(1);
                soNo = rs.getString(2);
            }
        }
        try (PreparedStatement line = c.prepareStatement(INSERT_LINE)) {
            for (JsonNode l : order.path("lines")) {
                var qty = new java.math.BigDecimal(l.path("qty").asText());
                var price = new java.math.BigDecimal(l.path("unitPrice").asText());
                line.setLong(1, stgId);
                line.setInt(2, l.path("lineNo").asInt());
                line.setString(3, l.path("sku").asText());
                line.setString(4, l.path("description").asText());
                line.setBigDecimal(5, qty);
                line.setBigDecimal(6, price);
                line.setBigDecimal(7, qty.multiply(price));
                line.addBatch();
            }
            line.executeBatch();
        }
        return soNo;
    }

    /** Step 3: the acknowledgement to the CRM, as the ESB's CRM adapter sends it; retried until the CRM takes it. */
    private Future<?> toCrm(ConsumerRecord<String, byte[]> record) throws Exception {
        JsonNode ack = json.readTree(record.value());
        ObjectNode patch = json.createObjectNode();
        patch.put("erpOrderNo", ack.path("erpOrderNumber").asText()).put("erpStatus", "Booked")
                .put("erpSyncedAt", ack.path("acknowledgedAt").asText());
        HttpRequest request = HttpRequest.newBuilder(URI.create(crmBaseUrl + "/opportunities/"
                        + ack.path("orderId").asText())).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(patch))).build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<Void> answer = crm.send(request, HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 == 2 || attempt == 5) {
                if (answer.statusCode() / 100 != 2) {
                    System.out.println("raw-handoff-server: CRM answered " + answer.statusCode() + " for "
                            + ack.path("orderId").asText() + " five times; given up");
                }
                return null;
            }
            Thread.sleep(100L * attempt); // backoff between retries of a failed CRM call
        }
    }

    private interface Step {
        Future<?> apply(ConsumerRecord<String, byte[]> record) throws Exception;
    }

    /** A consumer thread: poll, run the step for each record, await what it sent, commit. */
    private void consume(String bootstrap, String topic, String group, String name, Step step) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Thread thread = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
                consumer.subscribe(List.of(topic));
                while (true) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                    List<Future<?>> sent = new ArrayList<>();
                    for (ConsumerRecord<String, byte[]> record : records) {
                        try {
                            Future<?> f = step.apply(record);
                            if (f != null) {
                                sent.add(f);
                            }
                        } catch (Exception e) {
                            System.out.println("raw-handoff-server: " + name + " failed on " + record.key() + ": " + e);
                        }
                    }
                    for (Future<?> f : sent) {
                        f.get(30, TimeUnit.SECONDS);
                    }
                    if (!records.isEmpty()) {
                        consumer.commitAsync();
                    }
                }
            } catch (Exception e) {
                System.out.println("raw-handoff-server: consumer " + name + " stopped: " + e);
            }
        }, name);
        thread.setDaemon(false);
        thread.start();
    }

    private byte[] sign(String ts, byte[] body) {
        Mac mac = macs.get();
        mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
        return ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.UTF_8);
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
