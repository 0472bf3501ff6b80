package dev.windrose.overview.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextField;
import dev.windrose.onboarding.OnboardingService;
import com.vaadin.flow.component.html.DescriptionList;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.windrose.dataplane.Dataplane;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.common.ui.Sizes;
import dev.windrose.security.UserService;
import dev.windrose.storage.NewPool;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.context.ActiveProfiles;

/** The dashboard shows what the running console reports, not made-up figures. */
@SpringBootTest(properties = "windrose.view-test=security-views")
@ActiveProfiles("test")
class DashboardViewTest extends SpringBrowserlessTest {

    /** The administrator of the shared view-test context (see the security.ui view tests). */
    static final String ADMIN = "view-admin";

    @Autowired
    UserService users;
    @Autowired
    Dataplane dataplane;
    @Autowired
    EmbeddedTarget target;
    @Autowired
    VaadinAwareSecurityContextHolderStrategy securityContexts;
    @Autowired
    dev.windrose.inventory.HostService hostService;
    @Autowired
    PoolService pools;
    @Autowired
    HealthWatch healthWatch;
    @Autowired
    OnboardingService onboarding;

    @BeforeEach
    void the_signed_in_administrator_exists() {
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(ADMIN, "Granite-Lighthouse-Wren-11");
        }
        signInAsAdmin();
        navigate(DashboardView.class);
    }

    @Test
    void the_account_and_the_loaded_library_are_shown_as_reported() {
        assertThat(fact("signed-in-as")).isEqualTo(ADMIN);
        assertThat(fact("roles")).isEqualTo("Admin");
        assertThat(fact("dataplane-version")).isEqualTo(dataplane.version());
        assertThat(fact("dataplane-abi")).isEqualTo(Integer.toString(dataplane.abiVersion()));
    }

    @Test
    void the_running_target_is_shown_with_its_real_listener() {
        EmbeddedTarget.Status status = target.status();
        assertThat(status.running()).isTrue();
        assertThat(fact("target-state")).isEqualTo("Running");
        assertThat(fact("target-discovery")).isEqualTo(status.listenAddress() + ":" + status.listenPort());
        assertThat(fact("target-controllers")).isEqualTo("0");
    }

    @Test
    void the_health_summary_counts_this_host_online_and_names_no_trouble_that_is_not_there() {
        long hosts = hostService.list(org.springframework.data.domain.PageRequest.of(0, 500)).getTotalElements();
        assertThat(fact("health-hosts")).startsWith(hosts + " of " + hosts);
        assertThat(fact("health-subsystems")).startsWith("0");
    }

    @Test
    void the_live_activity_section_has_the_cluster_charts_and_the_top_namespace_lists() {
        assertThat(find(dev.windrose.telemetry.ui.ClusterActivity.class).all()).hasSize(1);
        assertThat(descendants(find(dev.windrose.telemetry.ui.ClusterActivity.class).single())
                .filter(c -> c instanceof com.vaadin.flow.component.html.OrderedList)
                .map(list -> list.getElement().getAttribute("aria-label")).toList())
                .contains("Top namespaces by IOPS", "Top namespaces by p99 latency");
    }

    @Test
    void health_and_capacity_follow_a_change_without_a_new_visit_and_stay_as_they_are_without_one() {
        navigate(DashboardView.class);
        PoolInfo pool = pools.create(new NewPool("dashboard-" + UUID.randomUUID().toString().substring(0, 8),
                PoolType.MEMORY, null, 32L << 20, List.of(), null));
        try {
            healthWatch.refreshNow();
            roundTrip();

            List<PoolInfo> all = pools.list(null, null, PageRequest.of(0, 500)).getContent();
            long total = all.stream().mapToLong(PoolInfo::capacityBytes).sum();
            assertThat(fact("capacity-total")).isEqualTo(Sizes.bytes(total) + " in " + all.size()
                    + (all.size() == 1 ? " pool" : " pools"));
            DescriptionList.Description shown = factValue("capacity-total");
            healthWatch.refreshNow();
            roundTrip();
            assertThat(factValue("capacity-total")).as("an unchanged reading keeps the cards as they are").isSameAs(shown);
        } finally {
            pools.delete(pool.id());
        }
    }

    @Test
    void the_nodes_section_shows_this_node_live_with_its_heartbeat_dataplane_and_io() throws InterruptedException {
        String local = hostService.local().name();
        dev.windrose.telemetry.ui.NodesActivity nodes = find(dev.windrose.telemetry.ui.NodesActivity.class).single();
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
        String text = "";
        while (java.time.Instant.now().isBefore(deadline)) {
            roundTrip();
            var box = nodes.getChildren().flatMap(c -> c.getChildren())
                    .filter(c -> local.equals(c.getElement().getAttribute("data-node"))).findFirst();
            text = box.map(c -> c.getElement().getTextRecursively()).orElse("");
            if (box.isPresent() && "true".equals(box.get().getElement().getAttribute("data-live"))) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(text).contains(local + " (this node)", "Online", "Heartbeat", "Dataplane running", "IOPS",
                "MiB/s", "Sample");
    }

    @Test
    void where_to_go_names_the_next_step_and_the_api_documentation_instead_of_repeating_the_navigation() {
        assertThat(find(Anchor.class).all()).extracting(Anchor::getText)
                .contains("API documentation", "OpenAPI document", "API tokens", "guided setup")
                .doesNotContain("Users", "Audit log");
        Anchor swagger = find(Anchor.class).withText("API documentation").single();
        assertThat(swagger.getHref()).isEqualTo("/swagger-ui.html");
        assertThat(swagger.isRouterIgnore()).as("a full page load, not a console route").isTrue();
        assertThat(find(com.vaadin.flow.component.html.Paragraph.class).withId("overview-next-step").single().getText())
                .startsWith("Next: ");
    }

    @Test
    void the_next_step_follows_what_exists_pools_then_volumes_then_subsystems() {
        Health.Capacity none = new Health.Capacity(0, 0, 0, 0, 0);
        Health.Capacity pooled = new Health.Capacity(1, 1L << 30, 0, 0, 0);
        Health.Capacity allocated = new Health.Capacity(1, 1L << 30, 1L << 29, 0, 0);
        assertThat(nextStep(none)).isEqualTo("Next: put disks, a directory or memory into a pool under Pools.");
        assertThat(nextStep(pooled)).isEqualTo("Next: carve a volume out of a pool under Volumes.");
        assertThat(nextStep(allocated)).startsWith("Next: export volumes to hosts under Subsystems");
    }

    @Test
    void an_idle_list_is_replaced_by_a_sentence_not_shown_as_a_numbered_list_item() {
        var activity = find(dev.windrose.telemetry.ui.ClusterActivity.class).single();
        var lists = descendants(activity).filter(c -> c instanceof com.vaadin.flow.component.html.OrderedList).toList();
        var idle = descendants(activity).filter(c -> c instanceof com.vaadin.flow.component.html.Paragraph
                && "No namespace did any I/O in the last second.".equals(c.getElement().getText())).toList();
        assertThat(lists).hasSize(2);
        assertThat(idle).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(idle.get(i).isVisible()).as("the sentence shows exactly when its list is empty")
                    .isEqualTo(lists.get(i).getChildren().findAny().isEmpty());
            assertThat(lists.get(i).isVisible()).isNotEqualTo(idle.get(i).isVisible());
        }
        assertThat(descendants(activity).filter(c -> c instanceof com.vaadin.flow.component.html.ListItem)
                .map(item -> item.getElement().getTextRecursively()))
                .noneMatch(text -> text.contains("No namespace did any I/O"));
        assertThat(descendants(activity).filter(c -> c instanceof com.vaadin.flow.component.html.H3)
                .map(h -> h.getElement().getText()).toList())
                .contains("Top namespaces by IOPS, last second", "Top namespaces by p99 latency, last second");
    }

    @Test
    void an_administrator_renames_the_cluster_and_the_header_the_tab_title_and_the_heading_show_the_new_name() {
        test(find(Button.class).withText(onboarding.clusterName().isPresent() ? "Rename" : "Name it").single()).click();
        TextField name = find(TextField.class).withCaption("Cluster name").single();
        name.setValue("has/slash");
        test(find(Button.class).withText("Rename").last()).click();
        assertThat(name.isInvalid()).as("a refused name stays in the dialog, at its field").isTrue();

        name.setValue("Branch office 7");
        test(find(Button.class).withText("Rename").last()).click();
        roundTrip();

        assertThat(find(H2.class).id("cluster-heading").getText()).isEqualTo("Cluster Branch office 7");
        assertThat(find(Span.class).id("cluster-name").getText()).isEqualTo("Cluster Branch office 7");
        assertThat(UI.getCurrent().getInternals().getTitle()).isEqualTo("Dashboard · Branch office 7");
        assertThat(onboarding.clusterName()).contains("Branch office 7");
    }

    private static java.util.stream.Stream<com.vaadin.flow.component.Component> descendants(
            com.vaadin.flow.component.Component root) {
        return root.getChildren().flatMap(child -> java.util.stream.Stream.concat(java.util.stream.Stream.of(child),
                descendants(child)));
    }

    private static String nextStep(Health.Capacity capacity) {
        Health health = new Health(1, List.of(), List.of(), List.of(), List.of(), capacity, List.of(), 80);
        return DashboardView.whereToGoCard(health).getChildren()
                .filter(child -> "overview-next-step".equals(child.getId().orElse(null)))
                .findFirst().orElseThrow().getElement().getTextRecursively();
    }

    /** The value whose term has the given id suffix (values are tied to their terms by aria-labelledby). */
    private String fact(String id) {
        return factValue(id).getText();
    }

    private DescriptionList.Description factValue(String id) {
        String termId = "overview-" + id + "-term";
        return find(DescriptionList.Description.class)
                .withCondition(value -> termId.equals(value.getElement().getAttribute("aria-labelledby")))
                .single();
    }

    /**
     * Every Spring context in the test JVM installs its own Vaadin security-context strategy as the
     * global one; this cached context's strategy is made current again before signing in.
     */
    private void signInAsAdmin() {
        SecurityContextHolder.setContextHolderStrategy(securityContexts);
        SecurityContext context = securityContexts.createEmptyContext();
        // An administrator's effective roles, as the console grants them at sign-in (admin includes the others).
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(ADMIN, null,
                AuthorityUtils.createAuthorityList("ROLE_ADMIN", "ROLE_OPERATOR", "ROLE_VIEWER")));
        securityContexts.setContext(context);
        // The Vaadin strategy prefers a context kept in the session (e.g. an anonymous one from an
        // earlier redirect to the sign-in page) over its thread-local: replace that one too.
        VaadinSession session = VaadinSession.getCurrent();
        if (session != null) {
            session.getSession().setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
                    context);
        }
    }
}
