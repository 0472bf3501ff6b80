package dev.windrose.telemetry.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.cluster.ClusterService;
import dev.windrose.cluster.Membership;
import dev.windrose.cluster.NodeInfo;
import dev.windrose.inventory.HostState;
import dev.windrose.telemetry.Latency;
import dev.windrose.telemetry.NodeSample;
import dev.windrose.telemetry.NodeStatistics;
import dev.windrose.telemetry.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's nodes: the cluster together and each node with its heartbeat, its dataplane and its
 * I/O of the last second, whichever node serves the page. Each node's samples arrive through PostgreSQL
 * ({@link NodeStatistics}) and are pushed to the page as they come; the node list (membership,
 * heartbeats) is reread every {@link #NODES_REREAD}.
 */
public class NodesActivity extends VerticalLayout {

    static final Duration NODES_REREAD = Duration.ofSeconds(2);
    /** A sample older than this is shown as missing: the node stopped sampling or cannot reach the database. */
    static final Duration STALE = Duration.ofSeconds(5);

    private final ClusterService cluster;
    private final NodeStatistics statistics;
    private final Clock clock;
    private final Span summary = new Span();
    private final FlexLayout boxes = new FlexLayout();
    private final Map<Long, NodeBox> shown = new LinkedHashMap<>();
    private final Map<Long, NodeSample> samples = new HashMap<>();
    private List<NodeInfo> nodes = List.of();
    private Instant nodesReadAt = Instant.EPOCH;
    private @Nullable Subscription following;

    public NodesActivity(ClusterService cluster, NodeStatistics statistics, Clock clock) {
        this.cluster = cluster;
        this.statistics = statistics;
        this.clock = clock;
        setPadding(false);
        addClassName("nodes-activity");
        summary.setId("nodes-summary");
        summary.getElement().setAttribute("role", "status");
        summary.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.TextColor.SECONDARY);
        boxes.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        boxes.addClassNames(LumoUtility.Gap.MEDIUM);
        boxes.setWidthFull();
        add(summary, boxes);
        statistics.latest().forEach(sample -> samples.put(sample.hostId().value(), sample));
        rereadNodes();
        addAttachListener(attach -> follow(attach.getUI()));
        addDetachListener(detach -> stopFollowing());
    }

    private void follow(UI ui) {
        stopFollowing();
        following = statistics.follow(sample -> {
            try {
                ui.access(() -> arrived(sample));
            } catch (UIDetachedException closed) {
                // The page went away meanwhile; detach stops following.
            }
        });
    }

    private void stopFollowing() {
        if (following != null) {
            following.cancel();
            following = null;
        }
    }

    void arrived(NodeSample sample) {
        samples.put(sample.hostId().value(), sample);
        Instant now = clock.instant();
        if (!nodesReadAt.plus(NODES_REREAD).isAfter(now) || !shown.containsKey(sample.hostId().value())) {
            rereadNodes();
        } else {
            NodeBox box = shown.get(sample.hostId().value());
            NodeInfo node = nodes.stream().filter(n -> n.id().equals(sample.hostId())).findFirst().orElse(null);
            if (box != null && node != null) {
                box.show(node, sample, now);
            }
            showSummary(now);
        }
    }

    private void rereadNodes() {
        Instant now = clock.instant();
        try {
            nodes = cluster.nodes();
        } catch (RuntimeException databaseAway) {
            // Samples still arrive from this node; the list and heartbeats are the last ones read.
            nodesReadAt = now;
            summary.setText("The node list cannot be read from the database now: " + databaseAway.getMessage());
            return;
        }
        nodesReadAt = now;
        if (!shown.keySet().equals(nodes.stream().map(n -> n.id().value()).collect(
                java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)))) {
            shown.clear();
            boxes.removeAll();
            for (NodeInfo node : nodes) {
                NodeBox box = new NodeBox();
                shown.put(node.id().value(), box);
                boxes.add(box);
            }
        }
        for (NodeInfo node : nodes) {
            shown.get(node.id().value()).show(node, samples.get(node.id().value()), now);
        }
        showSummary(now);
    }

    private void showSummary(Instant now) {
        long members = nodes.stream().filter(n -> n.membership() == Membership.MEMBER).count();
        long online = nodes.stream().filter(n -> n.membership() == Membership.MEMBER && n.state() == HostState.ONLINE)
                .count();
        long asking = nodes.size() - members;
        List<NodeSample> fresh = samples.values().stream().filter(s -> !s.staleAt(now, STALE)).toList();
        double iops = fresh.stream().mapToDouble(NodeSample::totalIops).sum();
        double mibps = fresh.stream().mapToDouble(NodeSample::totalMiBps).sum();
        summary.setText(members + (members == 1 ? " node, " : " nodes, ") + online + " online"
                + (asking > 0 ? ", " + asking + " asking to join" : "") + " · together " + Rates.number(iops)
                + " IOPS, " + Rates.decimal(mibps) + " MiB/s");
    }

    /** What one node is doing: rewritten with each of its samples. */
    static final class NodeBox extends Div {

        private final H3 name = new H3();
        private final Span state = new Span();
        private final Span heartbeat = fact("heartbeat");
        private final Span dataplane = fact("dataplane");
        private final Span io = fact("io");
        private final Span latency = fact("latency");
        private final Span freshness = fact("sample");

        NodeBox() {
            addClassName("node-activity");
            getElement().setAttribute("role", "group");
            name.addClassNames(LumoUtility.FontSize.MEDIUM, LumoUtility.Margin.NONE);
            state.getElement().getThemeList().add("badge");
            Div head = new Div(name, state);
            head.addClassNames(LumoUtility.Display.FLEX, LumoUtility.Gap.SMALL, LumoUtility.AlignItems.BASELINE);
            add(head, heartbeat, dataplane, io, latency, freshness);
            addClassNames(LumoUtility.Padding.MEDIUM, LumoUtility.BorderRadius.MEDIUM, LumoUtility.Border.ALL,
                    LumoUtility.BorderColor.CONTRAST_10, LumoUtility.Display.FLEX, LumoUtility.FlexDirection.COLUMN);
            getStyle().set("flex", "1 1 16rem").set("min-width", "0");
        }

        private static Span fact(String kind) {
            Span span = new Span();
            span.getElement().setAttribute("data-fact", kind);
            span.addClassNames(LumoUtility.FontSize.SMALL);
            return span;
        }

        void show(NodeInfo node, @Nullable NodeSample sample, Instant now) {
            getElement().setAttribute("aria-label", "Node " + node.name());
            getElement().setAttribute("data-node", node.name());
            name.setText(node.name() + (node.local() ? " (this node)" : ""));
            boolean asking = node.membership() == Membership.ASKING;
            boolean online = node.state() == HostState.ONLINE;
            state.setText(asking ? "Asking to join" : online ? "Online" : "Offline");
            state.getElement().getThemeList().removeAll(List.of("success", "error", "warning"));
            state.getElement().getThemeList().add(asking ? "warning" : online ? "success" : "error");
            heartbeat.setText("Heartbeat " + seconds(Duration.between(node.lastHeartbeatAt(), now)) + " ago");
            if (sample == null || sample.staleAt(now, STALE)) {
                dataplane.setText(sample == null ? "Dataplane: no sample from this node yet"
                        : "Dataplane: no sample for " + seconds(Duration.between(sample.sampledAt(), now)));
                io.setText("");
                latency.setText("");
                freshness.setText("");
                getElement().setAttribute("data-live", "false");
                return;
            }
            getElement().setAttribute("data-live", "true");
            dataplane.setText(sample.dataplaneUp() ? "Dataplane running"
                    : "Dataplane stopped: " + (sample.dataplaneProblem() == null ? "the target does not run"
                    : sample.dataplaneProblem()));
            io.setText(Rates.number(sample.totalIops()) + " IOPS (read " + Rates.number(sample.readIops()) + ", write "
                    + Rates.number(sample.writeIops()) + ") · " + Rates.decimal(sample.totalMiBps()) + " MiB/s");
            Latency l = sample.latency();
            latency.setText(l == null ? "Latency: no I/O in the last second" : "Latency p50 " + Rates.micros(l.p50Micros())
                    + ", p99 " + Rates.micros(l.p99Micros()) + ", p99.9 " + Rates.micros(l.p999Micros()));
            freshness.setText("Sample " + seconds(Duration.between(sample.sampledAt(), now)) + " old"
                    + (node.local() ? "" : ", arrived after " + sample.arrivalDelayMillis() + " ms"));
            freshness.addClassNames(LumoUtility.TextColor.SECONDARY);
        }

        private static String seconds(Duration duration) {
            double seconds = Math.max(0, duration.toMillis()) / 1000.0;
            return seconds < 10 ? String.format(Locale.ROOT, "%.1f s", seconds)
                    : String.format(Locale.ROOT, "%,d s", Math.round(seconds));
        }
    }

    /** The boxes shown, by node name (for tests). */
    Map<String, NodeBox> boxesByName() {
        Map<String, NodeBox> byName = new LinkedHashMap<>();
        shown.forEach((id, box) -> byName.put(box.getElement().getAttribute("data-node"), box));
        return byName;
    }

    /** Everything a box says, in one line (for tests). */
    static String text(Component box) {
        return box.getElement().getTextRecursively();
    }
}
