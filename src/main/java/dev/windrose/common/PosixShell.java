package dev.windrose.common;

import java.util.regex.Pattern;

/**
 * Values embedded in commands for a POSIX shell: Linux's sh/bash and ESXi's shell (BusyBox ash). A value that
 * holds only characters no shell treats specially stays as it is, so everyday commands read as people type them;
 * any other value is put in single quotes, inside which the shell expands nothing, and each {@code '} becomes
 * {@code '\''} (close the quote, an escaped quote, open again). The same rule as Python's {@code shlex.quote}.
 */
public final class PosixShell {

    /** Letters, digits and {@code @%+=:,./_-}: no expansion, globbing, word splitting or operator in any POSIX shell. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9@%+=:,./_-]+");

    private PosixShell() {
    }

    /** One shell word that the shell turns back into exactly {@code value}. */
    public static String quote(String value) {
        if (PLAIN.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * A value shown in a {@code #} comment: a comment ends at the line's end, so line breaks, other control
     * characters and bidi overrides are written as {@code \\uXXXX} and cannot start a command line of their own.
     */
    public static String comment(String value) {
        return Escapes.visible(value);
    }
}
