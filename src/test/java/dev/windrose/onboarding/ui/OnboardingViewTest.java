package dev.windrose.onboarding.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import dev.windrose.storage.NewPool;
import dev.windrose.storage.PoolInfo;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.onboarding.OnboardingProgress;
import dev.windrose.onboarding.OnboardingService;
import dev.windrose.onboarding.OnboardingStatus;
import dev.windrose.onboarding.WizardStep;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.UserService;
import dev.windrose.storage.PoolType;
import dev.windrose.storage.VolumeService;
import dev.windrose.support.Leftovers;
import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.EventService;
import dev.windrose.telemetry.EventState;
import dev.windrose.telemetry.internal.AlertsNow;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.ActiveProfiles;

/** The guided setup as an administrator meets it, driven on the server (no browser). */
@SpringBootTest(properties = "windrose.test-context=onboarding-views")
@ActiveProfiles("test")
@WithMockUser(username = OnboardingViewTest.ADMIN, roles = {"ADMIN", "OPERATOR", "VIEWER"})
class OnboardingViewTest extends SpringBrowserlessTest {

    static final String ADMIN = "wizard-admin";
    static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:0f0e0d0c-0b0a-0908-0706-050403020100";

    @Autowired
    UserService users;
    @Autowired
    OnboardingService onboarding;
    @Autowired
    FabricService fabric;
    @Autowired
    VolumeService volumes;
    @Autowired
    dev.windrose.storage.PoolService pools;
    @Autowired
    EmbeddedTarget target;
    @Autowired
    AuditLog auditLog;
    @Autowired
    ApplicationContext context;
    @Autowired
    EventService events;

    /** The directory of the pool a test makes; JUnit removes it once the pool is deleted. */
    @TempDir
    Path directory;
    Leftovers leftovers;

    /** The layout looks the signed-in user up; every test starts the wizard from step 1. */
    @BeforeEach
    void a_fresh_wizard() {
        leftovers = Leftovers.now(context);
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(ADMIN, "Granite-Lighthouse-Wren-11");
        }
        onboarding.restart();
    }

    @Test
    void the_wizard_goes_from_a_cluster_name_to_the_connect_commands_and_back_keeps_what_was_typed() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        navigate(OnboardingView.class);
        assertThat(title()).isEqualTo("Step 1 of 6: Cluster");

        type("Cluster name", "Test lab " + suffix);
        @SuppressWarnings("unchecked")
        CheckboxGroup<String> addresses = find(CheckboxGroup.class).withCaption("Listener addresses").single();
        assertThat(addresses.getItemLabelGenerator().apply("127.0.0.1")).contains("loopback");
        addresses.setValue(Set.of("127.0.0.1"));
        next();
        assertThat(title()).isEqualTo("Step 2 of 6: Disks");

        click("Back");
        assertThat(title()).isEqualTo("Step 1 of 6: Cluster");
        assertThat(text("Cluster name").getValue()).isEqualTo("Test lab " + suffix);
        assertThat(addresses.getValue()).containsExactly("127.0.0.1");
        next();

        next(); // no disk chosen
        assertThat(title()).isEqualTo("Step 3 of 6: Pool");
        @SuppressWarnings("unchecked")
        Select<PoolType> type = find(Select.class).withCaption("Pool type").single();
        assertThat(type.getValue()).isEqualTo(PoolType.DIRECTORY);
        assertThat(paragraphs()).anyMatch(p -> p.startsWith("Suggested: a directory pool"));
        type("Pool name", "pool-" + suffix);
        type("Directory", directory.toString());
        next();

        assertThat(title()).isEqualTo("Step 4 of 6: Volumes");
        type("Volume name", "vol-" + suffix);
        test(find(IntegerField.class).withCaption("Size (MiB)").single()).setValue(8);
        next();

        assertThat(title()).isEqualTo("Step 5 of 6: Subsystem");
        String nqn = text("Subsystem NQN").getValue();
        assertThat(nqn).startsWith("nqn.").endsWith(":test-lab-" + suffix);
        type("Subsystem NQN", nqn);
        type("Host NQN of the first host", "nqn.host-without-a-date");
        assertThat(text("Host NQN of the first host").isInvalid()).isTrue();
        next();
        assertThat(title()).as("a malformed host NQN is refused").isEqualTo("Step 5 of 6: Subsystem");
        assertThat(text("Host NQN of the first host").getErrorMessage()).contains("is not an NQN");
        assertThat(fabric.list()).as("a refused step leaves nothing behind").noneMatch(s -> s.nqn().equals(nqn));

        type("Host NQN of the first host", HOST);
        next();
        assertThat(title()).isEqualTo("Step 6 of 6: Connect");
        SubsystemInfo created = fabric.list().stream().filter(s -> s.nqn().equals(nqn)).findFirst().orElseThrow();
        assertThat(created.namespaces()).singleElement().satisfies(ns -> assertThat(ns.volumeName()).isEqualTo("vol-" + suffix));
        assertThat(created.allowedHosts()).singleElement().satisfies(h -> assertThat(h.hostNqn()).isEqualTo(HOST));
        int port = target.status().listenPort();
        assertThat(text("Linux: connect").getValue())
                .isEqualTo("nvme connect -t tcp -a 127.0.0.1 -s " + port + " -n " + nqn + " -q " + HOST)
                .isEqualTo(fabric.connectCommands(created.id(), HOST).linuxConnect());
        assertThat(text("ESXi: connect").getValue()).isEqualTo(fabric.connectCommands(created.id(), HOST).esxiConnect());
        assertThat(paragraphsAndSpans()).anyMatch(t -> t.startsWith("Waiting for the first host to connect"));

        OnboardingProgress stored = onboarding.progress();
        assertThat(stored.currentStep()).isEqualTo(WizardStep.CONNECT);
        assertThat(stored.clusterName()).isEqualTo("Test lab " + suffix);
        assertThat(stored.field(WizardStep.SUBSYSTEM, "hostNqn")).contains(HOST);

        click("Finish");
        assertThat(onboarding.progress().status()).isEqualTo(OnboardingStatus.FINISHED);
        assertThat(auditLog.page(PageRequest.of(0, 50)).getContent())
                .anyMatch(entry -> entry.action() == AuditAction.ONBOARDING_FINISHED)
                .anyMatch(entry -> entry.action() == AuditAction.CLUSTER_NAMED);
        fabric.delete(created.id());
    }

    @Test
    void a_reopened_wizard_resumes_at_the_stored_step_with_what_was_typed() {
        navigate(OnboardingView.class);
        type("Cluster name", "Resumed lab");
        next();
        assertThat(title()).isEqualTo("Step 2 of 6: Disks");

        navigate(OnboardingView.class);

        assertThat(title()).isEqualTo("Step 2 of 6: Disks");
        click("Back");
        assertThat(text("Cluster name").getValue()).isEqualTo("Resumed lab");
    }

    @Test
    void a_bad_cluster_name_is_refused_in_words_before_next() {
        navigate(OnboardingView.class);
        type("Cluster name", "  ");
        next();

        assertThat(title()).isEqualTo("Step 1 of 6: Cluster");
        assertThat(text("Cluster name").isInvalid()).isTrue();
        assertThat(text("Cluster name").getErrorMessage()).contains("1 to 64 characters");
    }

    @Test
    void skipping_closes_the_offer_and_the_page_offers_to_run_it_again() {
        navigate(OnboardingView.class);
        click("Skip setup");
        assertThat(onboarding.progress().status()).isEqualTo(OnboardingStatus.SKIPPED);
        assertThat(onboarding.offered()).isFalse();

        navigate(OnboardingView.class);
        click("Run the guided setup again");

        assertThat(onboarding.offered()).isTrue();
        assertThat(title()).isEqualTo("Step 1 of 6: Cluster");
    }

    @Test
    void the_allow_any_host_choice_shows_a_warning_and_needs_no_host_nqn() {
        navigate(OnboardingView.class);
        type("Cluster name", "Any host lab");
        next();
        next();
        type("Pool name", "anyhost-" + UUID.randomUUID().toString().substring(0, 8));
        type("Directory", directory.toString());
        next();
        type("Volume name", "anyhost-" + UUID.randomUUID().toString().substring(0, 8));
        test(find(IntegerField.class).withCaption("Size (MiB)").single()).setValue(8);
        next();
        next();
        assertThat(text("Host NQN of the first host").getErrorMessage()).contains("/etc/nvme/hostnqn");

        test(find(com.vaadin.flow.component.checkbox.Checkbox.class)
                .withCaption("Allow any host to connect (for a trial)").single()).click();
        assertThat(paragraphs()).anyMatch(p -> p.startsWith("Any host that can reach the listener"));
        next();

        assertThat(title()).isEqualTo("Step 6 of 6: Connect");
        SubsystemInfo created = onboarding.createdSubsystem().orElseThrow();
        assertThat(created.allowAnyHost()).isTrue();
        assertThat(text("Linux: connect").getValue()).endsWith("-q \"$(cat /etc/nvme/hostnqn)\"");
        fabric.delete(created.id());
    }

    @Test
    void the_suggested_sizes_are_valid_any_whole_mib_is_and_accepting_them_raises_no_pool_alarm() {
        navigate(OnboardingView.class);
        type("Cluster name", "Defaults lab");
        next();
        IntegerField labSize = find(IntegerField.class).withCaption("Lab disk size (MiB)").single();
        assertThat(labSize.getValue()).isEqualTo(1024);
        assertThat(labSize.isInvalid()).as("the suggested 1024 MiB").isFalse();
        test(labSize).setValue(1023);
        assertThat(labSize.isInvalid()).as("1023 MiB").isFalse();
        test(labSize).setValue(1024);
        click("Create lab disk");
        next();
        assertThat(title()).isEqualTo("Step 3 of 6: Pool");
        next();
        assertThat(title()).isEqualTo("Step 4 of 6: Volumes");
        IntegerField size = find(IntegerField.class).withCaption("Size (MiB)").single();
        assertThat(size.getValue()).as("the suggested volume: what the pool holds, at most 1 GiB").isEqualTo(1023);
        assertThat(size.isInvalid()).isFalse();
        next();
        assertThat(title()).isEqualTo("Step 5 of 6: Subsystem");

        AlertsNow.evaluateInventory(context);
        assertThat(events.list(EventState.OPEN, PageRequest.of(0, 500)).getContent())
                .as("a thick pool holding the suggested volume is fully allocated, not running out of space")
                .noneMatch(event -> event.rule() == AlertRule.POOL_USAGE);
    }

    @Test
    void the_step_labels_carry_their_numbers_and_a_rerun_proposes_a_pool_name_no_pool_has() {
        navigate(OnboardingView.class);
        assertThat(find(ListItem.class).all()).extracting(ListItem::getText)
                .containsExactly("1. Cluster", "2. Disks", "3. Pool", "4. Volumes", "5. Subsystem", "6. Connect");
        type("Cluster name", "Rerun lab");
        next();
        next();
        String suggested = text("Pool name").getValue();
        assertThat(pools.list(null, null, PageRequest.of(0, 1000)).getContent()).noneMatch(p -> p.name().equals(suggested));
        type("Directory", directory.toString());
        next();
        assertThat(title()).isEqualTo("Step 4 of 6: Volumes");

        onboarding.restart();
        navigate(OnboardingView.class);
        next();
        next();
        assertThat(text("Pool name").getValue()).as("the name the first run took is not proposed again")
                .isNotEqualTo(suggested).startsWith("pool");
    }

    @Test
    void a_taken_pool_name_is_refused_at_the_name_field_of_its_step() {
        PoolInfo taken = pools.create(new NewPool("taken-" + UUID.randomUUID().toString().substring(0, 8),
                PoolType.MEMORY, null, 16L << 20, java.util.List.of(), null));
        try {
            navigate(OnboardingView.class);
            type("Cluster name", "Taken lab");
            next();
            next();
            type("Pool name", taken.name());
            type("Directory", directory.toString());
            next();

            assertThat(title()).isEqualTo("Step 3 of 6: Pool");
            assertThat(text("Pool name").isInvalid()).isTrue();
            assertThat(text("Pool name").getErrorMessage()).contains(taken.name());
        } finally {
            pools.delete(taken.id());
        }
    }

    @Test
    void skip_after_the_pool_and_volume_steps_asks_and_remove_leaves_nothing_half_made() {
        navigate(OnboardingView.class);
        type("Cluster name", "Half lab");
        next();
        next();
        String pool = text("Pool name").getValue();
        type("Directory", directory.toString());
        next();
        String volume = "half-" + UUID.randomUUID().toString().substring(0, 8);
        type("Volume name", volume);
        test(find(IntegerField.class).withCaption("Size (MiB)").single()).setValue(8);
        next();
        assertThat(title()).isEqualTo("Step 5 of 6: Subsystem");

        click("Skip setup");
        ConfirmDialog ask = find(ConfirmDialog.class).single();
        assertThat(ask.getElement().getProperty("message")).startsWith("So far it created pool " + pool + ", volume "
                + volume + ", which no subsystem exports yet.");
        assertThat(onboarding.progress().status()).as("nothing decided yet").isNotEqualTo(OnboardingStatus.SKIPPED);
        com.vaadin.flow.component.ComponentUtil.fireEvent(ask, new ConfirmDialog.RejectEvent(ask, false));

        assertThat(onboarding.progress().status()).isEqualTo(OnboardingStatus.SKIPPED);
        assertThat(pools.list(null, null, PageRequest.of(0, 1000)).getContent()).noneMatch(p -> p.name().equals(pool));
        assertThat(volumes.list(null, null, volume, PageRequest.of(0, 10)).getContent()).isEmpty();
        assertThat(test(find(com.vaadin.flow.component.notification.Notification.class).last()).getText())
                .startsWith("Guided setup skipped. Removed pool " + pool + ", volume " + volume + ".");
    }

    @Test
    void skip_with_nothing_made_yet_asks_nothing() {
        navigate(OnboardingView.class);
        click("Skip setup");
        assertThat(find(ConfirmDialog.class).all()).isEmpty();
        assertThat(onboarding.progress().status()).isEqualTo(OnboardingStatus.SKIPPED);
    }

    /** The context is shared: the subsystem, volume and pool the wizard made go with the test. */
    @AfterEach
    void removeWhatTheWizardMade() {
        leftovers.remove();
    }

    private String title() {
        return find(H2.class).single().getText();
    }

    private TextField text(String caption) {
        return find(TextField.class).withCaption(caption).single();
    }

    /** Types into a text field as a user does (the change comes from the client). */
    private void type(String caption, String value) {
        test(text(caption)).setValue(value);
    }

    private void next() {
        click("Next");
    }

    private void click(String text) {
        test(find(Button.class).withText(text).single()).click();
    }

    private java.util.List<String> paragraphs() {
        return find(Paragraph.class).all().stream().filter(p -> p.isVisible()).map(Paragraph::getText).toList();
    }

    private java.util.List<String> paragraphsAndSpans() {
        java.util.List<String> texts = new java.util.ArrayList<>(paragraphs());
        find(com.vaadin.flow.component.html.Span.class).all().forEach(s -> texts.add(s.getText()));
        return texts;
    }
}
