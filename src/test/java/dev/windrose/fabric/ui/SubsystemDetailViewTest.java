package dev.windrose.fabric.ui;

import static dev.windrose.support.TestValues.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.NewSubsystem;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.fabric.internal.FabricReconciliation;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.storage.NewPool;
import dev.windrose.storage.NewVolume;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import dev.windrose.storage.VolumeService;
import dev.windrose.support.Leftovers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The subsystem page and its dialogs, driven on the server (no browser): what is refused as it is typed
 * and with which words, what the reconciler's verdict looks like per object, and what a viewer may not do.
 */
@SpringBootTest(properties = FabricViewTests.CONTEXT)
@ActiveProfiles("test")
class SubsystemDetailViewTest extends SpringBrowserlessTest {

    /** The first administrator of this context (the other fabric view test creates the same one). */
    static final String ADMIN = SubsystemViewsTest.OPERATOR;
    static final String VIEWER = "fabric-viewer";
    static final String PASSWORD = "Granite-Lighthouse-Wren-11";
    static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:0f0e0d0c-0b0a-0908-0706-050403020100";

    @Autowired
    UserService users;
    @Autowired
    FabricService fabric;
    @Autowired
    PoolService pools;
    @Autowired
    VolumeService volumes;
    @Autowired
    VaadinAwareSecurityContextHolderStrategy securityContexts;
    @Autowired
    EmbeddedTarget embeddedTarget;
    @Autowired
    FabricReconciliation reconciliation;
    @Autowired
    ApplicationContext context;

    /** Where the test's directory pools live; JUnit removes it once the test's pools are deleted. */
    @TempDir
    Path directory;
    private Leftovers leftovers;
    private SubsystemInfo subsystem;

    @BeforeEach
    void an_operator_looks_at_a_fresh_subsystem() {
        leftovers = Leftovers.now(context);
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(ADMIN, PASSWORD);
        }
        signInAs(ADMIN, Role.ADMIN);
        if (users.listUsers().stream().noneMatch(user -> user.username().equals(VIEWER))) {
            users.createUser(VIEWER, PASSWORD, Set.of(Role.VIEWER));
        }
        subsystem = fabric.create(new NewSubsystem("nqn.2026-01.dev.windrose:" + UUID.randomUUID(), null, null, false));
        signInAs(ADMIN, Role.OPERATOR);
        openSubsystem();
    }

    /** The context is shared: the test's subsystem and the volumes and pools it made go with it. */
    @AfterEach
    void remove_what_the_test_made() {
        leftovers.remove();
    }

    @Test
    void the_tab_title_names_the_subsystem_and_deleting_it_asks_by_name() {
        String own = subsystem.nqn().substring(subsystem.nqn().lastIndexOf(':') + 1);
        assertThat(UI.getCurrent().getInternals().getTitle()).isEqualTo("Subsystem " + own);

        test(button("Delete subsystem")).click();
        com.vaadin.flow.component.confirmdialog.ConfirmDialog confirm =
                find(com.vaadin.flow.component.confirmdialog.ConfirmDialog.class).single();
        assertThat(confirm.getElement().getProperty("header")).isEqualTo("Delete subsystem " + own + "?");
        assertThat(confirm.getElement().getProperty("message")).startsWith(subsystem.nqn() + " goes, with its 0 namespace(s)")
                .endsWith("No host is connected to it now.");
    }

    @Test
    void allowing_any_host_is_confirmed_in_both_directions_and_a_warning_stays_while_it_is_on() {
        Checkbox anyHost = find(Checkbox.class).withCaption("Allow any host to connect").single();
        assertThat(find(Paragraph.class).withClassName("subsystem-open-warning").all()).isEmpty();

        test(anyHost).click();
        var confirm = find(com.vaadin.flow.component.confirmdialog.ConfirmDialog.class).single();
        assertThat(confirm.getElement().getProperty("header")).isEqualTo("Allow any host to connect?");
        test(confirm).cancel();
        assertThat(anyHost.getValue()).isFalse();
        assertThat(fabric.get(subsystem.id()).allowAnyHost()).isFalse();

        test(anyHost).click();
        test(find(com.vaadin.flow.component.confirmdialog.ConfirmDialog.class).single()).confirm();
        assertThat(fabric.get(subsystem.id()).allowAnyHost()).isTrue();
        assertThat(find(Paragraph.class).withClassName("subsystem-open-warning").single().getText())
                .startsWith("Any host that reaches a listener may connect");

        test(anyHost).click();
        var closing = find(com.vaadin.flow.component.confirmdialog.ConfirmDialog.class).single();
        assertThat(closing.getElement().getProperty("header")).isEqualTo("Allow only the listed hosts?");
        test(closing).confirm();
        assertThat(fabric.get(subsystem.id()).allowAnyHost()).isFalse();
        assertThat(find(Paragraph.class).withClassName("subsystem-open-warning").all()).isEmpty();
    }

    @Test
    void the_page_polls_for_connections_while_it_is_shown_and_stops_when_it_is_left() {
        assertThat(UI.getCurrent().getPollInterval()).isEqualTo(3_000);

        navigate(SubsystemsView.class);

        assertThat(UI.getCurrent().getPollInterval()).isEqualTo(-1);
        openSubsystem();
        assertThat(UI.getCurrent().getPollInterval()).isEqualTo(3_000);
    }

    @Test
    void the_listener_dialog_refuses_a_bad_address_and_port_as_they_are_typed() {
        test(button("Add listener")).click();
        TextField address = find(TextField.class).withCaption("Address").single();
        IntegerField port = find(IntegerField.class).withCaption("Port").single();

        test(address).setValue("127.0.0.300");
        assertThat(address.isInvalid()).isTrue();
        assertThat(address.getErrorMessage()).contains("'127.0.0.300' is not an IPv4 or IPv6 address");
        assertThat(button("Add").isEnabled()).isFalse();

        test(address).setValue("127.0.0.1");
        test(port).setValue(70000);
        assertThat(address.isInvalid()).isFalse();
        assertThat(port.isInvalid()).isTrue();
        assertThat(port.getErrorMessage()).contains("A port is 1 to 65535");
        assertThat(button("Add").isEnabled()).isFalse();

        test(port).setValue(4420);
        assertThat(port.isInvalid()).isFalse();
        assertThat(button("Add").isEnabled()).isTrue();
    }

    @Test
    void a_port_the_subsystem_listens_on_already_is_refused_in_the_dialog_with_words() throws IOException {
        int port = freePort();
        addListener(port);
        assertThat(find(Dialog.class).all()).isEmpty();

        addListener(port);

        assertThat(find(Dialog.class).all()).hasSize(1);
        assertThat(refusal()).isEqualTo("Subsystem " + subsystem.nqn() + " already listens on 127.0.0.1:" + port + ".");
        assertThat(fabric.get(subsystem.id()).listeners()).hasSize(1);
    }

    @Test
    void a_listener_on_a_port_another_program_holds_is_refused_in_the_dialog_with_the_reason() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            addListener(taken.getLocalPort());

            assertThat(find(Dialog.class).all()).hasSize(1);
            assertThat(refusal()).isEqualTo("Port " + taken.getLocalPort() + " on 127.0.0.1 is in use by another program; "
                    + "choose another port (4420 is the NVMe/TCP default, any free one works).");
            assertThat(fabric.get(subsystem.id()).listeners()).isEmpty();
        }
    }

    @Test
    void an_added_listener_shows_applied_and_its_ana_state() throws IOException {
        int port = freePort();
        addListener(port);

        Grid<?> listeners = grid("Listeners");
        assertThat(test(listeners).getCellText(0, test(listeners).getColumnPosition("port"))).isEqualTo(String.valueOf(port));
        assertThat(text(test(listeners).getCellComponent(0, "state"))).isEqualTo("applied");
        assertThat(test(listeners).getCellText(0, test(listeners).getColumnPosition("anaState"))).isEqualTo("optimized");
    }

    @Test
    void an_attached_volume_shows_its_nsid_ana_group_and_applied() throws IOException {
        String volume = directoryVolume();
        attach(volume, null);

        Grid<?> namespaces = grid("Namespaces");
        assertThat(test(namespaces).size()).isEqualTo(1);
        com.vaadin.flow.router.RouterLink volumeLink = (com.vaadin.flow.router.RouterLink) test(namespaces)
                .getCellComponent(0, "volume");
        assertThat(volumeLink.getText()).isEqualTo(volume);
        assertThat(volumeLink.getHref()).as("links to the volume").isEqualTo("volumes?volume=" + volume);

        assertThat(test(namespaces).getCellText(0, test(namespaces).getColumnPosition("anaGroup"))).isEqualTo("1");
        assertThat(text(test(namespaces).getCellComponent(0, "state"))).isEqualTo("applied");

        // And back: the Volumes page links the volume's "Attached to" to this subsystem's page.
        com.vaadin.flow.component.UI.getCurrent().navigate("volumes",
                com.vaadin.flow.router.QueryParameters.of("volume", volume));
        Grid<?> volumesGrid = find(Grid.class).single();
        assertThat(test(volumesGrid).size()).isEqualTo(1);
        com.vaadin.flow.router.RouterLink back = (com.vaadin.flow.router.RouterLink) test(volumesGrid)
                .getCellComponent(0, "attachedTo");
        assertThat(back.getText()).isEqualTo(subsystem.nqn());
        assertThat(back.getHref()).isEqualTo("subsystems/" + subsystem.id().value());
    }

    @Test
    void an_nsid_in_use_is_refused_in_the_dialog_with_words_and_the_volume_stays_free() throws IOException {
        attach(directoryVolume(), 7);
        String second = directoryVolume();

        attach(second, 7);

        assertThat(find(Dialog.class).all()).hasSize(1);
        assertThat(refusal()).isEqualTo("NSID 7 is already used in subsystem " + subsystem.nqn() + ".");
        assertThat(fabric.get(subsystem.id()).namespaces()).extracting(SubsystemInfo.NamespaceInfo::volumeName)
                .doesNotContain(second);
    }

    @Test
    void the_host_dialog_checks_the_nqn_as_it_is_typed_and_refuses_a_host_allowed_already() {
        test(button("Allow host")).click();
        TextField hostNqn = find(TextField.class).withCaption("Host NQN").single();

        test(hostNqn).setValue("nqn.2014-08.org.nvmexpress:uuid:not-a-uuid");
        assertThat(hostNqn.isInvalid()).isTrue();
        assertThat(hostNqn.getErrorMessage()).contains("comes a UUID like").contains("'not-a-uuid' is not one");
        assertThat(button("Allow").isEnabled()).isFalse();
        test(hostNqn).setValue("host.example:x");
        assertThat(hostNqn.getErrorMessage()).contains("is not an NQN");
        test(hostNqn).setValue(HOST + "\u0000x");
        assertThat(hostNqn.isInvalid()).isTrue();
        assertThat(hostNqn.getErrorMessage()).startsWith("The hostNqn contains a control character (U+0000 NUL)");
        assertThat(button("Allow").isEnabled()).isFalse();

        test(hostNqn).setValue(HOST);
        assertThat(hostNqn.isInvalid()).isFalse();
        test(button("Allow")).click();
        assertThat(find(Dialog.class).all()).isEmpty();
        assertThat(text(test(grid("Allowed hosts")).getCellComponent(0, "state"))).isEqualTo("applied");

        test(button("Allow host")).click();
        test(find(TextField.class).withCaption("Host NQN").single()).setValue(HOST);
        test(button("Allow")).click();
        assertThat(refusal()).isEqualTo("Host " + HOST + " is already allowed on subsystem " + subsystem.nqn() + ".");
    }

    @Test
    void a_namespace_removed_behind_the_consoles_back_is_repaired_and_the_page_says_so() throws IOException {
        attach(directoryVolume(), 3);
        embeddedTarget.target().orElseThrow().removeNamespace(subsystem.nqn(), 3);

        reconciliation.reconcile();
        openSubsystem();

        Paragraph drift = find(Paragraph.class).all().stream().filter(p -> p.hasClassName("subsystem-drift")).findFirst()
                .orElseThrow();
        assertThat(drift.isVisible()).isTrue();
        assertThat(drift.getText()).startsWith("Drift at ").contains("namespace 3");
        assertThat(text(test(grid("Namespaces")).getCellComponent(0, "state"))).isEqualTo("applied");
    }

    @Test
    void the_new_subsystem_dialog_refuses_a_taken_nqn_under_the_nqn() {
        navigate(SubsystemsView.class);
        test(button("New subsystem")).click();
        TextField nqn = find(TextField.class).withCaption("NQN").single();
        test(nqn).setValue(subsystem.nqn());
        test(button("Create subsystem")).click();

        assertThat(nqn.isInvalid()).isTrue();
        assertThat(nqn.getErrorMessage()).isEqualTo("The NQN " + subsystem.nqn() + " is already used by another subsystem.");
        assertThat(find(Dialog.class).all()).hasSize(1);
    }

    @Test
    void a_viewer_sees_the_subsystem_and_its_commands_but_nothing_that_changes_it() throws IOException {
        signInAs(ADMIN, Role.ADMIN);
        fabric.allowHost(subsystem.id(), HOST);
        fabric.addListener(subsystem.id(), "tcp", "127.0.0.1", freePort());
        signInAs(VIEWER, Role.VIEWER);

        navigate(SubsystemsView.class);
        assertThat(find(Button.class).withText("New subsystem").all()).isEmpty();
        openSubsystem();

        assertThat(find(Button.class).all()).extracting(Button::getText)
                .doesNotContain("Attach volume", "Add listener", "Allow host", "Delete subsystem");
        assertThat(find(Button.class).all()).noneMatch(b -> b.getAriaLabel().orElse("").matches(
                "(Detach namespace|Remove listener|Disallow host) .*"));
        assertThat(find(Checkbox.class).withCaption("Allow any host to connect").single().isReadOnly()).isTrue();
        assertThat(test(grid("Allowed hosts")).size()).isEqualTo(1);
        assertThat(find(TextField.class).withCaption("Linux: connect").single().getValue())
                .contains("-n " + subsystem.nqn() + " -q " + HOST);
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_generated_secret_is_shown_once_and_the_connect_panel_carries_it_only_until_the_page_is_left() {
        fabric.allowHost(subsystem.id(), HOST);
        openSubsystem();
        assertThat(text(test(grid("Allowed hosts")).getCellComponent(0, "state"))).isEqualTo("applied");
        test((Button) test(grid("Allowed hosts")).getCellComponent(0, "dhchapAction")).click();

        // A mistyped pasted secret is refused at its field, in words, and nothing is set.
        ((RadioButtonGroup<String>) find(RadioButtonGroup.class).withCaption("Host secret").single()).setValue("Paste");
        PasswordField pasted = find(PasswordField.class).withCaption("Host secret (DHHC-1:…)").single();
        test(pasted).setValue("DHHC-1:00:AAEDAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:");
        test(button("Set secret")).click();
        assertThat(pasted.isInvalid()).isTrue();
        assertThat(pasted.getErrorMessage()).contains("checksum does not match");
        assertThat(fabric.get(subsystem.id()).allowedHosts().getFirst().dhchap()).isNull();

        ((RadioButtonGroup<String>) find(RadioButtonGroup.class).withCaption("Host secret").single()).setValue("Generate");
        ((RadioButtonGroup<String>) find(RadioButtonGroup.class).withCaption("Controller secret").single())
                .setValue(DhchapDialog.GENERATE_CTRL);
        test(button("Set secret")).click();

        String secret = find(TextField.class).withCaption("Host secret").single().getValue();
        String ctrl = find(TextField.class).withCaption("Controller secret").single().getValue();
        assertThat(secret).startsWith("DHHC-1:00:").isNotEqualTo(ctrl);
        assertThat(ctrl).startsWith("DHHC-1:00:");
        assertThat(find(TextField.class).withCaption("Linux: connect with the secret").single().getValue())
                .endsWith(" -q " + HOST + " --dhchap-secret " + secret + " --dhchap-ctrl-secret " + ctrl);
        assertThat(find(TextField.class).withCaption("Linux: connect").single().getValue())
                .endsWith(" --dhchap-secret " + secret + " --dhchap-ctrl-secret " + ctrl);
        assertThat(text(test(grid("Allowed hosts")).getCellComponent(0, "state"))).isEqualTo("applied");
        test(button("Done")).click();
        assertThat(find(Dialog.class).all()).isEmpty();

        // Shown once: the page opened again has only a placeholder, and the host's row says since when.
        openSubsystem();
        String connect = find(TextField.class).withCaption("Linux: connect").single().getValue();
        assertThat(connect).doesNotContain(secret).doesNotContain(ctrl)
                .endsWith(" --dhchap-secret '<paste the host secret DHHC-1:...>' "
                        + "--dhchap-ctrl-secret '<paste the controller secret DHHC-1:...>'");
        assertThat(SubsystemDetailView.authenticationWords(fabric.get(subsystem.id()).allowedHosts().getFirst()))
                .startsWith("DH-HMAC-CHAP, set ").contains("bidirectional");

        // Rotating asks for the grace period; removing asks first and returns the host to no authentication.
        test((Button) test(grid("Allowed hosts")).getCellComponent(0, "dhchapAction")).click();
        assertThat(find(IntegerField.class).withCaption("Grace period (minutes)").single().getValue()).isEqualTo(10);
        test(button("Remove secrets")).click();
        test(find(com.vaadin.flow.component.confirmdialog.ConfirmDialog.class).single()).confirm();
        assertThat(fabric.get(subsystem.id()).allowedHosts().getFirst().dhchap()).isNull();
        assertThat(find(TextField.class).withCaption("Linux: connect").single().getValue()).doesNotContain("dhchap");
    }

    private void openSubsystem() {
        navigate("subsystems/" + subsystem.id(), SubsystemDetailView.class);
    }

    private void signInAs(String username, Role role) {
        FabricViewTests.signInAs(securityContexts, username, role);
    }

    private void addListener(int port) {
        test(button("Add listener")).click();
        test(find(TextField.class).withCaption("Address").single()).setValue("127.0.0.1");
        test(find(IntegerField.class).withCaption("Port").single()).setValue(port);
        test(button("Add")).click();
    }

    /** Attaches the volume through the dialog, with the NSID typed in when one is given. */
    private void attach(String volume, @Nullable Integer nsid) {
        test(button("Attach volume")).click();
        Select<?> choice = find(Select.class).withCaption("Volume").single();
        test(choice).selectItem(test(choice).getSuggestions().stream().filter(label -> label.startsWith(volume + " ("))
                .findFirst().orElseThrow());
        if (nsid != null) {
            test(find(IntegerField.class).withCaption("NSID (optional)").single()).setValue(nsid);
        }
        test(button("Attach")).click();
    }

    private Button button(String text) {
        return find(Button.class).withText(text).single();
    }

    private Grid<?> grid(String name) {
        return find(Grid.class).all().stream().filter(g -> name.equals(g.getAriaLabel().orElse(""))).findFirst()
                .orElseThrow();
    }

    /** The words of a dialog's refusal (the paragraph under its fields). */
    private String refusal() {
        return find(Paragraph.class).all().stream().map(Paragraph::getText).filter(text -> !text.isBlank())
                .reduce((a, b) -> b).orElse("");
    }

    private static String text(Component component) {
        return component.getElement().getTextRecursively().strip();
    }

    private String directoryVolume() throws IOException {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        PoolInfo pool = pools.create(new NewPool("files-" + suffix, PoolType.DIRECTORY,
                Files.createDirectories(directory.resolve("files-" + suffix)).toString(), null, List.of(), null));
        return volumes.create(new NewVolume("vol-" + suffix, pool.id(), 8L << 20, null)).name();
    }
}
