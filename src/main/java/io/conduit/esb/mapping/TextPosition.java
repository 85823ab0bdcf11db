package io.conduit.esb.mapping;

/** Turns a character offset in a mapping's text into "line L, column C" for error messages. */
final class TextPosition {

    private TextPosition() {
    }

    /** A place in a mapping's text, both counted from 1. */
    record Position(int line, int column) {
    }

    static String describe(String text, int offset) {
        if (offset < 0) {
            return "(position unknown)";
        }
        Position at = of(text, offset);
        return "at line " + at.line() + ", column " + at.column() + " (position " + offset + ")";
    }

    /** The line and column of a character offset (an offset past the end counts as the end); offset must be >= 0. */
    static Position of(String text, int offset) {
        int end = Math.min(offset, text.length());
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Position(line, end - lineStart + 1);
    }
}
