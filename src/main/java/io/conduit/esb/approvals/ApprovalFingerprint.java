package io.conduit.esb.approvals;

import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the approvers of a request see, as one hash (bean {@code approvalFingerprint}): SHA-256 of the canonical JSON
 * of {@code journey, department, amount, currency, subject} of an ApprovalRequest, keys sorted at every depth and
 * numbers without trailing zeros (10 and 10.00 hash alike). {@code context} (the ERP's remaining budget, which moves
 * with other requisitions) and the request's own metadata (status, changedAt) are left out, so only a change of
 * what was asked starts the approval again. An ERP with a revision number bumps it exactly then; an ERP without one
 * relies on this hash. Tasks and decisions carry it, so a decision is matched to the version it was made on.
 */
@Component("approvalFingerprint")
public class ApprovalFingerprint {

    static final java.util.List<String> FIELDS = java.util.List.of("journey", "department", "amount", "currency", "subject");

    /** The fingerprint (64 lower-case hex digits) of a canonical ApprovalRequest as a Map. */
    public String of(Map<String, Object> request) {
        Map<String, Object> relevant = new TreeMap<>();
        for (String field : FIELDS) {
            relevant.put(field, request.get(field));
        }
        StringBuilder json = new StringBuilder();
        write(relevant, json);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Canonical JSON: sorted keys, no white space, numbers in plain notation without trailing zeros. */
    static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            out.append('{');
            Iterator<Map.Entry<String, Object>> it = sorted.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Object> e = it.next();
                string(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            Iterator<?> it = list.iterator();
            while (it.hasNext()) {
                write(it.next(), out);
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append(']');
        } else if (value instanceof Number number) {
            out.append(number(number).toPlainString());
        } else if (value instanceof Boolean) {
            out.append(value);
        } else {
            string(value.toString(), out);
        }
    }

    private static BigDecimal number(Number number) {
        BigDecimal decimal;
        if (number instanceof BigDecimal d) {
            decimal = d;
        } else if (number instanceof BigInteger i) {
            decimal = new BigDecimal(i);
        } else if (number instanceof Long || number instanceof Integer || number instanceof Short
                || number instanceof Byte) {
            decimal = BigDecimal.valueOf(number.longValue());
        } else {
            // a double as JSON read it: its shortest decimal text (0.1, not 0.1000000000000000055...)
            decimal = new BigDecimal(number.toString());
        }
        decimal = decimal.stripTrailingZeros();
        return decimal.signum() == 0 ? BigDecimal.ZERO : decimal;
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
