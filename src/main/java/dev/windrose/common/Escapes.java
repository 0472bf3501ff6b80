package dev.windrose.common;

import java.util.Locale;

/** Text for a line of its own (a comment, a log line): what {@link Names} forbids is written as {@code \\uXXXX}. */
final class Escapes {

    private Escapes() {
    }

    static String visible(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Names.isSafe(String.valueOf(c)) || (Character.isSurrogate(c) && pairedAt(value, i))) {
                out.append(c);
            } else {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static boolean pairedAt(String value, int i) {
        char c = value.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }
}
