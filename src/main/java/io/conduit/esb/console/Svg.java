package io.conduit.esb.console;

import java.util.Locale;

/**
 * A little SVG writer for the console's pictures: elements appended to a buffer, every text and attribute value
 * escaped (route ids, hop details and payload-derived keys come from configuration and messages, never trusted as
 * markup). Coordinates are written with one decimal at most, in {@link Locale#ROOT}.
 */
final class Svg {

    private final StringBuilder out = new StringBuilder(16_384);

    Svg raw(String markup) {
        out.append(markup);
        return this;
    }

    /** An opening tag with attributes given as name, value pairs (a null value leaves the attribute out). */
    Svg open(String tag, Object... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append('>');
        return this;
    }

    Svg close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** An element without content. */
    Svg empty(String tag, Object... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append("/>");
        return this;
    }

    /** An element holding text. */
    Svg text(String tag, String text, Object... attributes) {
        open(tag, attributes);
        out.append(escape(text));
        return close(tag);
    }

    /** A tooltip for the enclosing element. */
    Svg title(String text) {
        return text("title", text);
    }

    private void attributes(Object... attributes) {
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            Object value = attributes[i + 1];
            if (value == null) {
                continue;
            }
            out.append(' ').append(attributes[i]).append("=\"").append(escape(format(value))).append('"');
        }
    }

    static String format(Object value) {
        if (value instanceof Double d) {
            return num(d);
        }
        if (value instanceof Float f) {
            return num(f);
        }
        return String.valueOf(value);
    }

    static String num(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? "\uFFFD" : null;
            };
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped != null) {
                if (replacement != null) {
                    escaped.append(replacement);
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    /** Text cut to fit about {@code chars} characters, with an ellipsis when cut. */
    static String fit(String text, int chars) {
        if (text == null) {
            return "";
        }
        return text.length() <= chars ? text : text.substring(0, Math.max(1, chars - 1)) + "…";
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
