package dev.windrose.cluster.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.windrose.cluster.ClusterService;
import dev.windrose.cluster.Membership;
import dev.windrose.cluster.NodeInfo;
import dev.windrose.common.ui.CopyableCommand;
import dev.windrose.inventory.HostService;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.context.ActiveProfiles;

/** The Nodes page: what it lists, a refusal in words, the join command and a join token shown once. */
@SpringBootTest(properties = "windrose.view-test=security-views")
@ActiveProfiles("test")
class NodesViewTest extends SpringBrowserlessTest {

    /** The administrator of the shared view-test context (see the security.ui view tests). */
    static final String ADMIN = "view-admin";

    @Autowired
    UserService users;
    @Autowired
    ClusterService cluster;
    @Autowired
    HostService hosts;
    @Autowired
    VaadinAwareSecurityContextHolderStrategy securityContexts;

    @BeforeEach
    void the_signed_in_administrator_exists() {
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(ADMIN, "Granite-Lighthouse-Wren-11");
        }
        signInAs(ADMIN, Role.ADMIN);
    }

    @Test
    void this_node_is_listed_as_a_member_with_its_running_dataplane() throws InterruptedException {
        NodesView view = navigate(NodesView.class);
        NodeInfo local = view.shown().stream().filter(NodeInfo::local).findFirst().orElseThrow();
        assertThat(local.name()).isEqualTo(hosts.local().name());
        assertThat(local.membership()).isEqualTo(Membership.MEMBER);
        assertThat(NodesView.state(local).getText()).isEqualTo("Online");
        // The node's first sample reaches the exchange within a second or two of the target starting.
        Instant deadline = Instant.now().plusSeconds(10);
        while (!view.dataplane(local).equals("Running") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(view.dataplane(local)).isEqualTo("Running");
    }

    @Test
    void removing_the_node_that_serves_the_console_is_refused_in_words() {
        NodesView view = navigate(NodesView.class);
        NodeInfo local = view.shown().stream().filter(NodeInfo::local).findFirst().orElseThrow();
        view.remove(local);
        assertThat(view.refusal()).isEqualTo("Node " + local.name() + " is the node serving this console. Sign in on "
                + "another node to remove it.");
        assertThat(view.shown()).extracting(NodeInfo::id).contains(local.id());
    }

    @Test
    void the_exact_join_command_is_shown_and_a_join_token_is_shown_once_with_its_command() {
        navigate(NodesView.class);
        assertThat(find(CopyableCommand.class).all()).extracting(CopyableCommand::command)
                .containsExactly(cluster.joinCommand().command());
        test(find(Button.class).withText("Create join token").single()).click();
        assertThat(find(CopyableCommand.class).all()).hasSize(2).last().satisfies(withToken ->
                assertThat(withToken.command()).contains("WINDROSE_CLUSTER_JOIN_TOKEN=wrjoin_").endsWith("./run.sh"));
    }

    @Test
    void a_viewer_sees_the_nodes_and_the_command_but_no_administrator_action() {
        signInAs("nodes-viewer", Role.VIEWER);
        NodesView view = navigate(NodesView.class);
        assertThat(view.shown()).isNotEmpty();
        assertThat(find(CopyableCommand.class).all()).hasSize(1);
        assertThat(find(Button.class).withText("Create join token").all()).isEmpty();
    }

    @Test
    void heartbeat_ages_read_in_seconds_minutes_hours_and_days() {
        assertThat(NodesView.ago(Duration.ofMillis(1500))).isEqualTo("1 s ago");
        assertThat(NodesView.ago(Duration.ofMinutes(5))).isEqualTo("5 min ago");
        assertThat(NodesView.ago(Duration.ofHours(3))).isEqualTo("3 h ago");
        assertThat(NodesView.ago(Duration.ofDays(4))).isEqualTo("4 days ago");
    }

    /** This cached context's Vaadin strategy made current again, then the user signed in with the role's roles. */
    private void signInAs(String username, Role role) {
        SecurityContextHolder.setContextHolderStrategy(securityContexts);
        SecurityContext context = securityContexts.createEmptyContext();
        String[] authorities = role.withIncludedRoles().stream().map(Role::authority).toArray(String[]::new);
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(username, null,
                AuthorityUtils.createAuthorityList(authorities)));
        securityContexts.setContext(context);
        VaadinSession session = VaadinSession.getCurrent();
        if (session != null) {
            session.getSession().setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
                    context);
        }
    }
}
