package dev.windrose.mirror.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import dev.windrose.cluster.NodeUnavailableException;
import dev.windrose.common.ConflictException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.mirror.MirrorService;
import dev.windrose.mirror.MirrorService.MaintenanceEnd;
import dev.windrose.mirror.MirrorService.MaintenancePlan;
import dev.windrose.mirror.MirroredVolumeInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Node maintenance (issue 16): pick a node, read what taking it down would cause, then move every active role it
 * holds to the partners (planned hand-overs, no I/O error) and, afterwards, take them back.
 */
class NodeMaintenancePanel extends VerticalLayout {

    /** A node that holds a leg of some mirrored volume. */
    record Node(long id, String name) {
    }

    private final MirrorService mirrors;
    private final Runnable changed;
    private final Select<Node> node = new Select<>();
    private final Paragraph preview = new Paragraph();
    private final Button start = new Button("Start maintenance");
    private final Button end = new Button("End maintenance");

    NodeMaintenancePanel(MirrorService mirrors, Runnable changed) {
        this.mirrors = mirrors;
        this.changed = changed;
        setPadding(false);
        node.setLabel("Node");
        node.setItemLabelGenerator(Node::name);
        node.setPlaceholder("Choose a node");
        node.addValueChangeListener(change -> showPlan());
        preview.addClassName("wr-muted");
        start.addThemeVariants(ButtonVariant.PRIMARY);
        start.addClickListener(click -> confirmStart());
        end.addClickListener(click -> endMaintenance());
        HorizontalLayout row = new HorizontalLayout(node, start, end);
        row.setAlignItems(Alignment.BASELINE);
        add(new H3("Node maintenance"), new Paragraph("Before you take a node down, move the active role of every "
                + "mirrored volume it serves to the partner: hosts keep their I/O, without an error. End the "
                + "maintenance to take the roles back once the node's legs are in sync again."), row, preview);
        showPlan();
    }

    /** The nodes that hold a leg of one of these mirrors; keeps the chosen one when it still does. */
    void showNodesOf(List<MirroredVolumeInfo> all) {
        List<Node> nodes = all.stream().flatMap(m -> m.legs().stream())
                .map(leg -> new Node(leg.nodeId(), leg.nodeName())).distinct()
                .sorted(Comparator.comparing(Node::name)).toList();
        Node chosen = node.getValue();
        node.setItems(nodes);
        node.setValue(chosen != null && nodes.contains(chosen) ? chosen : null);
        showPlan();
    }

    private void showPlan() {
        Node chosen = node.getValue();
        start.setEnabled(chosen != null);
        end.setEnabled(chosen != null);
        if (chosen == null) {
            preview.setText("Choose a node to see what its maintenance would cause.");
            return;
        }
        preview.setText(describe(mirrors.maintenancePlan(chosen.id())));
    }

    static String describe(MaintenancePlan plan) {
        StringBuilder text = new StringBuilder();
        text.append(plan.handOver().isEmpty() ? "No active role would move. "
                : "The active role of " + names(plan.handOver()) + " moves to the partner. ");
        if (!plan.cannotMove().isEmpty()) {
            text.append(names(plan.cannotMove())).append(" cannot move: ").append(plan.nodeName())
                    .append(" holds their only current leg; wait until their resync is done. ");
        }
        text.append(plan.loseRedundancy().isEmpty() ? "No mirrored volume loses redundancy."
                : names(plan.loseRedundancy()) + " run on one leg while " + plan.nodeName() + " is down.");
        if (!plan.movedAway().isEmpty()) {
            text.append(" In maintenance: ending it hands back ").append(names(plan.movedAway())).append('.');
        }
        return text.toString();
    }

    private static String names(List<String> names) {
        return String.join(", ", names);
    }

    private void confirmStart() {
        Node chosen = Objects.requireNonNull(node.getValue());
        MaintenancePlan plan = mirrors.maintenancePlan(chosen.id());
        ConfirmDialog confirm = new ConfirmDialog("Start maintenance of " + chosen.name() + "?", describe(plan),
                "Start maintenance", yes -> startMaintenance(chosen));
        confirm.setCancelable(true);
        confirm.open();
    }

    private void startMaintenance(Node chosen) {
        act(() -> {
            MaintenancePlan done = mirrors.handOverAllFrom(chosen.id());
            return chosen.name() + " is in maintenance: " + (done.movedAway().isEmpty() ? "it served no mirrored volume."
                    : "its partners serve " + names(done.movedAway()) + " now.");
        });
    }

    private void endMaintenance() {
        Node chosen = Objects.requireNonNull(node.getValue());
        act(() -> {
            MaintenanceEnd done = mirrors.endMaintenance(chosen.id());
            return (done.handedBack().isEmpty() ? "No active role came back to " + chosen.name() + "."
                    : chosen.name() + " serves " + names(done.handedBack()) + " again.")
                    + (done.waiting().isEmpty() ? "" : " Still resynchronising, so left with the partner: "
                    + names(done.waiting()) + "; end the maintenance again once they are in sync.");
        });
    }

    private void act(Supplier<String> action) {
        try {
            Notices.success(action.get());
        } catch (ConflictException | NotFoundException | NodeUnavailableException e) {
            Notices.error(e.getMessage());
        }
        changed.run();
    }
}
