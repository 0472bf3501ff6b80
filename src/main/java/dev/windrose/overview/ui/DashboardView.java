package dev.windrose.overview.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.card.Card;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.DescriptionList;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.Text;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.server.menu.MenuEntry;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.MainLayout;
import dev.windrose.fabric.ui.FabricNavigation;
import dev.windrose.storage.ui.StorageNavigation;
import dev.windrose.common.ui.Sizes;
import dev.windrose.dataplane.Dataplane;
import dev.windrose.dataplane.DataplaneException;
import dev.windrose.dataplane.DataplaneTarget;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.inventory.HostInfo;
import dev.windrose.storage.PoolInfo;
import dev.windrose.security.Role;
import dev.windrose.telemetry.Subscription;
import dev.windrose.telemetry.TelemetryService;
import dev.windrose.telemetry.ui.ClusterActivity;
import dev.windrose.telemetry.ui.NodesActivity;
import dev.windrose.telemetry.NodeStatistics;
import dev.windrose.cluster.ClusterService;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.Notices;
import dev.windrose.onboarding.OnboardingService;
import java.time.Clock;
import dev.windrose.security.UserService;
import dev.windrose.security.UserSummary;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The landing page after sign-in, the dashboard: what needs attention (hosts, disks, pools,
 * subsystems) and the capacity; the cluster's activity live, pushed by the telemetry feature every
 * second; and this node's facts (account, dataplane library, target).
 *
 * <p>Health and capacity follow changes over the same push channel: {@link HealthWatch} reads them
 * once for all open dashboards whenever an alert event changes and every few samples, and the cards
 * are redrawn only when what they say changed.
 */
@Route(value = "", layout = MainLayout.class)
@PageTitle("Dashboard")
@Menu(order = 0, icon = "vaadin:dashboard", title = "Dashboard")
@PermitAll
class DashboardView extends VerticalLayout {

    private final HealthWatch healthWatch;
    private final FlexLayout healthRow;
    private Health shownHealth;
    private @Nullable Subscription following;

    DashboardView(UserService users, Dataplane dataplane, EmbeddedTarget target, HealthWatch healthWatch,
            TelemetryService telemetry, ClusterService cluster, NodeStatistics nodeStatistics, Clock clock,
            OnboardingService onboarding) {
        this.healthWatch = healthWatch;
        setPadding(true);
        setMaxWidth("90rem");
        UserSummary me = users.currentUser();
        add(clusterHeading(onboarding, me.roles().contains(Role.ADMIN)));
        shownHealth = healthWatch.read();
        healthRow = row(healthCard(shownHealth), capacityCard(shownHealth));
        add(healthRow);
        add(sectionHeading("Nodes"), new NodesActivity(cluster, nodeStatistics, clock));
        add(sectionHeading("Activity"), new ClusterActivity(telemetry));
        add(sectionHeading("This node"));
        add(row(accountCard(me), dataplaneCard(dataplane), targetCard(target), whereToGoCard(shownHealth)));
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        UI ui = attach.getUI();
        following = healthWatch.follow(health -> {
            try {
                ui.access(() -> show(health));
            } catch (UIDetachedException closed) {
                // The page went away meanwhile; detach stops following.
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        if (following != null) {
            following.cancel();
            following = null;
        }
    }

    /** Redraws the health and capacity cards if this reading says something else than they do. */
    private void show(Health health) {
        if (health.equals(shownHealth)) {
            return;
        }
        shownHealth = health;
        healthRow.removeAll();
        healthRow.add(healthCard(health), capacityCard(health));
    }

    /** The cluster's name (from the guided setup), which administrators may change here. */
    private static Component clusterHeading(OnboardingService onboarding, boolean admin) {
        H2 heading = new H2(onboarding.clusterName().map(name -> "Cluster " + name).orElse("This cluster has no name yet"));
        heading.setId("cluster-heading");
        heading.addClassNames(LumoUtility.FontSize.XLARGE, LumoUtility.Margin.NONE);
        HorizontalLayout line = new HorizontalLayout(heading);
        line.setAlignItems(FlexComponent.Alignment.BASELINE);
        if (admin) {
            Button rename = new Button(onboarding.clusterName().isPresent() ? "Rename" : "Name it",
                    click -> renameDialog(onboarding).open());
            rename.addThemeVariants(ButtonVariant.TERTIARY);
            rename.setAriaLabel("Rename the cluster");
            line.add(rename);
        }
        return line;
    }

    private static Dialog renameDialog(OnboardingService onboarding) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Rename the cluster");
        TextField name = new TextField("Cluster name");
        name.setValue(onboarding.clusterName().orElse(""));
        name.setHelperText("Shown in the header and every tab title. 1 to 64 letters, digits, spaces, '.', '_' or '-'.");
        name.setWidthFull();
        dialog.add(name);
        Button save = new Button("Rename", click -> {
            try {
                String renamed = onboarding.renameCluster(name.getValue());
                dialog.close();
                Notices.success("The cluster is now called " + renamed + ".");
                UI.getCurrent().refreshCurrentRoute(false);
            } catch (InvalidInputException refused) {
                name.setErrorMessage(refused.getMessage());
                name.setInvalid(true);
            }
        });
        save.addThemeVariants(ButtonVariant.PRIMARY);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), save);
        dialog.setWidth("min(30rem, 95vw)");
        return dialog;
    }

    private static FlexLayout row(Component... cards) {
        FlexLayout row = new FlexLayout(cards);
        row.setFlexWrap(FlexLayout.FlexWrap.WRAP);
        row.addClassNames(LumoUtility.Gap.MEDIUM);
        row.setWidthFull();
        return row;
    }

    private static H2 sectionHeading(String text) {
        H2 heading = new H2(text);
        heading.addClassNames(LumoUtility.FontSize.LARGE, LumoUtility.Margin.Top.MEDIUM, LumoUtility.Margin.Bottom.NONE);
        return heading;
    }

    /** Each kind of trouble with a count, the names of what is affected, and a link to look closer. */
    private static Card healthCard(Health health) {
        Card card = card("Health");
        card.add(facts(
                fact("health-hosts", "Hosts online", health.hostsOnline() + " of "
                        + (health.hostsOnline() + health.hostsOffline().size())
                        + names(health.hostsOffline().stream().map(HostInfo::name).toList(), "offline")),
                fact("health-disks", "Disks with warnings", health.disksWithWarnings().size()
                        + names(health.disksWithWarnings().stream().map(disk -> disk.hostName() + ":" + disk.name()).toList(), "")),
                fact("health-pools", "Pools running out of space (" + health.nearFullPercent() + " % or more written)",
                        health.poolsRunningOut().size() + names(health.poolsRunningOut().stream()
                                .map(pool -> pool.name() + " " + Health.usedPercent(pool) + " %").toList(), "")),
                fact("health-subsystems", "Subsystems with errors", health.subsystemsWithErrors().size()
                        + names(health.subsystemsWithErrors().stream().map(SubsystemInfo::nqn).toList(), ""))));
        if (health.allWell()) {
            card.add(hint("All hosts are online; no disk, pool or subsystem needs attention."));
        } else {
            HorizontalLayout links = new HorizontalLayout(new Anchor("hosts", "Hosts"), new Anchor("disks", "Disks"),
                    new Anchor("pools", "Pools"), new Anchor("subsystems", "Subsystems"));
            links.addClassNames(LumoUtility.FontSize.SMALL);
            card.add(links);
        }
        return card;
    }

    private static Card capacityCard(Health health) {
        Health.Capacity capacity = health.capacity();
        Card card = card("Capacity");
        if (capacity.pools() == 0) {
            card.add(facts(fact("capacity-total", "Pool capacity", "No pool yet")));
            card.add(hint("Create a pool from free disks, a directory or memory under Pools."));
            return card;
        }
        List<Fact> facts = new ArrayList<>();
        facts.add(fact("capacity-total", "Pool capacity", Sizes.bytes(capacity.capacityBytes()) + " in "
                + capacity.pools() + (capacity.pools() == 1 ? " pool" : " pools")));
        facts.add(fact("capacity-allocated", "Allocated to volumes", Sizes.bytes(capacity.allocatedBytes())
                + percentOf(capacity.allocatedBytes(), capacity.capacityBytes())));
        String used = Sizes.bytes(capacity.usedBytes()) + percentOf(capacity.usedBytes(), capacity.capacityBytes());
        if (capacity.poolsWithoutUsage() > 0) {
            used += " (" + capacity.poolsWithoutUsage() + " pool(s) cannot measure use)";
        }
        facts.add(fact("capacity-used", "Used", used));
        if (!health.poolsFullyAllocated().isEmpty()) {
            facts.add(fact("capacity-fully-allocated", "Fully allocated (no room for a new volume)",
                    health.poolsFullyAllocated().size() + names(health.poolsFullyAllocated().stream()
                            .map(PoolInfo::name).toList(), "")));
        }
        card.add(facts(facts.toArray(Fact[]::new)));
        return card;
    }

    private static String percentOf(long part, long whole) {
        return whole <= 0 ? "" : " (" + (part * 100 / whole) + " %)";
    }

    /** ": a, b, c" (at most five names, then "…"), with an optional word after, or nothing. */
    private static String names(List<String> names, String after) {
        if (names.isEmpty()) {
            return "";
        }
        String shown = names.stream().limit(5).collect(Collectors.joining(", "))
                + (names.size() > 5 ? ", …" : "");
        return after.isEmpty() ? ": " + shown : " (" + shown + " " + after + ")";
    }

    private static Card accountCard(UserSummary user) {
        Card card = card("Your account");
        card.add(facts(
                fact("signed-in-as", "Signed in as", user.username()),
                fact("roles", "Roles", roleNames(user))));
        return card;
    }

    private static Card dataplaneCard(Dataplane dataplane) {
        Card card = card("Dataplane");
        card.add(facts(
                fact("dataplane-version", "Dataplane library version", dataplane.version()),
                fact("dataplane-abi", "Interface (ABI) version", Integer.toString(dataplane.abiVersion()))));
        card.add(hint("The NVMe/TCP target library this console loaded at start-up."));
        return card;
    }

    /** The embedded NVMe/TCP target as it is at this visit: running or why not, where, how busy. */
    private static Card targetCard(EmbeddedTarget embedded) {
        Card card = card("NVMe/TCP target");
        EmbeddedTarget.Status status = embedded.status();
        if (!status.enabled()) {
            card.add(facts(fact("target-state", "State", "Switched off")));
            card.add(hint("Set windrose.dataplane.target.enabled=true to serve NVMe/TCP initiators."));
            return card;
        }
        if (!status.running()) {
            card.add(facts(fact("target-state", "State", "Not running")));
            card.add(hint(Objects.requireNonNullElse(status.problem(), "The target has not started.")));
            return card;
        }
        List<Fact> facts = new ArrayList<>();
        facts.add(fact("target-state", "State", "Running"));
        facts.add(fact("target-discovery", "Discovery listener", status.listenAddress() + ":" + status.listenPort()));
        embedded.target().ifPresent(target -> facts.addAll(liveFacts(target)));
        card.add(facts(facts.toArray(Fact[]::new)));
        return card;
    }

    /** Read from the library now; if it cannot answer, the card says so instead of inventing numbers. */
    private static List<Fact> liveFacts(DataplaneTarget target) {
        try {
            return List.of(
                    fact("target-reactors", "Reactor threads", Integer.toString(target.stats().reactors().size())),
                    fact("target-controllers", "Connected controllers", Integer.toString(target.controllers().size())));
        } catch (DataplaneException e) {
            return List.of(fact("target-live", "Live figures", "unavailable: " + e.getMessage()));
        }
    }

    /**
     * What to do next rather than the navigation again: the next step from a fresh install to a connected
     * host (as far as the capacity tells it), the API's documentation for scripts, and the guided setup.
     */
    static Card whereToGoCard(Health health) {
        Card card = card("Where to go");
        Health.Capacity capacity = health.capacity();
        Paragraph next = new Paragraph();
        next.setId("overview-next-step");
        if (capacity.pools() == 0) {
            next.add(new Text("Next: put disks, a directory or memory into a pool under "), StorageNavigation.pools("Pools"),
                    new Text("."));
        } else if (capacity.allocatedBytes() == 0) {
            next.add(new Text("Next: carve a volume out of a pool under "), StorageNavigation.volumes("Volumes"),
                    new Text("."));
        } else {
            next.add(new Text("Next: export volumes to hosts under "), FabricNavigation.subsystems("Subsystems"),
                    new Text("; each subsystem's page has the commands a host connects with."));
        }
        next.addClassNames(LumoUtility.Margin.Top.NONE);
        card.add(next);
        menuEntry("Guided setup").ifPresent(setup -> card.add(paragraph(new Text("Or let the "),
                new Anchor(setup.path(), "guided setup"), new Text(" walk from disks to a connected host."))));
        // Served outside the console's router (springdoc): a full page load, not a route.
        Anchor swagger = new Anchor("/swagger-ui.html", "API documentation");
        swagger.setRouterIgnore(true);
        Anchor openApi = new Anchor("/v3/api-docs", "OpenAPI document");
        openApi.setRouterIgnore(true);
        Paragraph api = paragraph(new Text("For scripts: "), swagger, new Text(" (Swagger UI), the "), openApi);
        menuEntry("API tokens").ifPresent(tokens -> api.add(new Text(", and "), new Anchor(tokens.path(),
                "API tokens"), new Text(" to call it with")));
        api.add(new Text("."));
        card.add(api);
        return card;
    }

    private static Paragraph paragraph(Component... parts) {
        Paragraph paragraph = new Paragraph(parts);
        paragraph.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.Margin.Bottom.NONE);
        return paragraph;
    }

    /** A view of the side navigation, if this user may open it. */
    private static java.util.Optional<MenuEntry> menuEntry(String title) {
        return MenuConfiguration.getMenuEntries().stream().filter(entry -> title.equals(entry.title())).findFirst();
    }

    private static Card card(String title) {
        Card card = new Card();
        card.setTitle(title, 3);
        card.setMinWidth("18rem");
        card.getStyle().set("flex", "1 1 18rem");
        return card;
    }

    private static DescriptionList facts(Fact... facts) {
        DescriptionList list = new DescriptionList();
        list.addClassNames(LumoUtility.Margin.NONE);
        for (Fact fact : facts) {
            DescriptionList.Term term = new DescriptionList.Term(fact.label());
            term.setId("overview-" + fact.id() + "-term");
            term.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.TextColor.SECONDARY);
            DescriptionList.Description value = new DescriptionList.Description(fact.value());
            // Ties the value to its term, so assistive technology (and tests) find it by its label.
            value.getElement().setAttribute("aria-labelledby", term.getId().orElseThrow());
            value.addClassNames(LumoUtility.Margin.Left.NONE, LumoUtility.Margin.Bottom.SMALL,
                    LumoUtility.FontWeight.SEMIBOLD);
            list.add(term, value);
        }
        return list;
    }

    private static Paragraph hint(String text) {
        Paragraph hint = new Paragraph(text);
        hint.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.NONE);
        return hint;
    }

    private static Fact fact(String id, String label, String value) {
        return new Fact(id, label, value);
    }

    private record Fact(String id, String label, String value) {
    }

    private static String roleNames(UserSummary user) {
        return user.roles().stream().sorted().map(DashboardView::roleName).collect(Collectors.joining(", "));
    }

    private static String roleName(Role role) {
        String name = role.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
