package io.conduit.esb.sandbox.crm;

import io.conduit.esb.sandbox.SandboxProblems;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST} (create) and {@code PUT} (replace) on {@code /sandbox/crm/api/opportunities}: the
 * editable fields of an opportunity. Read-only fields a client may echo back (stage, revision, erp*) are ignored.
 * Decimal strings are stored in plain notation ({@code "1.5e2"} becomes {@code "150"}), so what the CRM sends out
 * always matches {@code ^[0-9]+(\.[0-9]+)?$}.
 */
public record OpportunityRequest(String opportunityId, String accountNo, String accountName, String currencyCode,
                                 String amount, LocalDate closeDate, LocalDate deliveryDate,
                                 List<OpportunityProduct> products) {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /**
     * Checks the required and well-formed fields, numbering product lines without a {@code lineNo} by position.
     *
     * @return this request with every product line numbered
     * @throws org.springframework.web.ErrorResponseException 400 listing missing, else invalid, fields
     */
    public OpportunityRequest validated() {
        List<String> missing = new ArrayList<>();
        requireText(missing, "accountNo", accountNo);
        requireText(missing, "accountName", accountName);
        requireText(missing, "currencyCode", currencyCode);
        requireText(missing, "amount", amount);
        if (products == null || products.isEmpty()) {
            missing.add("products");
        } else {
            for (int i = 0; i < products.size(); i++) {
                OpportunityProduct p = products.get(i);
                String prefix = "products[" + i + "].";
                if (p == null) {
                    missing.add("products[" + i + "]");
                    continue;
                }
                requireText(missing, prefix + "sku", p.sku());
                requireText(missing, prefix + "qty", p.qty());
                requireText(missing, prefix + "unitPrice", p.unitPrice());
            }
        }
        if (!missing.isEmpty()) {
            throw SandboxProblems.missingFields(missing);
        }

        Map<String, String> invalid = new LinkedHashMap<>();
        if (opportunityId != null && !ID.matcher(opportunityId).matches()) {
            invalid.put("opportunityId", "1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (!CURRENCY.matcher(currencyCode.trim()).matches()) {
            invalid.put("currencyCode", "an ISO 4217 code such as EUR");
        }
        checkDecimal(invalid, "amount", amount, 2, false);
        List<OpportunityProduct> numbered = new ArrayList<>();
        Set<Integer> lineNos = new HashSet<>();
        for (int i = 0; i < products.size(); i++) {
            OpportunityProduct p = products.get(i);
            String prefix = "products[" + i + "].";
            checkDecimal(invalid, prefix + "qty", p.qty(), 3, true);
            checkDecimal(invalid, prefix + "unitPrice", p.unitPrice(), 4, false);
            OpportunityProduct line = new OpportunityProduct(p.lineNo() == null ? i + 1 : p.lineNo(), p.sku().trim(),
                    p.productName(), plain(p.qty()), plain(p.unitPrice()));
            if (line.lineNo() < 1 || !lineNos.add(line.lineNo())) {
                invalid.put(prefix + "lineNo", "a positive number, unique within the opportunity");
            }
            numbered.add(line);
        }
        if (!invalid.isEmpty()) {
            throw SandboxProblems.invalidFields(invalid);
        }
        return new OpportunityRequest(opportunityId, accountNo.trim(), accountName.trim(), currencyCode.trim(),
                plain(amount), closeDate, deliveryDate, List.copyOf(numbered));
    }

    /** A valid decimal string as the CRM stores it: plain digits, no exponent or sign ("1e1" becomes "10"). */
    private static String plain(String decimal) {
        try {
            return new BigDecimal(decimal.trim()).toPlainString();
        } catch (NumberFormatException e) {
            return decimal;
        }
    }

    /** The amount as stored ({@code numeric(18,2)}); call after {@link #validated()}. */
    BigDecimal amountValue() {
        return new BigDecimal(amount).setScale(2);
    }

    private static void requireText(List<String> missing, String field, String value) {
        if (value == null || value.isBlank()) {
            missing.add(field);
        }
    }

    private static void checkDecimal(Map<String, String> invalid, String field, String value, int maxScale,
                                     boolean positive) {
        try {
            BigDecimal d = new BigDecimal(value.trim());
            if (d.scale() > maxScale || d.precision() - d.scale() > 14 || d.signum() < 0
                    || (positive && d.signum() == 0)) {
                invalid.put(field, (positive ? "a positive" : "a non-negative") + " decimal string with at most "
                        + maxScale + " fraction digits");
            }
        } catch (NumberFormatException e) {
            invalid.put(field, "a decimal string such as \"12.50\"");
        }
    }
}
