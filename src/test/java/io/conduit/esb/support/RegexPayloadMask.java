package io.conduit.esb.support;

import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The masking as it was before {@link PayloadMask} became a scanner: regular expressions. Kept only as the reference
 * the scanner must agree with, on texts short enough for it (a JSON string value of a few thousand characters
 * overflows its stack, which is why it was replaced).
 */
final class RegexPayloadMask {

    private final List<String> quotedFields;
    private final Pattern fields;
    private final List<String> keyValueFields;
    private final Pattern keyValues;
    private final int maxChars;

    RegexPayloadMask(Collection<String> maskedFields, int maxChars) {
        this.maxChars = maxChars;
        List<String> names = maskedFields.stream().filter(f -> f != null && !f.isBlank()).map(String::trim)
                .distinct().toList();
        this.quotedFields = names.stream().map(n -> "\"" + n + "\"").toList();
        this.fields = names.isEmpty() ? null : Pattern.compile("(\"(?:"
                + names.stream().map(Pattern::quote).collect(Collectors.joining("|"))
                + ")\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9][0-9.eE+-]*|true|false)");
        this.keyValueFields = names.stream().map(n -> n + "=").toList();
        this.keyValues = names.isEmpty() ? null : Pattern.compile("\\b((?:"
                + names.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")=)[^,;}\\]\\n]*");
    }

    String apply(String payload) {
        if (payload == null) {
            return null;
        }
        String masked = payload;
        if (fields != null && containsAny(masked, quotedFields)) {
            masked = fields.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(PayloadMask.MASK));
        }
        if (keyValues != null && masked.indexOf('=') >= 0 && containsAny(masked, keyValueFields)) {
            masked = keyValues.matcher(masked).replaceAll("$1***");
        }
        if (masked.indexOf('@') >= 0) {
            masked = PayloadMask.maskEmails(masked);
        }
        if (maxChars > 0 && masked.length() > maxChars) {
            return masked.substring(0, maxChars) + "...[" + (masked.length() - maxChars) + " more chars]";
        }
        return masked;
    }

    private static boolean containsAny(String text, List<String> needles) {
        return needles.stream().anyMatch(text::contains);
    }
}
