package io.conduit.esb.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checks every request body passes before any route, mapping or schema sees it, whatever endpoint it was sent
 * to: a media type the ESB accepts (415), UTF-8 that decodes without error,
 * one well-formed JSON document within the nesting and number-length limits, no duplicate keys, and no control
 * characters in any key or string value (a tab, line feed or carriage return is allowed: free text has them).
 * Every refusal is a {@link ProblemException} with status 4xx naming the field ({@code $.data.accountName}) or the
 * byte offset. Field-specific limits (ranges, patterns, lengths) are the JSON Schemas' job, after this gate.
 * <p>
 * Why a gate of its own rather than the schemas alone: a schema cannot see the encoding, duplicate keys or the
 * structure's depth, and a route file added by an IT team gets these checks without asking for them.
 */
@Component
public class InputGate {

    public static final String MALFORMED = "urn:conduit:problem:malformed-json";
    public static final String INVALID_INPUT = "urn:conduit:problem:invalid-input";

    private final IntakeProperties limits;
    private final JsonFactory json;

    public InputGate(IntakeProperties limits) {
        this.limits = limits;
        this.json = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.getMaxNestingDepth())
                        .maxNumberLength(limits.getMaxNumberLength())
                        .maxStringLength(Math.max(limits.getMaxBodyBytes(), 1))
                        .build())
                .build();
    }

    /**
     * Refuses the body unless it passes every check. An empty body passes: whether one is required is the endpoint's
     * business (an admin action takes none; an intake route answers 400 for a missing document).
     */
    public void inspect(byte[] body, String contentType) {
        if (body.length == 0) {
            return;
        }
        checkMediaType(contentType);
        String text = decodeUtf8(body);
        checkJson(text);
    }

    /**
     * The same checks for a message taken from a queue (no media type there): its body as sent (bytes are decoded as
     * strict UTF-8, text is checked as it is). Used by queue intake routes as {@code inputGate.inspectMessage}; a
     * refusal is a {@link ProblemException}, which the delivery error policy parks at once with its reason.
     */
    public void inspectMessage(org.apache.camel.Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof byte[] bytes) {
            if (bytes.length > limits.getMaxBodyBytes()) {
                throw new ProblemException(413, "urn:conduit:problem:payload-too-large", "Payload too large",
                        "The message has " + bytes.length + " bytes; at most " + limits.getMaxBodyBytes() + " are accepted");
            }
            checkJson(decodeUtf8(bytes));
            return;
        }
        String text = exchange.getMessage().getBody(String.class);
        if (text == null || text.isEmpty()) {
            throw invalid(MALFORMED, "Message is empty", "A JSON document is required", "$", "required");
        }
        if (text.length() > limits.getMaxBodyBytes()) {
            throw new ProblemException(413, "urn:conduit:problem:payload-too-large", "Payload too large",
                    "The message has " + text.length() + " characters; at most " + limits.getMaxBodyBytes() + " are accepted");
        }
        checkJson(text);
    }

    private void checkMediaType(String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean accepted = limits.getAcceptedMediaTypes().contains(mediaType) || mediaType.endsWith("+json");
        if (!accepted) {
            throw new ProblemException(415, "urn:conduit:problem:unsupported-media-type", "Unsupported media type",
                    "Content-Type must be one of " + limits.getAcceptedMediaTypes()
                            + (mediaType.isEmpty() ? "; none was given" : "; the one given is not accepted"));
        }
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")
                    && !pair[1].trim().replace("\"", "").equalsIgnoreCase("utf-8")) {
                throw new ProblemException(415, "urn:conduit:problem:unsupported-media-type", "Unsupported charset",
                        "Bodies must be UTF-8; the charset given is not accepted");
            }
        }
    }

    private static String decodeUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw invalid(INVALID_INPUT, "Body is not valid UTF-8",
                    "Invalid UTF-8 byte sequence at byte offset " + in.position(), "$", "encoding");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private void checkJson(String text) {
        try (JsonParser parser = json.createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw invalid(MALFORMED, "Body is not well-formed JSON", "The body holds no JSON value", "$", "syntax");
            }
            int depth = 0;
            do {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> checkText(parser.currentName(), parser, true);
                    case VALUE_STRING -> checkText(parser.getText(), parser, false);
                    case VALUE_NUMBER_FLOAT -> {
                        if (!Double.isFinite(parser.getDoubleValue())) {
                            throw invalid(INVALID_INPUT, "Number out of range", "Number is not finite",
                                    path(parser.getParsingContext().pathAsPointer()), "range");
                        }
                    }
                    default -> { }
                }
                token = depth == 0 ? null : parser.nextToken();
            } while (token != null);
            if (parser.nextToken() != null) {
                throw invalid(MALFORMED, "Body is not well-formed JSON",
                        "Content after the JSON value (at character " + parser.currentTokenLocation().getCharOffset() + ")",
                        "$", "syntax");
            }
        } catch (StreamConstraintsException e) {
            throw invalid(INVALID_INPUT, "Body exceeds a structural limit", firstLine(e.getOriginalMessage())
                    + " (limits: nesting depth " + limits.getMaxNestingDepth() + ", number length "
                    + limits.getMaxNumberLength() + ")", pathOf(e), "limit");
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending input: name the place, never echo the body
            String what = String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field") ? "Duplicate key"
                    : "Not well-formed JSON";
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw invalid(MALFORMED, "Body is not well-formed JSON", what + where, pathOf(e),
                    what.equals("Duplicate key") ? "duplicate-key" : "syntax");
        } catch (IOException e) {
            throw invalid(MALFORMED, "Body is not well-formed JSON", "Not well-formed JSON", "$", "syntax");
        }
    }

    /** C0 controls other than tab/LF/CR, DEL, C1 controls, lone surrogates and the noncharacters U+FFFE/U+FFFF. */
    private static void checkText(String value, JsonParser parser, boolean isKey) throws IOException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean refused;
            if (Character.isHighSurrogate(c)) {
                refused = i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1));
                i += refused ? 0 : 1;
            } else {
                refused = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F)
                        || Character.isLowSurrogate(c) || c == '\uFFFE' || c == '\uFFFF';
            }
            if (refused) {
                String field = path(parser.getParsingContext().pathAsPointer());
                throw invalid(INVALID_INPUT, "Control character in input",
                        (isKey ? "A key" : "The value") + " contains the control character "
                                + String.format("U+%04X", (int) c) + " at position " + i, field, "control-character");
            }
        }
    }

    private static ProblemException invalid(String type, String title, String detail, String field, String keyword) {
        return new ProblemException(400, type, title, detail, Map.of(),
                List.of(new ProblemException.Violation(field, keyword, detail)));
    }

    private static String pathOf(JsonProcessingException e) {
        Object processor = e.getProcessor();
        if (processor instanceof JsonParser parser && parser.getParsingContext() != null) {
            return path(parser.getParsingContext().pathAsPointer());
        }
        return "$";
    }

    /** A JSON pointer as the JSONPath the schema violations use: /data/products/0/sku -> $.data.products[0].sku */
    static String path(JsonPointer pointer) {
        StringBuilder path = new StringBuilder("$");
        for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
            if (p.mayMatchElement()) {
                path.append('[').append(p.getMatchingIndex()).append(']');
            } else {
                path.append('.').append(printable(p.getMatchingProperty()));
            }
        }
        return path.toString();
    }

    /** Text safe to echo in a problem: printable ASCII kept, anything else as \\uXXXX, at most 64 characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 64; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return text.length() > 64 ? out + "..." : out.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message);
        return printable(line.length() > 200 ? line.substring(0, 200) : line);
    }
}
