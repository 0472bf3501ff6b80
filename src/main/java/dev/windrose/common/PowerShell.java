package dev.windrose.common;

/**
 * Values embedded in PowerShell scripts, always as single-quoted (verbatim) strings: PowerShell expands nothing
 * in them, and a quote inside is written twice. PowerShell counts the typographic quotes U+2018, U+2019, U+201A
 * and U+201B as single quotes too, so those are doubled as well; otherwise {@code ’} would end the string.
 */
public final class PowerShell {

    private PowerShell() {
    }

    /** A single-quoted string literal that PowerShell turns back into exactly {@code value}. */
    public static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            quoted.append(c);
            if (isSingleQuote(c)) {
                quoted.append(c);
            }
        }
        return quoted.append('\'').toString();
    }

    /** A value shown in a {@code #} comment, with line breaks and other invisible controls written as {@code \\uXXXX}. */
    public static String comment(String value) {
        return Escapes.visible(value);
    }

    static boolean isSingleQuote(char c) {
        return c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201a' || c == '\u201b';
    }
}
