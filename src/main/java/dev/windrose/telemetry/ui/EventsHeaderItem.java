package dev.windrose.telemetry.ui;

import com.vaadin.flow.component.Component;
import dev.windrose.MainLayout;
import dev.windrose.telemetry.EventService;

/** Puts the open-events badge into the header of every signed-in view. */
@org.springframework.stereotype.Component
class EventsHeaderItem implements MainLayout.HeaderItem {

    private final EventService events;

    EventsHeaderItem(EventService events) {
        this.events = events;
    }

    @Override
    public Component create() {
        return new EventsBadge(events);
    }
}
