package io.conduit.esb.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class PayloadMaskTest {

    private static final int MB = 1 << 20;
    /** only a guard against a scan that hangs; these finish in milliseconds */
    private static final Duration GUARD = Duration.ofSeconds(5);

    private final PayloadMask mask = new PayloadMask(List.of("email", "fullName", "salary", "iban"), 200);
    private final PayloadMask unlimited =
            new PayloadMask(List.of("email", "fullName", "salary", "iban", "name", "accountName"), 0);

    @Test
    void masksConfiguredFieldsAtAnyDepthWhateverTheirType() {
        String masked = mask.apply("""
                {"employeeId":"E-1","fullName":"Anna \\"Ann\\" Schmidt","contact":{"email":"anna@example.com"},
                 "salary": 5200.50, "iban":"DE89 3704", "department":"SALES"}""");
        assertThat(masked).contains("\"employeeId\":\"E-1\"", "\"department\":\"SALES\"")
                .contains("\"fullName\":\"***\"", "\"email\":\"***\"", "\"salary\": \"***\"", "\"iban\":\"***\"")
                .doesNotContain("Schmidt", "anna@", "5200");
    }

    @Test
    void masksConfiguredFieldsInKeyValueText() {
        assertThat(mask.apply("{user={emp_no=E-1, fullName=Anna Schmidt, salary=5200}, roles=[]}"))
                .isEqualTo("{user={emp_no=E-1, fullName=***, salary=***}, roles=[]}");
    }

    @Test
    void masksEmailAddressesInFreeText() {
        assertThat(mask.apply("mail to bob.builder@example.com failed")).isEqualTo("mail to b***@example.com failed");
    }

    @Test
    void truncatesLongPayloads() {
        String masked = mask.apply("x".repeat(250));
        assertThat(masked).startsWith("x".repeat(200)).endsWith("...[50 more chars]");
        assertThat(mask.apply(null)).isNull();
    }

    @Test
    void leavesUnterminatedValuesNullsAndOtherFieldsAlone() {
        assertThat(unlimited.apply("{\"fullName\":null,\"salary\":-,\"iban\":\"DE89")).isEqualTo(
                "{\"fullName\":null,\"salary\":-,\"iban\":\"DE89");
        assertThat(unlimited.apply("{\"fullName\" :\n true, \"salary\":-12.5e+3x}"))
                .isEqualTo("{\"fullName\" :\n \"***\", \"salary\":\"***\"x}");
        // a backslash before a line break escapes nothing: the string has no end
        assertThat(unlimited.apply("{\"name\":\"Anna\\\n\"}")).isEqualTo("{\"name\":\"Anna\\\n\"}");
        assertThat(unlimited.apply("{surname=Schmidt, my_name=x, a.name=Anna}"))
                .isEqualTo("{surname=Schmidt, my_name=x, a.name=***}");
    }

    // --- megabyte inputs: the regular expressions this replaced overflowed the stack at ~2,000 characters

    @Test
    void aMegabyteValueOfAMaskedFieldIsMasked() {
        String json = "{\"id\":\"O-1\",\"fullName\":\"" + "A".repeat(MB) + "\",\"accountName\" : \""
                + "B\\\"".repeat(MB / 3) + "\",\"n\":1}";
        assertThat(within(() -> unlimited.apply(json)))
                .isEqualTo("{\"id\":\"O-1\",\"fullName\":\"***\",\"accountName\" : \"***\",\"n\":1}");
        assertThat(within(() -> PersonalDataMask.mask("{\"name\":\"" + "\u00e9".repeat(MB) + "\"}")))
                .isEqualTo("{\"name\":\"***\"}");
    }

    @Test
    void aMegabyteValueOfAnotherFieldStaysAndTheFieldsAroundItAreMasked() {
        String note = "x".repeat(MB);
        String escaped = "q\\\"fullName\\\":\\\"".repeat(MB / 16);
        String json = "{\"note\":\"" + note + "\",\"name\":\"Bob\",\"memo\":\"" + escaped + "\",\"salary\":99}";
        assertThat(within(() -> unlimited.apply(json)))
                .isEqualTo("{\"note\":\"" + note + "\",\"name\":\"***\",\"memo\":\"" + escaped + "\",\"salary\":\"***\"}");
    }

    @Test
    void aMegabyteOfBackslashes() {
        String backslashes = "\\".repeat(MB);
        assertThat(within(() -> unlimited.apply(backslashes))).isEqualTo(backslashes);
        // an even run escapes backslashes only: the value ends at the quote
        assertThat(within(() -> unlimited.apply("{\"fullName\":\"" + backslashes + "\",\"id\":1}")))
                .isEqualTo("{\"fullName\":\"***\",\"id\":1}");
        // an odd run escapes the quote: the value has no end and stays as it is
        String odd = "{\"fullName\":\"" + backslashes + "\\\"}";
        assertThat(within(() -> unlimited.apply(odd))).isEqualTo(odd);
    }

    @Test
    void unterminatedStringsOfAMegabyteAreLeftAsTheyAre() {
        String open = "{\"fullName\":\"" + "y".repeat(MB);
        assertThat(within(() -> unlimited.apply(open))).isEqualTo(open);
        String breaks = "\"fullName\":\"\\\n".repeat(MB / 14);
        assertThat(within(() -> unlimited.apply(breaks))).isEqualTo(breaks);
        // masked fields inside an unterminated string are escaped: nothing to mask
        String inside = "{\"note\":\"" + "\\\"fullName\\\":\\\"Anna\\\", ".repeat(MB / 20);
        assertThat(within(() -> unlimited.apply(inside))).isEqualTo(inside);
    }

    @Test
    void aMegabyteOfAtSigns() {
        String ats = "@".repeat(MB);
        assertThat(within(() -> unlimited.apply(ats))).isEqualTo(ats);
        String noDomains = "a@".repeat(MB / 2);
        assertThat(within(() -> unlimited.apply(noDomains))).isEqualTo(noDomains);
        String chained = "anna@example.com@".repeat(MB / 17);
        assertThat(within(() -> unlimited.apply(chained))).isEqualTo("a***@example.com@".repeat(MB / 17));
        String addresses = "anna.schmidt@example.com, ".repeat(MB / 26);
        assertThat(within(() -> unlimited.apply(addresses))).isEqualTo("a***@example.com, ".repeat(MB / 26));
        String longLocal = "b".repeat(MB) + "@example.com";
        assertThat(within(() -> unlimited.apply(longLocal))).isEqualTo("b***@example.com");
    }

    @Test
    void deepNesting() {
        int depth = MB / 8;
        String json = "{\"a\":[".repeat(depth) + "{\"fullName\":\"Bob\",\"salary\":-1.5e3,\"iban\":false}"
                + "]}".repeat(depth);
        assertThat(within(() -> unlimited.apply(json))).isEqualTo("{\"a\":[".repeat(depth)
                + "{\"fullName\":\"***\",\"salary\":\"***\",\"iban\":\"***\"}" + "]}".repeat(depth));
        String brackets = "[".repeat(MB) + "{".repeat(MB);
        assertThat(within(() -> unlimited.apply(brackets))).isEqualTo(brackets);
    }

    @Test
    void keyValueTextOfAMegabyte() {
        String row = "{fullName=" + "z".repeat(MB) + ", emp_no=E-1, salary=" + "9".repeat(MB) + "}";
        assertThat(within(() -> unlimited.apply(row))).isEqualTo("{fullName=***, emp_no=E-1, salary=***}");
        // no terminator: the first value runs to the end
        assertThat(within(() -> unlimited.apply("fullName=".repeat(MB / 9)))).isEqualTo("fullName=***");
        String others = "x=1, surname=Smith, ".repeat(MB / 20);
        assertThat(within(() -> unlimited.apply(others))).isEqualTo(others);
        String many = "name=Anna, ".repeat(MB / 11);
        assertThat(within(() -> unlimited.apply(many))).isEqualTo("name=***, ".repeat(MB / 11));
    }

    @Test
    void aMegabyteIsCutAfterItWasMasked() {
        String masked = within(() -> mask.apply("{\"fullName\":\"Bob\",\"note\":\"" + "n".repeat(MB) + "\"}"));
        assertThat(masked).startsWith("{\"fullName\":\"***\",\"note\":\"nnn").endsWith(" more chars]")
                .hasSizeLessThan(250);
        assertThat(within(() -> mask.apply("{\"fullName\":\"" + "A".repeat(MB) + "\"}"))).isEqualTo("{\"fullName\":\"***\"}");
    }

    // --- the same answers as before, and no failure whatever the text

    /**
     * Random texts built from the characters and words that matter to the scans (quotes, backslashes, field names,
     * colons, equals signs, terminators, @, dots, combining marks, surrogates, line breaks): the scanner answers
     * exactly what the regular expressions it replaced answered.
     */
    @Test
    void agreesWithTheRegularExpressionsItReplaced() {
        List<String> names = List.of("email", "fullName", "name", "full_name", "salary", "a\\");
        PayloadMask scanner = new PayloadMask(names, 0);
        RegexPayloadMask regex = new RegexPayloadMask(names, 0);
        PayloadMask cutScanner = new PayloadMask(names, 30);
        RegexPayloadMask cutRegex = new RegexPayloadMask(names, 30);
        String[] tokens = {"\"", "\"", "\"", "\\", "\\", "name", "fullName", "full_name", "email", "salary", "a\\",
                ":", ":", " ", "\t", "\n", "\r", "\u000B", "=", "=", ",", ";", "}", "]", "{", "[", "@", ".", "a", "Z",
                "1", "7", "-", "e", "E", "+", "true", "false", "null", "_", "\u00e9", "\u0301", "\u20dd", "\uD83D\uDE00",
                "\uD835\uDC00", "\uD800", "\uDC00", "\u2028", "\u0085", "\u0000", "com", "x@y.org", "\"name\":",
                "\"fullName\" : ", "name=", "\u00fc", "\u0663", "\"a\\\":"};
        Random random = new Random(20260301);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int n = 0; n < 20_000; n++) {
                StringBuilder text = new StringBuilder();
                int count = random.nextInt(40);
                for (int i = 0; i < count; i++) {
                    text.append(tokens[random.nextInt(tokens.length)]);
                }
                String input = text.toString();
                assertThat(scanner.apply(input)).as("case %d: %s", n, input).isEqualTo(regex.apply(input));
                assertThat(cutScanner.apply(input)).as("case %d cut: %s", n, input).isEqualTo(cutRegex.apply(input));
            }
        });
    }

    /** Random UTF-16 text (any code unit, lone surrogates included) never makes a mask throw. */
    @Test
    void neverThrowsWhateverTheText() {
        PayloadMask journal = new PayloadMask(List.of("email", "name", "fullName", "x", "\""), 100);
        Random random = new Random(7);
        char[] common = {'"', '\\', ':', '=', '@', '.', ',', 'n', 'a', 'm', 'e', 'x', ' ', '\n', '{', '}', '-', '1'};
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int n = 0; n < 10_000; n++) {
                char[] chars = new char[random.nextInt(n % 100 == 0 ? 50_000 : 2_000)];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = random.nextBoolean() ? common[random.nextInt(common.length)] : (char) random.nextInt(0x10000);
                }
                String text = new String(chars);
                assertThat(journal.apply(text)).isNotNull().hasSizeLessThanOrEqualTo(100 + 30);
                assertThat(unlimited.apply(text)).isNotNull();
                assertThat(PersonalDataMask.mask(text)).isNotNull();
            }
        });
    }

    private static String within(Supplier<String> masking) {
        return assertTimeoutPreemptively(GUARD, masking::get);
    }
}
