package io.conduit.esb.mapping;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;

import java.time.Instant;

/**
 * One version of a mapping, compiled once and safe to evaluate from many threads at once. See
 * {@link MappingEngine} for why the compiled {@link Jsonata} is not used as the library intends: in short, every
 * evaluation gets its own root frame, the expression is never its compiling thread's "current" instance, and
 * {@code $now()}/{@code $millis()} are bound per evaluation.
 */
final class CompiledMapping {

    /** Compiled right after each mapping to take over the compiling thread's "current instance" slot. */
    private static final String PLACEHOLDER_EXPRESSION = "$";

    private final MappingSource source;
    private final MappingSource.Stamp stamp;
    private final String text;
    private final Jsonata expression;
    private final Instant compiledAt = Instant.now();
    private volatile long nextCheckNanos;

    private CompiledMapping(MappingSource source, MappingSource.Stamp stamp, String text, Jsonata expression) {
        this.source = source;
        this.stamp = stamp;
        this.text = text;
        this.expression = expression;
    }

    /**
     * Compiles the mapping's text. The stamp is taken before reading, so a change while reading is seen at the
     * next check.
     */
    static CompiledMapping compile(MappingSource source) {
        MappingSource.Stamp stamp = source.stamp();
        String text = source.read();
        Jsonata expression;
        try {
            expression = Jsonata.jsonata(text);
        } catch (JException e) {
            throw new MappingException(source.name(), "syntax error " + TextPosition.describe(text, e.getLocation())
                    + ": " + e.getMessage() + " [" + e.getError() + "] in " + source.location(), e);
        } finally {
            // The Jsonata constructor makes the new instance this thread's "current" one, which the library then
            // uses as scratch state for every evaluation on this thread. Hand that role to a throw-away instance.
            Jsonata.jsonata(PLACEHOLDER_EXPRESSION);
        }
        if (expression.getErrors() != null && !expression.getErrors().isEmpty()) {
            throw new MappingException(source.name(), "syntax error: " + expression.getErrors().get(0).getMessage()
                    + " in " + source.location(), expression.getErrors().get(0));
        }
        return new CompiledMapping(source, stamp, text, expression);
    }

    /** Evaluates the mapping on JSON-like Java input (Maps, Lists, Strings, Numbers, Booleans, null). */
    Object evaluate(Object input) {
        Jsonata.Frame call = expression.createFrame();
        long now = System.currentTimeMillis();
        call.bind("millis", Jsonata.function("millis", () -> now, "<:n>"));
        call.bind("now", Jsonata.function("now",
                (String picture, String zone) -> Functions.dateTimeFromMillis(now, picture, zone), "<s?s?:s>"));
        try {
            return expression.evaluate(input, call);
        } catch (JException e) {
            String where = e.getLocation() >= 0 ? " " + TextPosition.describe(text, e.getLocation()) : "";
            throw new MappingException(source.name(), "evaluation failed" + where + ": " + e.getMessage()
                    + " [" + e.getError() + "]", e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new MappingException(source.name(), "evaluation failed: " + e, e);
        }
    }

    MappingSource source() {
        return source;
    }

    MappingSource.Stamp stamp() {
        return stamp;
    }

    /** The text this version was compiled from. */
    String text() {
        return text;
    }

    Instant compiledAt() {
        return compiledAt;
    }

    /** True when the source's stamp should be compared again ({@code checkIntervalNanos} since the last check). */
    boolean checkDue(long nowNanos) {
        return nowNanos - nextCheckNanos >= 0;
    }

    void checked(long nowNanos, long checkIntervalNanos) {
        nextCheckNanos = nowNanos + checkIntervalNanos;
    }
}
