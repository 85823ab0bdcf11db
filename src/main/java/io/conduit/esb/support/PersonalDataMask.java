package io.conduit.esb.support;

import org.apache.camel.spi.MaskingFormatter;
import org.springframework.stereotype.Component;

import java.util.regex.Pattern;

/**
 * Masks personal data (e-mail addresses, person names) in log text. Registered as Camel's custom log mask
 * ({@value MaskingFormatter#CUSTOM_LOG_MASK_REF}), so every route with {@code logMask: true} has its {@code log}
 * steps masked; Java code calls {@link #mask(String)} before logging text that may hold personal data (such as a
 * target system's error message).
 * <p>
 * Hand-written because Camel's {@code DefaultMaskingFormatter} masks only values of keywords given as
 * {@code key=value}/JSON, not e-mail addresses inside free text, and Logback has no masking of its own.
 * <ul>
 *   <li>e-mail addresses keep their first character and domain: {@code a***@example.com};</li>
 *   <li>JSON string values and {@code key=value} pairs of name fields ({@code name}, {@code fullName},
 *       {@code displayName}, {@code full_nm}, {@code full_name}) become {@code ***}.</li>
 * </ul>
 */
@Component(MaskingFormatter.CUSTOM_LOG_MASK_REF)
public class PersonalDataMask implements MaskingFormatter {

    private static final Pattern EMAIL = Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\\.[A-Za-z]{2,})");
    private static final String NAME_KEYS = "name|fullName|displayName|full_nm|full_name";
    private static final Pattern JSON_NAME = Pattern.compile("(\"(?:" + NAME_KEYS + ")\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern KEY_VALUE_NAME = Pattern.compile("\\b((?:" + NAME_KEYS + ")=)[^,;}\\]\\n]*");

    @Override
    public String format(String source) {
        return mask(source);
    }

    /** The text with e-mail addresses and name values masked; null stays null. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = EMAIL.matcher(text).replaceAll("$1***@$2");
        masked = JSON_NAME.matcher(masked).replaceAll("$1\"***\"");
        return KEY_VALUE_NAME.matcher(masked).replaceAll("$1***");
    }
}
