package io.conduit.esb.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the ESB's JSONata mappings ({@code mappings/<system>/<entity>-<direction>.jsonata}) on JSON messages.
 * Routes use it through the {@code mapping:} Camel component ({@link MappingComponent}); other Java code calls
 * {@link #map(String, Object)} or {@link #mapToJson(String, Object)} directly.
 * <p>
 * <b>Compile once, reload on change.</b> camel-jsonata parses the expression again for every message; this engine
 * compiles each mapping once and keeps it. Before a cached mapping is used, the file's last-modified time and size
 * are compared with those it was compiled from (at most once every {@code esb.mappings.reload-check-ms} ms per
 * mapping, default 1000; 0 checks on every call), and a changed file is compiled again, so a fixed mapping takes
 * effect without a restart. A file that disappears or no longer compiles fails every call until it is fixed: the
 * file is the truth, an older compiled version is not used in its place. Mappings on the classpath inside a jar
 * never change.
 * <p>
 * <b>Thread safety of com.dashjoin:jsonata 0.9.9 (read from its source and measured).</b> A compiled
 * {@code Jsonata} is <em>not</em> safe to evaluate concurrently, nor even to reuse on one thread, through its plain
 * {@code evaluate(input)}:
 * <ol>
 *   <li>{@code evaluate(input)} binds the input as {@code $$} in the instance's own root frame (a
 *       {@code LinkedHashMap} shared by all callers), so concurrent evaluations read each other's input: with
 *       8 threads, 45,275 of 200,000 evaluations of {@code items.{'id': $$.id}} returned another message's id.
 *       Top-level {@code $x := ...} bindings land in the same shared frame.</li>
 *   <li>The library's own per-thread workaround keeps scratch state ({@code input}, {@code environment}) in a
 *       static {@code ThreadLocal} "current instance", which the {@code Jsonata} constructor sets to the new
 *       instance. On the thread that compiled an expression, every evaluation therefore overwrites the expression's
 *       root frame with the last frame it used: the frame chain grows by one per evaluation (1,000 evaluations,
 *       1,002 frames), which leaks memory, slows variable look-up, and lets a variable of one message be seen by
 *       the next. A plain per-thread copy compiled on each thread has exactly this problem.</li>
 *   <li>{@code $now()} and {@code $millis()} read the timestamp of the thread's "current instance", which on any
 *       other thread is a copy frozen at that thread's first evaluation, so they return a stale time.</li>
 * </ol>
 * The AST itself is not changed by evaluation, and the parser is per thread. {@link CompiledMapping} therefore
 * keeps <em>one</em> compiled instance per mapping version and makes it safe: each evaluation passes its own frame
 * (so {@code $$} and top-level bindings are per call), a throw-away expression is compiled right after each mapping
 * so the mapping is never a thread's "current instance" (so its root frame is never written after compilation),
 * and {@code $now()}/{@code $millis()} are bound in the call's frame to the evaluation's start time. With these,
 * the 200,000 concurrent evaluations above all return the right result and the frame chain stays at 2.
 * <p>
 * Input may be JSON text ({@code String}, {@code byte[]}, {@code InputStream}, {@code Reader}), a Jackson
 * {@link JsonNode}, or Maps/Lists of JSON values; any other object is converted with Jackson first (e.g. a
 * canonical record). Output is plain Java: Map, List, String, Number, Boolean or null (JSONata's "nothing").
 * Errors are {@link MappingException}s, which are not worth retrying.
 */
@Component
public class MappingEngine {

    /**
     * Reads input and writes output. Deliberately without modules: the application's mapper may have modules (the
     * Scala one comes with Kafka) that read JSON objects as something other than the {@code java.util.Map}
     * JSONata needs.
     */
    private static final ObjectMapper PLAIN_JSON = JsonMapper.builder().build();

    private final MappingLocator locator;
    private final long checkIntervalNanos;
    private final ObjectMapper objects;
    private final Map<String, CompiledMapping> cache = new ConcurrentHashMap<>();
    private final AtomicLong compilations = new AtomicLong();

    /**
     * @param baseDir              the mappings folder ({@code esb.mappings.dir}): relative to the working directory,
     *                             absolute, or {@code classpath:folder}
     * @param reloadCheckMillis    how often, at most, a mapping file's stamp is checked
     *                             ({@code esb.mappings.reload-check-ms}); 0 checks on every call
     * @param objects              the application's ObjectMapper, used to turn objects given as input (e.g.
     *                             canonical records) into JSON the way the rest of the application would
     */
    @Autowired
    public MappingEngine(@Value("${esb.mappings.dir:mappings}") String baseDir,
                         @Value("${esb.mappings.reload-check-ms:1000}") long reloadCheckMillis,
                         ObjectMapper objects) {
        if (reloadCheckMillis < 0) {
            throw new IllegalArgumentException("esb.mappings.reload-check-ms must be >= 0: " + reloadCheckMillis);
        }
        this.locator = new MappingLocator(baseDir);
        this.checkIntervalNanos = TimeUnit.MILLISECONDS.toNanos(reloadCheckMillis);
        this.objects = objects;
    }

    /** An engine with the default check interval (1 s) and an ObjectMapper with Java time support. */
    public MappingEngine(String baseDir) {
        this(baseDir, 1000, JsonMapper.builder().addModule(new JavaTimeModule()).build());
    }

    /**
     * Runs a mapping.
     *
     * @param mappingName path of the mapping file relative to the mappings folder,
     *                    e.g. {@code crm/opportunity-to-order.jsonata}
     * @param input       JSON text, a JsonNode, Maps/Lists, or an object Jackson can convert
     * @return the result as Map/List/String/Number/Boolean, or null if the mapping produced nothing
     * @throws MappingException if the mapping is missing or invalid, the input is not JSON, or evaluation fails
     */
    public Object map(String mappingName, Object input) {
        CompiledMapping mapping = compiled(mappingName);
        return mapping.evaluate(toJsonValue(mappingName, input));
    }

    /** Runs a mapping and writes its result as JSON text ({@code null} when it produced nothing). */
    public String mapToJson(String mappingName, Object input) {
        Object result = map(mappingName, input);
        try {
            return PLAIN_JSON.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new MappingException(mappingName, "result cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Loads and compiles a mapping now, if it is not already, so a missing or broken file fails at startup rather
     * than at the first message.
     *
     * @throws MappingException if the file is missing or does not compile
     */
    public void prepare(String mappingName) {
        compiled(mappingName);
    }

    /** How many times a mapping file has been compiled (first use and every reload, failed attempts included). */
    public long compilations() {
        return compilations.get();
    }

    /** The mappings base this engine reads from (absolute folder or {@code classpath:} location). */
    public String baseLocation() {
        return locator.describe();
    }

    /** How often, at most, a mapping file's stamp is compared with the compiled version's (ms). */
    public long reloadCheckMillis() {
        return TimeUnit.NANOSECONDS.toMillis(checkIntervalNanos);
    }

    /** The mappings folder this engine reads, or null when its base is a {@code classpath:} location. */
    java.nio.file.Path folder() {
        return locator.folder();
    }

    /**
     * The version of a mapping the ESB runs now: the cached one, or the file compiled again when its stamp changed
     * (checked as for every message, at most every {@code reload-check-ms}).
     *
     * @throws MappingException if the file is missing or does not compile
     */
    CompiledMapping current(String mappingName) {
        return compiled(mappingName);
    }

    private CompiledMapping compiled(String mappingName) {
        CompiledMapping cached = cache.get(mappingName);
        if (cached != null && isCurrent(cached)) {
            return cached;
        }
        return cache.compute(mappingName, (name, present) ->
                present != null && present != cached && isCurrent(present) ? present : compile(name));
    }

    private boolean isCurrent(CompiledMapping mapping) {
        long now = System.nanoTime();
        if (checkIntervalNanos > 0 && !mapping.checkDue(now)) {
            return true;
        }
        if (!mapping.source().stamp().equals(mapping.stamp())) {
            return false;
        }
        mapping.checked(now, checkIntervalNanos);
        return true;
    }

    private CompiledMapping compile(String mappingName) {
        compilations.incrementAndGet();
        CompiledMapping mapping = CompiledMapping.compile(locator.locate(mappingName));
        mapping.checked(System.nanoTime(), checkIntervalNanos);
        return mapping;
    }

    private Object toJsonValue(String mappingName, Object input) {
        try {
            if (input == null || input instanceof String || input instanceof Number || input instanceof Boolean) {
                return input instanceof String text ? PLAIN_JSON.readValue(text, Object.class) : input;
            }
            if (input instanceof byte[] bytes) {
                return PLAIN_JSON.readValue(bytes, Object.class);
            }
            if (input instanceof InputStream stream) {
                return PLAIN_JSON.readValue(stream, Object.class);
            }
            if (input instanceof Reader reader) {
                return PLAIN_JSON.readValue(reader, Object.class);
            }
            if (input instanceof CharSequence text) {
                return PLAIN_JSON.readValue(text.toString(), Object.class);
            }
            if (input instanceof JsonNode node) {
                return PLAIN_JSON.treeToValue(node, Object.class);
            }
            if ((input instanceof Map<?, ?> || input instanceof Collection<?>) && JsonValues.isPlainJson(input)) {
                return input;
            }
            return PLAIN_JSON.treeToValue(objects.valueToTree(input), Object.class);
        } catch (JsonProcessingException e) {
            throw new MappingException(mappingName, "input is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MappingException(mappingName, "input cannot be read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new MappingException(mappingName, "input cannot be converted to JSON: " + e.getMessage(), e);
        }
    }
}
