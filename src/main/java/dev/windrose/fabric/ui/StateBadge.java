package dev.windrose.fabric.ui;

import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import dev.windrose.fabric.ObservedState;
import org.jspecify.annotations.Nullable;

/** "applied", "pending" or "failed" with the reason as tooltip and accessible description. */
final class StateBadge {

    private StateBadge() {
    }

    static Badge of(ObservedState state, @Nullable String lastError) {
        Badge badge = new Badge(switch (state) {
            case APPLIED -> "applied";
            case PENDING -> "pending";
            case FAILED -> "failed";
        });
        badge.addThemeVariants(switch (state) {
            case APPLIED -> BadgeVariant.SUCCESS;
            case PENDING -> BadgeVariant.CONTRAST;
            case FAILED -> BadgeVariant.ERROR;
        });
        if (lastError != null) {
            badge.getElement().setAttribute("title", lastError);
            badge.getElement().setAttribute("aria-description", lastError);
        }
        return badge;
    }

    /** The state in words, with the reason when there is one. */
    static String words(ObservedState state, @Nullable String lastError) {
        String word = state.name().toLowerCase(java.util.Locale.ROOT);
        return lastError == null ? word : word + ": " + lastError;
    }
}
