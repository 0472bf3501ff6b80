package dev.windrose.fabric.ui;

import static dev.windrose.support.TestValues.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.ObservedState;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.security.UserService;
import dev.windrose.storage.NewPool;
import dev.windrose.storage.NewVolume;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import dev.windrose.storage.VolumeService;
import dev.windrose.support.Leftovers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.ActiveProfiles;

/** The subsystem views as an operator meets them, driven on the server (no browser). */
@SpringBootTest(properties = "windrose.test-context=fabric-views")
@ActiveProfiles("test")
@WithMockUser(username = SubsystemViewsTest.OPERATOR, roles = {"OPERATOR", "VIEWER"})
class SubsystemViewsTest extends SpringBrowserlessTest {

    static final String OPERATOR = "fabric-operator";
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
    ApplicationContext context;

    /** Where the test's directory pools live; JUnit removes it once the test's pools are deleted. */
    @TempDir
    Path directory;
    Leftovers leftovers;

    /** The signed-in user must exist: the layout and the overview look it up. This context has no other user. */
    @BeforeEach
    void the_signed_in_user_exists() {
        leftovers = Leftovers.now(context);
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(OPERATOR, "Granite-Lighthouse-Wren-11");
        }
    }

    @Test
    void the_new_subsystem_dialog_checks_the_nqn_as_it_is_typed() {
        navigate(SubsystemsView.class);
        test(find(Button.class).withText("New subsystem").single()).click();
        TextField nqn = find(TextField.class).withCaption("NQN").single();

        test(nqn).setValue("iqn.2026-01.dev.windrose:x");

        assertThat(nqn.isInvalid()).isTrue();
        assertThat(nqn.getErrorMessage()).contains("is not an NQN");
        assertThat(find(Button.class).withText("Create subsystem").single().isEnabled()).isFalse();
        test(nqn).setValue("nqn.2026-01.dev.windrose:" + UUID.randomUUID());
        assertThat(nqn.isInvalid()).isFalse();
        assertThat(find(Button.class).withText("Create subsystem").single().isEnabled()).isTrue();
    }

    @Test
    void a_subsystem_built_in_the_views_is_applied_and_the_connect_panel_shows_its_commands() throws Exception {
        String nqn = "nqn.2026-01.dev.windrose:" + UUID.randomUUID();
        String volume = directoryVolume();
        int port = freePort();
        navigate(SubsystemsView.class);
        test(find(Button.class).withText("New subsystem").single()).click();
        test(find(TextField.class).withCaption("NQN").single()).setValue(nqn);
        test(find(Button.class).withText("Create subsystem").single()).click();

        assertThat(getCurrentView()).isInstanceOf(SubsystemDetailView.class);
        test(find(Button.class).withText("Attach volume").single()).click();
        // Other tests of this context leave free volumes: choose this test's own.
        Select<?> choice = find(Select.class).withCaption("Volume").single();
        test(choice).selectItem(test(choice).getSuggestions().stream().filter(label -> label.startsWith(volume + " ("))
                .findFirst().orElseThrow());
        test(find(Button.class).withText("Attach").single()).click();
        test(find(Button.class).withText("Add listener").single()).click();
        test(find(IntegerField.class).withCaption("Port").single()).setValue(port);
        test(find(Button.class).withText("Add").single()).click();
        test(find(Button.class).withText("Allow host").single()).click();
        test(find(TextField.class).withCaption("Host NQN").single()).setValue(HOST);
        test(find(Button.class).withText("Allow").single()).click();

        SubsystemInfo stored = fabric.list().stream().filter(s -> s.nqn().equals(nqn)).findFirst().orElseThrow();
        assertThat(stored.namespaces()).singleElement().satisfies(ns -> {
            assertThat(ns.volumeName()).isEqualTo(volume);
            assertThat(ns.state()).isEqualTo(ObservedState.APPLIED);
        });
        assertThat(stored.listeners()).singleElement().extracting(SubsystemInfo.ListenerInfo::state)
                .isEqualTo(ObservedState.APPLIED);
        Grid<?> namespaces = find(Grid.class).all().stream().filter(g -> "Namespaces".equals(g.getAriaLabel().orElse("")))
                .findFirst().orElseThrow();
        assertThat(test(namespaces).size()).isEqualTo(1);
        assertThat(find(TextField.class).withCaption("Linux: connect").single().getValue())
                .isEqualTo("nvme connect -t tcp -a 127.0.0.1 -s " + port + " -n " + nqn + " -q " + HOST);
        assertThat(find(TextField.class).withCaption("ESXi: connect").single().getValue())
                .isEqualTo("esxcli nvme fabrics connect -a vmhba65 -i 127.0.0.1 -p " + port + " -s " + nqn);
        fabric.delete(stored.id());
    }

    /** The context is shared: the subsystems, volumes and pools the test made go with it. */
    @AfterEach
    void removeWhatTheTestMade() {
        leftovers.remove();
    }

    private String directoryVolume() throws IOException {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        PoolInfo pool = pools.create(new NewPool("files-" + suffix, PoolType.DIRECTORY,
                Files.createDirectories(directory.resolve("files-" + suffix)).toString(), null, List.of(), null));
        return volumes.create(new NewVolume("vol-" + suffix, pool.id(), 8L << 20, null)).name();
    }
}
