package dev.windrose.telemetry.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.telemetry.EventService;
import dev.windrose.telemetry.Subscription;
import org.jspecify.annotations.Nullable;

/**
 * The header's bell: how many events are open (raised and not yet acknowledged), kept current by
 * the event service's change notifications over the push channel; a link to the events view.
 */
public class EventsBadge extends Anchor {

    private final EventService events;
    private final Badge count = new Badge();
    private @Nullable Subscription subscription;

    public EventsBadge(EventService events) {
        super(EventsView.ROUTE, "");
        this.events = events;
        addClassName("events-badge");
        addClassNames(LumoUtility.Display.FLEX, LumoUtility.AlignItems.CENTER, LumoUtility.Gap.XSMALL,
                LumoUtility.TextColor.SECONDARY);
        var bell = VaadinIcon.BELL.create();
        bell.getElement().setAttribute("aria-hidden", "true");
        add(bell, count);
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        UI ui = attach.getUI();
        show(events.openCount());
        subscription = events.subscribe(change -> {
            try {
                ui.access(() -> show(change.openCount()));
            } catch (UIDetachedException closed) {
                // The page went away meanwhile; detach unsubscribes.
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (subscription != null) {
            subscription.cancel();
            subscription = null;
        }
    }

    private void show(long open) {
        count.setText(Long.toString(open));
        count.removeThemeVariants(BadgeVariant.ERROR, BadgeVariant.CONTRAST);
        count.addThemeVariants(open > 0 ? BadgeVariant.ERROR : BadgeVariant.CONTRAST);
        String words = open == 0 ? "No open events" : open == 1 ? "1 open event" : open + " open events";
        getElement().setAttribute("aria-label", words);
        getElement().setAttribute("title", words);
    }
}
