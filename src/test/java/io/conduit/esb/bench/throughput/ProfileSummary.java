package io.conduit.esb.bench.throughput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads an async-profiler collapsed-stack file (bench/profile.sh: one line per distinct stack, thread first, then the
 * frames from the root, then the sample count) and prints where the CPU went: the share of samples in each part of
 * the ESB (a sample counts for every part whose marker frame is on its stack, so the parts overlap: the route runs
 * inside the HTTP request), per thread group, and the hottest frames by self time.
 * <pre>
 * ProfileSummary FILE.collapsed
 * </pre>
 */
public final class ProfileSummary {

    /** part of the ESB -> a frame that marks it (substring of the frame's name) */
    private static final Map<String, List<String>> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("HTTP request, all of it (Tomcat)", List.of("NioEndpoint$SocketProcessor.doRun"));
        PARTS.put("  Spring Security filter chain, with what it wraps", List.of("security/web/FilterChainProxy.doFilter"));
        PARTS.put("  Spring MVC dispatch, with what it wraps", List.of("DispatcherServlet.doService"));
        // the credential check alone, not the filter chain it wraps: HTTP Basic (Spring Security's provider with the
        // ESB's cached password check, the header's decoding) and signed webhooks (HMAC, timestamp, the nonce's insert)
        PARTS.put("  authentication: the credential check itself", List.of("ProviderManager.authenticate",
                "BasicAuthenticationConverter.convert", "SourceAuthenticationFilter.checkSignature"));
        PARTS.put("  handler lookup (Spring MVC and Spring Security)", List.of("AbstractHandlerMethodMapping.lookupHandlerMethod",
                "HandlerMappingIntrospector.setCache"));
        PARTS.put("  HTTP observation (request metrics)", List.of("ServerHttpObservationFilter$ObservationAsyncListener",
                "ServerHttpObservationFilter.createOrFetchObservation"));
        PARTS.put("Camel route from platform-http", List.of("SpringBootPlatformHttpConsumer.handleService"));
        PARTS.put("Camel route from a Kafka consumer", List.of("KafkaRecordStreamingProcessor.processExchange",
                "KafkaRecordBatchingProcessor.processExchange"));
        PARTS.put("Kafka offset commits (after processing)", List.of("consumer/SyncCommitManager.commit",
                "consumer/AsyncCommitManager.commit"));
        PARTS.put("Camel route from a timer or scheduler (pollers)", List.of("TimerConsumer.sendTimerExchange", "SchedulerConsumer.sendTimerExchange"));
        PARTS.put("Camel route from JMS", List.of("EndpointMessageListener.onMessage"));
        PARTS.put("  sql: steps", List.of("component/sql/SqlProducer.process"));
        PARTS.put("    of which asking PostgreSQL for the parameter count", List.of("getParameterMetaData"));
        PARTS.put("  JSONata mappings", List.of("esb/mapping/MappingProducer.process"));
        PARTS.put("  JSON schema validation", List.of("networknt/schema/JsonSchema.validate"));
        PARTS.put("  Kafka send", List.of("camel/component/kafka/KafkaProducer.process"));
        PARTS.put("  HTTP calls to systems", List.of("camel/component/http/HttpProducer.process"));
        PARTS.put("  journal capture (hops)", List.of("JournalInterceptStrategy$HopProcessor.lambda", "HopRecorder.received"));
        PARTS.put("  Camel per-step statistics (JMX)", List.of("ManagedPerformanceCounter", "DefaultInstrumentationProcessor.recordTime"));
        PARTS.put("journal writer (batched inserts)", List.of("JdbcJournal.runWriter"));
        PARTS.put("Kafka consumer poll", List.of("ClassicKafkaConsumer.poll"));
        PARTS.put("embedded Kafka broker", List.of("kafka/server/KafkaRequestHandler.run", "kafka/network/Processor.run"));
        PARTS.put("embedded Artemis broker", List.of("activemq/artemis/core/server"));
        PARTS.put("JIT compiler", List.of("CompileBroker::compiler_thread_loop"));
        PARTS.put("garbage collector", List.of("GangWorker::run", "G1ConcurrentRefineThread", "ConcurrentGCThread::run",
                "G1YoungCollector", "WorkerThread::run"));
    }

    private static final Pattern SUFFIX = Pattern.compile("_\\[[jik0-9]]$");

    public static void main(String[] args) throws IOException {
        long total = 0;
        Map<String, Long> parts = new LinkedHashMap<>();
        PARTS.keySet().forEach(p -> parts.put(p, 0L));
        Map<String, Long> threads = new TreeMap<>();
        Map<String, Long> self = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            long n = Long.parseLong(line.substring(space + 1).trim());
            String[] frames = line.substring(0, space).split(";");
            total += n;
            String thread = frames[0].startsWith("[") ? threadGroup(frames[0]) : "(no thread name)";
            threads.merge(thread, n, Long::sum);
            self.merge(SUFFIX.matcher(frames[frames.length - 1]).replaceAll(""), n, Long::sum);
            Set<String> hit = new HashSet<>();
            for (String frame : frames) {
                PARTS.forEach((part, markers) -> {
                    if (!hit.contains(part) && markers.stream().anyMatch(frame::contains)) {
                        hit.add(part);
                    }
                });
            }
            for (String part : hit) {
                parts.merge(part, n, Long::sum);
            }
        }
        System.out.printf("profile: %d samples (%s)%n", total, args[0]);
        System.out.println("share of CPU samples by part of the ESB (parts nest: a route runs inside its HTTP request)");
        final long all = total;
        parts.forEach((part, n) -> System.out.printf("  %5.1f %%  %s%n", 100.0 * n / all, part));
        System.out.println("by thread group");
        top(threads, 12).forEach(e -> System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
        System.out.println("hottest frames (self)");
        top(self, 30).forEach(e -> System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / all, e.getKey()));
    }

    /** A thread's name without its numbers, so pools add up: "[http-nio-18180-exec-7 tid=123]" -> "http-nio-N-exec-N". */
    static String threadGroup(String frame) {
        String name = frame.substring(1, frame.length() - 1).replaceAll(" tid=\\d+$", "");
        return name.replaceAll("\\d+", "N");
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        return entries.subList(0, Math.min(n, entries.size()));
    }
}
