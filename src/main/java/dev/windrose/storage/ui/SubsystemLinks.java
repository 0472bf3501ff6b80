package dev.windrose.storage.ui;

import com.vaadin.flow.component.Component;
import java.util.Optional;
import org.springframework.modulith.NamedInterface;

/**
 * A link from a volume to the subsystem that exports it. Storage cannot know the fabric's pages (the
 * fabric depends on storage, not the other way round), so the fabric provides this as a bean and the
 * Volumes page uses it when there is one.
 */
@NamedInterface("navigation")
public interface SubsystemLinks {

    /** A link to the page of the subsystem with this NQN, or empty when there is none (any more). */
    Optional<Component> link(String subsystemNqn);
}
