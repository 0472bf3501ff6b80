package dev.windrose.fabric;

import dev.windrose.common.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * NVMe Qualified Names (NVMe Base Specification 2.0, section 4.5): {@code nqn.yyyy-mm.reverse.domain:anything}
 * or {@code nqn.2014-08.org.nvmexpress:uuid:<uuid>}, at most 223 bytes of UTF-8.
 */
public final class Nqn {

    public static final int MAX_BYTES = 223;
    public static final String UUID_PREFIX = "nqn.2014-08.org.nvmexpress:uuid:";

    /** Year-month the naming authority owned the domain, then at least two domain labels, a colon and the rest. */
    private static final Pattern DOMAIN_FORM = Pattern.compile(
            "nqn\\.\\d{4}-(0[1-9]|1[0-2])\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+:\\S+",
            Pattern.CASE_INSENSITIVE);

    private Nqn() {
    }

    /** The NQN, stripped, or an {@link InvalidInputException} for {@code field} saying what is wrong. */
    public static String validate(String field, String nqn) {
        String value = nqn.strip();
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidInputException(field, "An NQN has at most " + MAX_BYTES + " bytes; this one has "
                    + value.getBytes(StandardCharsets.UTF_8).length + ".");
        }
        if (value.regionMatches(true, 0, UUID_PREFIX, 0, UUID_PREFIX.length())) {
            validateUuid(field, value.substring(UUID_PREFIX.length()));
            return value;
        }
        if (!DOMAIN_FORM.matcher(value).matches()) {
            throw new InvalidInputException(field, "'" + value + "' is not an NQN: use nqn.yyyy-mm.reverse.domain:name "
                    + "(e.g. nqn.2026-01.com.example:storage-1) or " + UUID_PREFIX + "<uuid>.");
        }
        return value;
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
