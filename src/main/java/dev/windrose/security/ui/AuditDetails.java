package dev.windrose.security.ui;

import dev.windrose.common.ui.Sizes;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An audit entry's details as a person reads them. The log keeps what was recorded (exact byte counts,
 * the sign-in failure's exception class), and the grid shows it in words: "1 GiB" for 1073741824 bytes,
 * "8 MiB → 1 GiB" for a growth, "wrong user name or password" for a BadCredentialsException. Entries
 * recorded before this existed read the same way; the exact text stays in the cell's tooltip.
 */
final class AuditDetails {

    /** "8388608 -> 1073741824 bytes": both sides of a change in bytes. */
    private static final Pattern BYTES_CHANGE = Pattern.compile("\\b(\\d+) -> (\\d+) bytes\\b");
    private static final Pattern BYTES = Pattern.compile("\\b(\\d+) bytes\\b");
    private static final Pattern EXCEPTION = Pattern.compile("\\b([A-Z][A-Za-z]+)Exception\\b");
    private static final Map<String, String> SIGN_IN_FAILURES = Map.of(
            "BadCredentials", "wrong user name or password",
            "UsernameNotFound", "no such user",
            "Disabled", "the account is disabled",
            "Locked", "the account is locked",
            "AccountExpired", "the account has expired",
            "CredentialsExpired", "the password has expired",
            "InternalAuthenticationService", "the sign-in could not be checked (server error)");

    private AuditDetails() {
    }

    static String readable(@Nullable String detail) {
        if (detail == null) {
            return "";
        }
        String text = replace(BYTES_CHANGE, detail,
                m -> Sizes.bytes(Long.parseLong(m.group(1))) + " → " + Sizes.bytes(Long.parseLong(m.group(2))));
        text = replace(BYTES, text, m -> Sizes.bytes(Long.parseLong(m.group(1))));
        text = replace(EXCEPTION, text, m -> SIGN_IN_FAILURES.getOrDefault(m.group(1), words(m.group(1))));
        return text.replace(" -> ", " → ");
    }

    /** "SessionAuthentication" reads "session authentication". */
    private static String words(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> by) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            try {
                replacement = by.apply(matcher);
            } catch (NumberFormatException tooLong) {
                replacement = matcher.group();
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
