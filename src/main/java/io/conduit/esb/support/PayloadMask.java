package io.conduit.esb.support;

import java.util.BitSet;
import java.util.Collection;
import java.util.List;

/**
 * Masks personal data in text: the values of the given fields, as JSON (at any depth; strings, numbers and
 * booleans) or as {@code key=value}, become {@code ***}; e-mail addresses anywhere keep only their first character
 * and domain ({@code a***@example.com}); then the text is cut to the given size (0 = no limit). The journal masks
 * every payload it stores with it, {@link PersonalDataMask} masks log text with it.
 * <p>
 * Three forward scans with plain character loops, no regular expressions and no recursion, so the time is linear in
 * the length of the text and the stack depth is constant, whatever the text holds. The text is whatever a caller
 * sent (a payload may be partial, not JSON, or hostile): the regular expressions this replaced
 * ({@code "(?:[^"\\]|\\.)*"} for a JSON string) recursed once per character of a value, so a name of about 2,000
 * characters overflowed the stack. A JSON parser is no alternative either: the text need not be JSON, and a
 * parse costs more on every hop of every message. The scans match exactly what those expressions matched:
 * <ul>
 *   <li>JSON: {@code "field"}, optional whitespace, {@code :}, optional whitespace, then a string (up to its first
 *       unescaped quote; a backslash escapes any character but a line break), a number ({@code -?[0-9][0-9.eE+-]*})
 *       or {@code true}/{@code false}; the value becomes {@code "***"}. An unterminated string is left alone;</li>
 *   <li>{@code key=value}: {@code field=} starting at a word boundary, its value up to the next <code>, ; &#125; ]</code> or
 *       line feed becomes {@code ***};</li>
 *   <li>e-mail addresses: found from their {@code @}.</li>
 * </ul>
 * A 0.5 KB order takes a few microseconds, a megabyte some milliseconds.
 */
public final class PayloadMask {

    static final String MASK = "\"***\"";
    private final String[] names;
    /** first characters of the names: a key=value match can only start at one of them */
    private final BitSet firstChars = new BitSet();
    private final int maxChars;

    public PayloadMask(Collection<String> maskedFields, int maxChars) {
        this.maxChars = maxChars;
        List<String> distinct = maskedFields == null ? List.of()
                : maskedFields.stream().filter(f -> f != null && !f.isBlank()).map(String::trim).distinct().toList();
        this.names = distinct.toArray(String[]::new);
        for (String name : names) {
            firstChars.set(name.charAt(0));
        }
    }

    /** The masked, truncated text; null stays null. */
    public String apply(String payload) {
        if (payload == null) {
            return null;
        }
        String masked = payload;
        if (names.length > 0 && masked.indexOf('"') >= 0) {
            masked = maskJsonValues(masked);
        }
        if (names.length > 0 && masked.indexOf('=') >= 0) {
            masked = maskKeyValues(masked);
        }
        if (masked.indexOf('@') >= 0) {
            masked = maskEmails(masked);
        }
        if (maxChars > 0 && masked.length() > maxChars) {
            return masked.substring(0, maxChars) + "...[" + (masked.length() - maxChars) + " more chars]";
        }
        return masked;
    }

    // --- JSON: "field" : value

    /**
     * Every {@code "field" : value} of a masked field gets {@code "***"} as its value. Tried at every quote, left to
     * right; after a match the search goes on behind the value.
     */
    private String maskJsonValues(String text) {
        StringBuilder out = null;
        int copied = 0;
        int quote = text.indexOf('"');
        while (quote >= 0) {
            int next = quote + 1;
            for (String name : names) {
                int value = valueAfterName(text, quote, name);
                int end = value < 0 ? -1 : valueEnd(text, value);
                if (end >= 0) {
                    if (out == null) {
                        out = new StringBuilder(text.length());
                    }
                    out.append(text, copied, value).append(MASK);
                    copied = end;
                    next = end;
                    break;
                }
            }
            quote = next < text.length() ? text.indexOf('"', next) : -1;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** Where the value starts if {@code "name"}, whitespace, colon, whitespace start at {@code quote}; else -1. */
    private static int valueAfterName(String text, int quote, String name) {
        int close = quote + 1 + name.length();
        if (close >= text.length() || text.charAt(close) != '"' || !text.startsWith(name, quote + 1)) {
            return -1;
        }
        int i = skipWhitespace(text, close + 1);
        if (i >= text.length() || text.charAt(i) != ':') {
            return -1;
        }
        return skipWhitespace(text, i + 1);
    }

    /** Java's {@code \s}: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static int skipWhitespace(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\u000B' && c != '\f' && c != '\r') {
                break;
            }
            i++;
        }
        return i;
    }

    /** The end (exclusive) of a JSON string, number, true or false starting at {@code start}; -1 if none does. */
    private static int valueEnd(String text, int start) {
        if (start >= text.length()) {
            return -1;
        }
        char c = text.charAt(start);
        if (c == '"') {
            return stringEnd(text, start);
        }
        if (c == '-' || isDigit(c)) {
            int i = c == '-' ? start + 1 : start;
            if (i >= text.length() || !isDigit(text.charAt(i))) {
                return -1;
            }
            i++;
            while (i < text.length() && isNumberPart(text.charAt(i))) {
                i++;
            }
            return i;
        }
        if (text.startsWith("true", start)) {
            return start + 4;
        }
        if (text.startsWith("false", start)) {
            return start + 5;
        }
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNumberPart(char c) {
        return isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    }

    /**
     * The index after the closing quote of the JSON string whose opening quote is at {@code open}; -1 if it has
     * none (no closing quote, or a backslash before a line break or at the end of the text). A string that has no
     * end is scanned once (per field name matched before it): every quote inside it is escaped, and the opening quote of a later value follows a colon
     * or whitespace, never a backslash, so no later value starts inside it.
     */
    private static int stringEnd(String text, int open) {
        int i = open + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                // the regular expression's \\. : any character but a line terminator may be escaped
                if (i + 1 >= text.length() || isLineTerminator(text.charAt(i + 1))) {
                    return -1;
                }
                i += 2;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** What {@code .} does not match without DOTALL. */
    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    // --- key=value

    /**
     * Every {@code field=value} of a masked field, starting at a word boundary, gets {@code ***} as its value: the
     * form of a Java map's {@code toString}, e.g. SQL rows built by a mapping.
     */
    private String maskKeyValues(String text) {
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < text.length()) {
            if (!firstChars.get(text.charAt(i))) {
                i++;
                continue;
            }
            int value = valueAfterKey(text, i);
            if (value < 0) {
                i++;
                continue;
            }
            int end = value;
            while (end < text.length() && !endsKeyValue(text.charAt(end))) {
                end++;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, value).append("***");
            copied = end;
            i = end;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    /** Where the value starts if a masked {@code name=} starts at {@code i} on a word boundary; else -1. */
    private int valueAfterKey(String text, int i) {
        for (String name : names) {
            int equals = i + name.length();
            if (equals < text.length() && text.charAt(equals) == '=' && text.startsWith(name, i)) {
                return isWordBoundary(text, i) ? equals + 1 : -1;
            }
        }
        return -1;
    }

    private static boolean endsKeyValue(char c) {
        return c == ',' || c == ';' || c == '}' || c == ']' || c == '\n';
    }

    /**
     * Java's {@code \b} (JDK 17, without UNICODE_CHARACTER_CLASS): a word character (letter, digit, underscore, or a
     * combining mark on a letter or digit) on exactly one side of {@code i}.
     */
    static boolean isWordBoundary(String text, int i) {
        boolean left = false;
        if (i > 0) {
            int before = Character.codePointBefore(text, i);
            left = isWord(before) || (Character.getType(before) == Character.NON_SPACING_MARK && hasBase(text, i - 1));
        }
        boolean right = false;
        if (i < text.length()) {
            int at = Character.codePointAt(text, i);
            right = isWord(at) || (Character.getType(at) == Character.NON_SPACING_MARK && hasBase(text, i));
        }
        return left != right;
    }

    private static boolean isWord(int codePoint) {
        return codePoint == '_' || Character.isLetterOrDigit(codePoint);
    }

    /**
     * Whether the combining marks ending at {@code i} sit on a letter or digit. Walks back over one run of marks
     * only: a key=value match starts at a name's first character and ends behind it, so each run is walked by the
     * one candidate that follows it.
     */
    private static boolean hasBase(String text, int i) {
        for (int x = i; x >= 0; x--) {
            int c = Character.codePointAt(text, x);
            if (Character.isLetterOrDigit(c)) {
                return true;
            }
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                return false;
            }
        }
        return false;
    }

    // --- e-mail addresses

    /** {@code anna.schmidt@example.com} becomes {@code a***@example.com}; text without a domain after @ stays. */
    static String maskEmails(String text) {
        StringBuilder out = null;
        int copied = 0;
        int at = text.indexOf('@');
        while (at >= 0) {
            // the local part runs back to the previous non-local character, at the latest the previous @: each
            // character is walked back over once, and forward (domain) once
            int start = at;
            while (start > 0 && isLocal(text.charAt(start - 1))) {
                start--;
            }
            int end = at + 1;
            int lastDot = -1;
            while (end < text.length() && isDomain(text.charAt(end))) {
                if (text.charAt(end) == '.') {
                    lastDot = end;
                }
                end++;
            }
            while (end > at + 1 && text.charAt(end - 1) == '.') {
                end--;
            }
            boolean email = start < at && lastDot > at + 1 && lastDot < end - 2;
            if (email) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(text, copied, start + 1).append("***");
                copied = at;
            }
            at = text.indexOf('@', Math.max(end, at + 1));
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static boolean isLocal(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean isDomain(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '-';
    }
}
