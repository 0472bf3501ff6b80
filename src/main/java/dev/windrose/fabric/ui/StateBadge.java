package dev.windrose.fabric.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import dev.windrose.fabric.ObservedState;
import org.jspecify.annotations.Nullable;

/** What the reconciler last saw of an object: "applied", "pending" or "failed", and why in words. */
final class StateBadge {

    static final String REASON_CLASS = "state-reason";

    private StateBadge() {
    }

    /** The badge alone, the reason as tooltip and accessible description: for places with little room. */
    static Badge of(ObservedState state, @Nullable String lastError) {
        Badge badge = new Badge(word(state));
        badge.addThemeVariants(switch (state) {
            case APPLIED -> BadgeVariant.SUCCESS;
            case PENDING -> BadgeVariant.CONTRAST;
            case FAILED -> BadgeVariant.ERROR;
            case UNREACHABLE -> BadgeVariant.WARNING;
        });
        if (lastError != null) {
            badge.getElement().setAttribute("title", lastError);
            badge.getElement().setAttribute("aria-description", lastError);
        }
        return badge;
    }

    /**
     * The badge followed by the reason, written out: an operator reads why a listener failed or what a
     * namespace waits for without hovering over anything.
     */
    static Component withReason(ObservedState state, @Nullable String lastError) {
        HorizontalLayout cell = new HorizontalLayout(of(state, lastError));
        cell.setSpacing(true);
        cell.setPadding(false);
        cell.setAlignItems(FlexComponent.Alignment.BASELINE);
        if (lastError != null) {
            Span reason = new Span(lastError);
            reason.addClassName(REASON_CLASS);
            reason.getStyle().set("font-size", "var(--lumo-font-size-s)").set("white-space", "normal")
                    .set("color", state == ObservedState.FAILED ? "var(--lumo-error-text-color)"
                            : "var(--lumo-secondary-text-color)");
            cell.add(reason);
        }
        return cell;
    }

    private static String word(ObservedState state) {
        return switch (state) {
            case APPLIED -> "applied";
            case PENDING -> "pending";
            case FAILED -> "failed";
            case UNREACHABLE -> "node offline";
        };
    }
}
