package dev.windrose.aggregation.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.windrose.aggregation.AggregationInfo;
import dev.windrose.aggregation.AggregationInfo.DriveInfo;
import dev.windrose.aggregation.AggregationService;
import dev.windrose.aggregation.DriveGroup;
import dev.windrose.aggregation.DriveTier;
import dev.windrose.aggregation.MemberOs;
import dev.windrose.aggregation.NewAggregation;
import dev.windrose.aggregation.Platform;
import dev.windrose.aggregation.PlatformRules;
import dev.windrose.aggregation.Proposal;
import dev.windrose.aggregation.ProposedMember;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.storage.NewPool;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.context.ActiveProfiles;

/**
 * The wizard's change mode, driven on the server (no browser): it opens on the aggregation as it is, checks
 * each edit with the rules and the change's own limits, lists each step on the review, and makes the change.
 */
@SpringBootTest(properties = "windrose.test-context=aggregation-views")
@ActiveProfiles("test")
class AggregationWizardViewTest extends SpringBrowserlessTest {

    static final String ADMIN = "aggregation-admin";
    static final String PASSWORD = "Granite-Lighthouse-Wren-11";

    @Autowired
    UserService users;
    @Autowired
    AggregationService aggregations;
    @Autowired
    PoolService pools;
    @Autowired
    VaadinAwareSecurityContextHolderStrategy securityContexts;

    @TempDir
    Path directory;
    PoolInfo pool;
    AggregationInfo aggregation;

    @BeforeEach
    void an_operator_has_an_aggregation_of_two_members() {
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(ADMIN, PASSWORD);
        }
        signInAs(Role.OPERATOR);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        pool = pools.create(new NewPool("flash-" + suffix, PoolType.DIRECTORY, directory.toString(), null, List.of(),
                1000));
        aggregation = aggregations.create(new NewAggregation(new Proposal("view-" + suffix, Platform.S2D,
                List.of(member(1), member(2))), null));
    }

    @AfterEach
    void delete_what_the_test_made() {
        signInAs(Role.OPERATOR);
        aggregations.delete(aggregation.id());
        pools.delete(pool.id());
    }

    @Test
    void a_change_adds_a_member_and_grows_the_drives_after_showing_each_step() {
        navigate("aggregations/" + aggregation.id() + "/edit", AggregationWizardView.class);
        assertThat(find(H3.class).single().getText()).isEqualTo("Change aggregation " + aggregation.name());
        List<TextField> names = find(TextField.class).withCaption("Member name").all();
        assertThat(names).extracting(TextField::getValue).containsExactly("node1", "node2");
        assertThat(names).allMatch(TextField::isReadOnly);

        test(button("Add member")).click();
        List<TextField> nqns = find(TextField.class).withCaption("Host NQN").all();
        test(nqns.get(2)).setValue(hostNqn(3));
        test(button("Next")).click();

        test(integer("Capacity drives per member")).setValue(3);
        assertThat(text(find(FindingsList.class).single())).contains("nothing can be changed until")
                .contains("node1 would keep 3 of its 4 capacity drives of 1 GiB");
        test(integer("Capacity drives per member")).setValue(4);
        test(integer("Capacity drive size (GiB)")).setValue(2);
        assertThat(text(find(FindingsList.class).single())).contains("The layout meets the platform's rules");
        test(button("Next")).click();

        assertThat(find(ListItem.class).all()).extracting(ListItem::getText).contains(
                "Grow 4 of node1's capacity drives from 1 GiB to 2 GiB (in place: connected hosts are told the new size).",
                "Grow 4 of node2's capacity drives from 1 GiB to 2 GiB (in place: connected hosts are told the new size).",
                "Add member node3 with 4 drives (8 GiB) and its own subsystem, which admits " + hostNqn(3) + " only.");
        // Nobody is connected: there is nothing to force, so the box is not shown (find sees visible ones only).
        assertThat(find(Checkbox.class).all()).noneMatch(box -> box.getLabel().startsWith("Change it even though"));
        test(button("Change aggregation")).click();

        AggregationInfo changed = aggregations.get(aggregation.id());
        assertThat(changed.members()).extracting(AggregationInfo.MemberInfo::name).containsExactly("node1", "node2",
                "node3");
        assertThat(changed.members()).allSatisfy(member -> assertThat(member.drives()).hasSize(4)
                .extracting(DriveInfo::sizeBytes).containsOnly(2 * PlatformRules.GIB));
    }

    @Test
    void a_change_the_service_refuses_is_not_made_and_says_why() {
        navigate("aggregations/" + aggregation.id() + "/edit", AggregationWizardView.class);
        // The first member leaves: one server is not a Storage Spaces Direct cluster.
        test(find(Button.class).all().stream().filter(b -> "Remove member 1".equals(b.getAriaLabel().orElse("")))
                .findFirst().orElseThrow()).click();
        test(button("Next")).click();
        test(button("Next")).click();
        test(button("Change aggregation")).click();

        assertThat(find(Paragraph.class).all()).extracting(Paragraph::getText)
                .anyMatch(t -> t.startsWith("Not changed.") && t.contains("Storage Spaces Direct needs 2 to 16 servers"));
        assertThat(aggregations.get(aggregation.id()).members()).hasSize(2);
    }

    @Test
    void empty_host_nqns_are_refused_on_the_members_step_naming_each_member_and_no_verdict_is_shown_before_a_check() {
        navigate("aggregations/new", AggregationWizardView.class);
        test(button("Next")).click();
        List<TextField> nqns = find(TextField.class).withCaption("Host NQN").all();
        assertThat(nqns).isNotEmpty().noneMatch(TextField::isInvalid);

        test(button("Next")).click();

        assertThat(find(TextField.class).withCaption("Host NQN").all()).allMatch(TextField::isInvalid);
        assertThat(find(Paragraph.class).withClassName("member-refusal").single().getText())
                .contains("Member node1: Enter the host NQN its initiator presents.")
                .contains("Member node2: Enter the host NQN its initiator presents.");
        com.vaadin.flow.component.tabs.Tabs tabs = find(com.vaadin.flow.component.tabs.Tabs.class).single();
        assertThat(tabs.getSelectedIndex()).as("still on the members step").isEqualTo(1);

        // The steps' tabs let the user jump ahead: there the rules give no verdict on what they could not check.
        tabs.setSelectedIndex(2);
        String findings = text(find(FindingsList.class).single());
        assertThat(findings).startsWith("Not checked yet: Member node1").doesNotContain("meets the platform's rules");
        assertThat(find(PlanGrid.class).all()).isEmpty();
        tabs.setSelectedIndex(3);
        assertThat(button("Create aggregation").isEnabled()).isFalse();

        tabs.setSelectedIndex(1);
        test(find(TextField.class).withCaption("Host NQN").all().get(0)).setValue("nqn.not-a-host");
        assertThat(find(TextField.class).withCaption("Host NQN").all().get(0).getErrorMessage()).contains("is not an NQN");
        test(find(TextField.class).withCaption("Host NQN").all().get(0)).setValue(hostNqn(11));
        test(find(TextField.class).withCaption("Host NQN").all().get(1)).setValue(hostNqn(12));
        assertThat(find(TextField.class).withCaption("Host NQN").all()).noneMatch(TextField::isInvalid);
        test(button("Next")).click();
        assertThat(tabs.getSelectedIndex()).isEqualTo(2);
        assertThat(text(find(FindingsList.class).single())).doesNotStartWith("Not checked yet");
    }

    private ProposedMember member(int index) {
        return new ProposedMember("node" + index, MemberOs.WINDOWS, hostNqn(index), null,
                List.of(new DriveGroup(DriveTier.CAPACITY, 4, PlatformRules.GIB, pool.id())));
    }

    private static String hostNqn(int index) {
        return "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-4000-9000-" + String.format("%012d", index);
    }

    private IntegerField integer(String caption) {
        return find(IntegerField.class).withCaption(caption).single();
    }

    private Button button(String text) {
        return find(Button.class).withText(text).single();
    }

    private static String text(com.vaadin.flow.component.Component component) {
        return component.getElement().getTextRecursively();
    }

    /** As a real sign-in: the role and the roles it includes (the same helper as the fabric view tests'). */
    private void signInAs(Role role) {
        SecurityContextHolder.setContextHolderStrategy(securityContexts);
        SecurityContext context = securityContexts.createEmptyContext();
        String[] authorities = role.withIncludedRoles().stream().map(Role::authority).toArray(String[]::new);
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(ADMIN, null,
                AuthorityUtils.createAuthorityList(authorities)));
        securityContexts.setContext(context);
        VaadinSession session = VaadinSession.getCurrent();
        if (session != null) {
            session.getSession().setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
        }
    }
}
