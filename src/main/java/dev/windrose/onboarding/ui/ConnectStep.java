package dev.windrose.onboarding.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.windrose.cluster.ClusterService;
import dev.windrose.cluster.ui.ClusterNavigation;
import dev.windrose.common.ui.CopyableCommand;
import dev.windrose.fabric.ConnectCommands;
import dev.windrose.fabric.ConnectionInfo;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.onboarding.OnboardingProgress;
import dev.windrose.onboarding.OnboardingService;
import dev.windrose.onboarding.WizardStep;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Step 6: the commands that connect a host (the same as the subsystem page's Connect panel shows),
 * and a live indicator that turns green, naming the host, when the first one connects.
 */
final class ConnectStep implements StepPanel {

    private final OnboardingService onboarding;
    private final FabricService fabric;
    private final Paragraph intro = new Paragraph();
    private final CopyableCommand linuxDiscover = new CopyableCommand("Linux: discover");
    private final CopyableCommand linuxConnect = new CopyableCommand("Linux: connect");
    private final CopyableCommand esxiDiscover = new CopyableCommand("ESXi: discover");
    private final CopyableCommand esxiConnect = new CopyableCommand("ESXi: connect");
    private final CopyableCommand addNode = new CopyableCommand("Add a node: run on the new server");
    private final Icon indicatorIcon = VaadinIcon.HOURGLASS.create();
    private final Span indicatorText = new Span();
    private final HorizontalLayout indicator = new HorizontalLayout(indicatorIcon, indicatorText);
    private final VerticalLayout view;
    private @Nullable SubsystemInfo subsystem;
    private @Nullable ConnectionWatch watch;

    ConnectStep(OnboardingService onboarding, FabricService fabric, ClusterService cluster) {
        this.onboarding = onboarding;
        this.fabric = fabric;
        indicator.addClassName("wizard-connection");
        indicator.setAlignItems(FlexComponent.Alignment.CENTER);
        indicator.getElement().setAttribute("role", "status");
        indicator.getElement().setAttribute("aria-live", "polite");
        Paragraph esxiNote = new Paragraph("ESXi connects with its own host NQN (esxcli nvme info get): allow it on the "
                + "subsystem's page. Replace " + ConnectCommands.ESXI_ADAPTER + " with your NVMe/TCP adapter "
                + "(esxcli nvme adapter list).");
        addNode.setCommand(cluster.joinCommand().command());
        Paragraph addNodeNote = new Paragraph();
        addNodeNote.add("More servers? Add a node: start Windrose on it with this command (it shares this cluster's "
                + "PostgreSQL database), then accept it on the ");
        addNodeNote.add(ClusterNavigation.nodes("Nodes page"));
        addNodeNote.add(", which also makes join tokens for unattended installs.");
        view = new VerticalLayout(intro, linuxDiscover, linuxConnect, esxiDiscover, esxiConnect, esxiNote, indicator,
                addNodeNote, addNode);
        view.setPadding(false);
        view.addAttachListener(this::watchWhileShown);
        view.addDetachListener(this::stopWatching);
    }

    @Override
    public WizardStep step() {
        return WizardStep.CONNECT;
    }

    @Override
    public Component view() {
        return view;
    }

    @Override
    public boolean isLast() {
        return true;
    }

    @Override
    public void show(OnboardingProgress progress) {
        subsystem = onboarding.createdSubsystem().orElse(null);
        if (subsystem == null) {
            intro.setText("There is no subsystem yet: go back to step 5.");
            waiting("No subsystem to connect to.");
            return;
        }
        String host = subsystem.allowedHosts().isEmpty() ? null : subsystem.allowedHosts().getFirst().hostNqn();
        ConnectCommands commands = fabric.connectCommands(subsystem.id(), host);
        intro.setText("Run these on the host" + (host == null ? "" : " " + host) + " to connect it to "
                + subsystem.nqn() + ". On Linux, nvme-cli must be installed and the nvme-tcp module loaded "
                + "(modprobe nvme-tcp).");
        linuxDiscover.setCommand(commands.linuxDiscover());
        linuxConnect.setCommand(commands.linuxConnect());
        esxiDiscover.setCommand(commands.esxiDiscover());
        esxiConnect.setCommand(commands.esxiConnect());
        Optional<ConnectionInfo> first = fabric.connections(subsystem.id()).stream().findFirst();
        if (first.isPresent()) {
            connected(first.get());
        } else {
            waiting("Waiting for the first host to connect…");
            view.getUI().ifPresent(ui -> startWatching(ui));
        }
    }

    @Override
    public Map<String, String> typed() {
        return Map.of();
    }

    @Override
    public void next(OnboardingProgress progress) {
        onboarding.finish();
    }

    @Override
    public boolean markInvalid(String field, String message) {
        return false;
    }

    @Override
    public void clearInvalid() {
        // nothing to type here
    }

    private void watchWhileShown(AttachEvent event) {
        if (subsystem != null && !"connected".equals(indicator.getElement().getAttribute("data-state"))) {
            startWatching(event.getUI());
        }
    }

    private void startWatching(com.vaadin.flow.component.UI ui) {
        ConnectionWatch.closeQuietly(watch);
        if (subsystem != null) {
            watch = new ConnectionWatch(fabric, subsystem.id(), ui, SecurityContextHolder.getContext(), this::connected);
        }
    }

    private void stopWatching(DetachEvent event) {
        ConnectionWatch.closeQuietly(watch);
        watch = null;
    }

    private void waiting(String text) {
        indicatorIcon.setIcon(VaadinIcon.HOURGLASS);
        indicatorIcon.setColor("var(--lumo-secondary-text-color)");
        indicatorText.setText(text);
        indicator.getElement().setAttribute("data-state", "waiting");
        indicator.getStyle().set("color", "var(--lumo-secondary-text-color)");
    }

    private void connected(ConnectionInfo connection) {
        indicatorIcon.setIcon(VaadinIcon.CHECK_CIRCLE);
        indicatorIcon.setColor("var(--lumo-success-color)");
        indicatorText.setText("Connected: " + connection.hostNqn() + " from " + connection.peerAddress() + " ("
                + connection.ioQueues() + " I/O queue" + (connection.ioQueues() == 1 ? "" : "s") + ")");
        indicator.getElement().setAttribute("data-state", "connected");
        indicator.getStyle().set("color", "var(--lumo-success-text-color)");
    }
}
