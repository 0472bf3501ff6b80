package dev.windrose.onboarding.ui;

import com.vaadin.flow.component.HasValidation;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Small helpers shared by the steps: stored values as lists and numbers, marks. */
final class Fields {

    static final long MIB = 1024L * 1024;

    private Fields() {
    }

    static List<String> list(@Nullable String stored) {
        if (stored == null || stored.isBlank()) {
            return List.of();
        }
        return Arrays.stream(stored.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static String join(List<?> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    static @Nullable Integer integer(@Nullable String stored) {
        try {
            return stored == null ? null : Integer.valueOf(stored.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String text(@Nullable Object value) {
        return value == null ? "" : value.toString();
    }

    static void mark(HasValidation field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
    }

    static void unmark(HasValidation... fields) {
        for (HasValidation field : fields) {
            field.setInvalid(false);
        }
    }

    /** Loopback addresses reach this machine only: a listener there serves no other host. */
    static boolean loopback(String address) {
        return address.startsWith("127.") || address.equals("::1");
    }
}
