package dev.windrose.common;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The characters no name may hold, whatever else its kind allows: names reach log lines, the audit log,
 * generated shell scripts and other people's screens, where a NUL cuts a name short in C, CR/LF and ESC
 * forge log lines or terminal output, and a bidirectional override shows a name other than the one stored.
 * Every kind of name (NQNs, pools, volumes, lab disks, aggregations and their members, users, tokens,
 * initiators, the cluster) passes through here first, then through its own rules.
 */
public final class Names {

    private Names() {
    }

    /**
     * A free-text name: 1 to {@code maxLength} characters after stripping blanks at either end, none of them
     * forbidden (a trailing CR/LF is refused, not stripped: the client sent something else than it meant).
     *
     * @throws InvalidInputException for {@code field}, saying what is wrong
     */
    public static String text(String field, @Nullable String value, int maxLength) {
        String raw = value == null ? "" : value;
        requireSafe(field, raw);
        String stripped = raw.strip();
        if (stripped.isEmpty() || stripped.codePointCount(0, stripped.length()) > maxLength) {
            throw new InvalidInputException(field, "A name has 1 to " + maxLength + " characters.");
        }
        return stripped;
    }

    /**
     * Refuses a value holding a control character (NUL, CR, LF, ESC, …), a line or paragraph separator, a
     * bidirectional override or isolate, or half of a surrogate pair.
     *
     * @throws InvalidInputException for {@code field}, naming the character and where it is
     */
    public static void requireSafe(String field, String value) {
        firstForbidden(value).ifPresent(found -> {
            throw new InvalidInputException(field, "The " + field + " contains " + found + "; names may not hold "
                    + "control characters (NUL, CR, LF, ESC, …), line breaks or bidirectional overrides. "
                    + "Remove it and try again.");
        });
    }

    /** Whether {@link #requireSafe} accepts the value. */
    public static boolean isSafe(String value) {
        return firstForbidden(value).isEmpty();
    }

    /** The first forbidden character and its position (1-based, in characters), described for a person. */
    static Optional<String> firstForbidden(String value) {
        int position = 0;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            position++;
            String what = describe(cp);
            if (what != null) {
                return Optional.of(what + " at position " + position);
            }
            i += Character.charCount(cp);
        }
        return Optional.empty();
    }

    private static @Nullable String describe(int cp) {
        if (Character.isSurrogate((char) cp) && cp <= 0xffff) {
            return "half of a surrogate pair (" + code(cp) + "), which is not a character";
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL -> "a control character (" + code(cp) + controlName(cp) + ")";
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "a line break (" + code(cp) + ")";
            default -> isBidiControl(cp) ? "a bidirectional override (" + code(cp) + ")" : null;
        };
    }

    /** Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069) reorder what a reader sees. */
    private static boolean isBidiControl(int cp) {
        return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
    }

    private static String code(int cp) {
        return "U+" + String.format(Locale.ROOT, "%04X", cp);
    }

    private static String controlName(int cp) {
        return switch (cp) {
            case 0x00 -> " NUL";
            case 0x09 -> " TAB";
            case 0x0a -> " LF";
            case 0x0d -> " CR";
            case 0x1b -> " ESC";
            case 0x7f -> " DEL";
            default -> "";
        };
    }
}
