package dev.windrose.telemetry.ui;

import com.vaadin.flow.component.HasElement;
import com.vaadin.flow.dom.Element;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import dev.windrose.common.InvalidInputException;
import dev.windrose.telemetry.MetricObject;
import dev.windrose.telemetry.TelemetryService;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Puts an object's charts on another feature's page without that feature depending on telemetry
 * (which would make a cycle: telemetry reads fabric, storage and inventory to raise alerts).
 *
 * <p>The contract: a view marks its root element with {@value #MARKER} = the metric object's key
 * (e.g. {@code subsystem:<nqn>}, see {@link MetricObject#key()}) by the end of its
 * {@code beforeEnter}; after each navigation to it, the object's charts are inserted as the view's
 * second child (below its header). The subsystem detail view (fabric) does this with one line.
 */
@Component
class ObjectChartsPlacement implements VaadinServiceInitListener {

    static final String MARKER = "data-telemetry-object";
    static final String CHARTS_CLASS = "object-charts";

    private final TelemetryService telemetry;

    ObjectChartsPlacement(TelemetryService telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> init.getUI().addAfterNavigationListener(this::place));
    }

    private void place(AfterNavigationEvent navigation) {
        List<HasElement> chain = navigation.getActiveChain();
        if (chain.isEmpty()) {
            return;
        }
        Element view = chain.getFirst().getElement();
        String key = view.getAttribute(MARKER);
        if (key == null || key.isBlank()) {
            return;
        }
        MetricObject object;
        try {
            object = MetricObject.parse(MARKER, key);
        } catch (InvalidInputException notAnObject) {
            return;
        }
        // The same view instance may be navigated to again (another subsystem): replace, never stack.
        view.getChildren().filter(child -> child.getClassList().contains(CHARTS_CLASS)).toList()
                .forEach(Element::removeFromParent);
        ObjectCharts charts = new ObjectCharts(telemetry, object, title(object));
        view.insertChild(Math.min(1, view.getChildCount()), charts.getElement());
    }

    private static String title(MetricObject object) {
        return switch (object) {
            case MetricObject.Subsystem _ -> "Activity of this subsystem";
            case MetricObject.Namespace namespace -> "Activity of namespace " + namespace.nsid();
            case MetricObject.Host _ -> "Activity of this host";
            case MetricObject.Cluster _ -> "Activity of the cluster";
        };
    }
}
