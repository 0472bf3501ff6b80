package dev.windrose.fabric;

import dev.windrose.common.InvalidInputException;
import dev.windrose.common.Names;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * NVMe Qualified Names as the NVMe Base Specification (2.0, section 4.5 "NVMe Qualified Names") defines them:
 * UTF-8, at most 223 bytes (the 256-byte fields of Connect and Identify hold them NUL-terminated), in one of
 * two forms: {@code nqn.yyyy-mm.reverse.domain:anything} (the year and month the naming authority owned the
 * domain) or {@code nqn.2014-08.org.nvmexpress:uuid:<uuid>}. {@code nqn.2014-08.org.nvmexpress.discovery} is
 * the discovery controller's and names no subsystem or host. Beyond the specification, an NQN may hold no
 * blank, control character or bidirectional override ({@link Names}): NQNs go into shell commands, config
 * files and logs, and a NUL would make the C dataplane see a shorter, different name.
 *
 * <p>The one place an NQN is checked on the Java side: REST, the UI dialogs, onboarding and aggregation members
 * all call {@link #validate}. The dataplane's configuration parser and control API apply the same rules in C
 * ({@code wr_nqn_check} in {@code windrose.h}).
 */
public final class Nqn {

    public static final int MAX_BYTES = 223;
    public static final String UUID_PREFIX = "nqn.2014-08.org.nvmexpress:uuid:";
    public static final String DISCOVERY = "nqn.2014-08.org.nvmexpress.discovery";

    /** Year-month, then at least two domain labels, a colon and at least one non-blank character. */
    private static final Pattern DOMAIN_FORM = Pattern.compile(
            "nqn\\.\\d{4}-(0[1-9]|1[0-2])\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+:[^\\s]+",
            Pattern.CASE_INSENSITIVE);

    private Nqn() {
    }

    /** The NQN, stripped of blanks at either end, or an {@link InvalidInputException} for {@code field}. */
    public static String validate(String field, String nqn) {
        Names.requireSafe(field, nqn);
        String value = nqn.strip();
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new InvalidInputException(field, "An NQN has at most " + MAX_BYTES + " bytes; this one has "
                    + bytes + ".");
        }
        if (value.equalsIgnoreCase(DISCOVERY)) {
            throw new InvalidInputException(field, DISCOVERY + " is the discovery controller's NQN; give this "
                    + "subsystem or host its own, e.g. nqn.2026-01.com.example:storage-1.");
        }
        if (value.regionMatches(true, 0, UUID_PREFIX, 0, UUID_PREFIX.length())) {
            validateUuid(field, value.substring(UUID_PREFIX.length()));
            return value;
        }
        if (!DOMAIN_FORM.matcher(value).matches()) {
            throw new InvalidInputException(field, "'" + value + "' is not an NQN: use nqn.yyyy-mm.reverse.domain:name "
                    + "(e.g. nqn.2026-01.com.example:storage-1, no blanks) or " + UUID_PREFIX + "<uuid>.");
        }
        return value;
    }

    /** Whether {@link #validate} accepts the NQN. */
    public static boolean isValid(String nqn) {
        try {
            validate("nqn", nqn);
            return true;
        } catch (InvalidInputException e) {
            return false;
        }
    }

    private static void validateUuid(String field, String uuid) {
        try {
            if (uuid.length() != 36 || !UUID.fromString(uuid).toString().equalsIgnoreCase(uuid)) {
                throw new IllegalArgumentException(uuid);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "After " + UUID_PREFIX + " comes a UUID like "
                    + "123e4567-e89b-12d3-a456-426614174000; '" + uuid + "' is not one.");
        }
    }
}
