package io.conduit.esb.journal;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of the message journal ({@code esb.journal.*}, defaults in {@code config/journal.yaml}): the writer,
 * which route steps record which hop, the business keys of each flow, payload masking and retention.
 */
@ConfigurationProperties("esb.journal")
public class JournalProperties {

    /** false = nothing is recorded (search still answers from what is stored) */
    private boolean enabled = true;
    private final Writer writer = new Writer();
    private final Payload payload = new Payload();
    private final Retention retention = new Retention();
    /** endpoint schemes whose consumers make a RECEIVED hop (timers, schedulers, pollers and direct calls do not) */
    private List<String> receivedSchemes = new ArrayList<>(List.of("kafka", "jms", "platform-http", "rest"));
    /** HTTP methods of requests that only read (no RECEIVED hop for them) */
    private List<String> receivedIgnoredHttpMethods = new ArrayList<>(List.of("GET", "HEAD", "OPTIONS"));
    /** routes that never make a RECEIVED hop (e.g. status queries) */
    private List<String> receivedIgnoredRoutes = new ArrayList<>();
    /** Simple expressions tried in order for a message's correlation id; a new one is made at RECEIVED if none */
    private List<String> correlation = new ArrayList<>(List.of("${header.ce_correlationid}",
            "${header.X-Correlation-Id}", "${exchangeProperty.correlationId}"));
    /** how route steps are classified, first match wins; a step that matches no rule records nothing */
    private List<StepRule> rules = new ArrayList<>();
    /** per step (node id) settings, win over the rules: hop, target, target id expression */
    private Map<String, StepSetting> steps = new LinkedHashMap<>();
    /** per flow (route group): business keys */
    private Map<String, FlowSetting> flows = new LinkedHashMap<>();
    /** the most entries one search returns */
    private int maxResults = 1000;

    public static class Writer {
        /** entries waiting to be written; when full, record() blocks up to offer-timeout, then drops and counts */
        private int queueCapacity = 20000;
        /** rows per JDBC batch */
        private int batchSize = 500;
        /** how long record() may block the calling thread on a full queue before dropping the entry */
        private Duration offerTimeout = Duration.ofMillis(500);
        /** how long a flush at shutdown may take */
        private Duration shutdownTimeout = Duration.ofSeconds(10);
        /** how long the writer waits for more entries to fill a batch once it has one (0 = writes at once) */
        private Duration linger = Duration.ofMillis(50);

        public int getQueueCapacity() { return queueCapacity; }
        public void setQueueCapacity(int queueCapacity) { this.queueCapacity = queueCapacity; }
        public int getBatchSize() { return batchSize; }
        public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
        public Duration getOfferTimeout() { return offerTimeout; }
        public void setOfferTimeout(Duration offerTimeout) { this.offerTimeout = offerTimeout; }
        public Duration getShutdownTimeout() { return shutdownTimeout; }
        public void setShutdownTimeout(Duration shutdownTimeout) { this.shutdownTimeout = shutdownTimeout; }
        public Duration getLinger() { return linger; }
        public void setLinger(Duration linger) { this.linger = linger; }
    }

    public static class Payload {
        /** false = no payloads stored */
        private boolean enabled = true;
        /** longest payload stored, characters (the rest is cut and marked) */
        private int maxChars = 4000;
        /** JSON fields whose values are masked (any depth); e-mail addresses are masked anywhere */
        private List<String> maskedFields = new ArrayList<>();

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public int getMaxChars() { return maxChars; }
        public void setMaxChars(int maxChars) { this.maxChars = maxChars; }
        public List<String> getMaskedFields() { return maskedFields; }
        public void setMaskedFields(List<String> maskedFields) { this.maskedFields = maskedFields; }
    }

    public static class Retention {
        /** entries older than this are deleted */
        private Duration maxAge = Duration.ofDays(30);
        /** how often the retention job runs */
        private Duration period = Duration.ofHours(1);
        /** rows per DELETE */
        private int batchSize = 5000;
        /** pause between two DELETE batches */
        private Duration pause = Duration.ofMillis(200);

        public Duration getMaxAge() { return maxAge; }
        public void setMaxAge(Duration maxAge) { this.maxAge = maxAge; }
        public Duration getPeriod() { return period; }
        public void setPeriod(Duration period) { this.period = period; }
        public int getBatchSize() { return batchSize; }
        public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
        public Duration getPause() { return pause; }
        public void setPause(Duration pause) { this.pause = pause; }
    }

    /**
     * One classification rule: a step matches when every given condition holds. {@code scheme} is the endpoint
     * scheme of a to/toD step (e.g. {@code kafka}), {@code uri-prefix} the start of its URI, {@code step} a regular
     * expression on the node id.
     */
    public static class StepRule {
        private String scheme;
        private String uriPrefix;
        private String step;
        private Hop hop;
        /** fixed target name; default: the endpoint the step sent to */
        private String target;

        public StepRule() {
        }

        public StepRule(String scheme, String uriPrefix, String step, Hop hop, String target) {
            this.scheme = scheme;
            this.uriPrefix = uriPrefix;
            this.step = step;
            this.hop = hop;
            this.target = target;
        }

        public String getScheme() { return scheme; }
        public void setScheme(String scheme) { this.scheme = scheme; }
        public String getUriPrefix() { return uriPrefix; }
        public void setUriPrefix(String uriPrefix) { this.uriPrefix = uriPrefix; }
        public String getStep() { return step; }
        public void setStep(String step) { this.step = step; }
        public Hop getHop() { return hop; }
        public void setHop(Hop hop) { this.hop = hop; }
        public String getTarget() { return target; }
        public void setTarget(String target) { this.target = target; }
    }

    public static class StepSetting {
        /** the hop this step records; NONE-like opt out: set {@code skip: true} */
        private Hop hop;
        private boolean skip;
        /** target system name, e.g. erp */
        private String target;
        /** Simple expression giving the target's id after the step, e.g. ${exchangeProperty.erp[so_no]} */
        private String targetId;

        public Hop getHop() { return hop; }
        public void setHop(Hop hop) { this.hop = hop; }
        public boolean isSkip() { return skip; }
        public void setSkip(boolean skip) { this.skip = skip; }
        public String getTarget() { return target; }
        public void setTarget(String target) { this.target = target; }
        public String getTargetId() { return targetId; }
        public void setTargetId(String targetId) { this.targetId = targetId; }
    }

    public static class FlowSetting {
        /** key name -> expressions tried in order (Simple, e.g. ${exchangeProperty.orderId} or ${jsonpath($.orderId)}) */
        private Map<String, List<String>> keys = new LinkedHashMap<>();

        public Map<String, List<String>> getKeys() { return keys; }
        public void setKeys(Map<String, List<String>> keys) { this.keys = keys; }
    }

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Writer getWriter() { return writer; }
    public Payload getPayload() { return payload; }
    public Retention getRetention() { return retention; }
    public List<String> getReceivedSchemes() { return receivedSchemes; }
    public void setReceivedSchemes(List<String> receivedSchemes) { this.receivedSchemes = receivedSchemes; }
    public List<String> getReceivedIgnoredHttpMethods() { return receivedIgnoredHttpMethods; }
    public void setReceivedIgnoredHttpMethods(List<String> m) { this.receivedIgnoredHttpMethods = m; }
    public List<String> getReceivedIgnoredRoutes() { return receivedIgnoredRoutes; }
    public void setReceivedIgnoredRoutes(List<String> receivedIgnoredRoutes) { this.receivedIgnoredRoutes = receivedIgnoredRoutes; }
    public List<String> getCorrelation() { return correlation; }
    public void setCorrelation(List<String> correlation) { this.correlation = correlation; }
    public List<StepRule> getRules() { return rules; }
    public void setRules(List<StepRule> rules) { this.rules = rules; }
    public Map<String, StepSetting> getSteps() { return steps; }
    public void setSteps(Map<String, StepSetting> steps) { this.steps = steps; }
    public Map<String, FlowSetting> getFlows() { return flows; }
    public void setFlows(Map<String, FlowSetting> flows) { this.flows = flows; }
    public int getMaxResults() { return maxResults; }
    public void setMaxResults(int maxResults) { this.maxResults = maxResults; }
}
