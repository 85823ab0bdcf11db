package io.conduit.esb.mapping;

/** Turns a character offset in a mapping's text into "line L, column C" for error messages. */
final class TextPosition {

    private TextPosition() {
    }

    static String describe(String text, int offset) {
        if (offset < 0) {
            return "(position unknown)";
        }
        int end = Math.min(offset, text.length());
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "at line " + line + ", column " + (end - lineStart + 1) + " (position " + offset + ")";
    }
}
