package io.conduit.esb.support;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Valid German VAT numbers for tests (Tryton validates a tax identifier of type eu_vat with python-stdnum, so a made-up
 * one is refused): "DE" and nine digits, the last the check digit of ISO 7064 MOD 11,10 over the first eight, as
 * stdnum.de.vat computes it.
 */
public final class TaxIds {

    private TaxIds() {
    }

    /** A random valid one (1 in 90 million chance of meeting another test's). */
    public static String germanVat() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder digits = new StringBuilder().append(1 + random.nextInt(9));
        for (int i = 0; i < 7; i++) {
            digits.append(random.nextInt(10));
        }
        return "DE" + digits + checkDigit(digits.toString());
    }

    public static int checkDigit(String eightDigits) {
        int check = 5;
        for (char c : eightDigits.toCharArray()) {
            check = ((check == 0 ? 10 : check) * 2 % 11 + (c - '0')) % 10;
        }
        return (11 - (check == 0 ? 10 : check) * 2 % 11) % 10;
    }
}
