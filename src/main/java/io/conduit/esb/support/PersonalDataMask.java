package io.conduit.esb.support;

import org.apache.camel.spi.MaskingFormatter;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Masks personal data (e-mail addresses, person names) in log text. Registered as Camel's custom log mask
 * ({@value MaskingFormatter#CUSTOM_LOG_MASK_REF}), so every route with {@code logMask: true} has its {@code log}
 * steps masked; Java code calls {@link #mask(String)} before logging text that may hold personal data (such as a
 * target system's error message).
 * <p>
 * Camel's {@code DefaultMaskingFormatter} masks only values of keywords given as {@code key=value}/JSON, not e-mail
 * addresses inside free text, and Logback has no masking of its own; the masking itself is the journal's
 * {@link PayloadMask}, here with the name fields and no size limit:
 * <ul>
 *   <li>e-mail addresses keep their first character and domain: {@code a***@example.com};</li>
 *   <li>JSON values and {@code key=value} pairs of name fields ({@code name}, {@code fullName},
 *       {@code displayName}, {@code full_nm}, {@code full_name}) become {@code ***}.</li>
 * </ul>
 * Masking cannot fail on any text (plain character loops, see {@link PayloadMask}); should it fail all the same,
 * the text is replaced by {@value #NOT_SHOWN} rather than logged unmasked or thrown into the route whose
 * {@code log} step asked (a log line must never change a message's outcome).
 */
@Component(MaskingFormatter.CUSTOM_LOG_MASK_REF)
public class PersonalDataMask implements MaskingFormatter {

    static final String NOT_SHOWN = "[text not shown: masking failed]";
    private static final PayloadMask NAMES_AND_EMAILS =
            new PayloadMask(List.of("name", "fullName", "displayName", "full_nm", "full_name"), 0);

    @Override
    public String format(String source) {
        return mask(source);
    }

    /** The text with e-mail addresses and name values masked; null stays null. */
    public static String mask(String text) {
        try {
            return NAMES_AND_EMAILS.apply(text);
        } catch (RuntimeException | StackOverflowError e) {
            return NOT_SHOWN;
        }
    }
}
