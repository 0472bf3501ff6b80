package dev.windrose.storage.ui;

import static dev.windrose.support.TestValues.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskService;
import dev.windrose.inventory.NewLabDisk;
import dev.windrose.security.UserService;
import dev.windrose.storage.NewPool;
import dev.windrose.storage.NewVolume;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import dev.windrose.storage.internal.DiskPoolLabel;
import dev.windrose.storage.internal.PoolVolumeMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The pools and volumes views as an operator meets them, driven on the server (no browser). Discovery reads
 * the recorded mixed-host tree, so the system disk sdb and the LVM disk sdc are there and in use.
 */
// Its context reads a directory of this class (discovery roots, lab disks): it is closed after the class,
// before JUnit removes that directory, instead of staying cached over a deleted tree.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(properties = "windrose.test-context=storage-views")
@ActiveProfiles("test")
@WithMockUser(username = StorageViewsTest.USER, roles = {"ADMIN", "OPERATOR", "VIEWER"})
class StorageViewsTest extends SpringBrowserlessTest {

    static final String USER = "storage-view-admin";
    static final long MIB = 1024 * 1024;
    static final Path TREE = Path.of("src/test/resources/sysfs/mixed-host").toAbsolutePath();
    /** The class's lab disks' directory; JUnit removes it after the class, once @DirtiesContext has closed the context that reads it. */
    @TempDir
    static Path lab;

    @DynamicPropertySource
    static void discoveryReadsTheRecordedTree(DynamicPropertyRegistry registry) {
        registry.add("windrose.inventory.sysfs-root", () -> TREE.resolve("sys").toString());
        registry.add("windrose.inventory.procfs-root", () -> TREE.resolve("proc").toString());
        registry.add("windrose.inventory.lab-disk-directory", () -> lab.toString());
    }

    @Autowired
    UserService users;
    @Autowired
    DiskService disks;
    @Autowired
    PoolService pools;
    @Autowired
    VolumeService volumes;

    @BeforeEach
    void the_signed_in_user_exists() {
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(USER, "Granite-Lighthouse-Wren-11");
        }
    }

    @Test
    void in_use_disks_are_listed_in_the_new_pool_dialog_but_cannot_be_chosen_and_say_why() {
        DiskInfo lab = disks.createLabDisk(new NewLabDisk(unique("free"), 64 * MIB, null));
        navigate(PoolsView.class);
        test(find(Button.class).withText("New pool").single()).click();

        @SuppressWarnings("unchecked")
        CheckboxGroup<DiskInfo> choice = find(CheckboxGroup.class).withCaption("Disks").single();
        DiskInfo system = disk(choice, "sdb");
        DiskInfo lvm = disk(choice, "sdc");

        assertThat(choice.getItemEnabledProvider().test(system)).isFalse();
        assertThat(choice.getItemLabelGenerator().apply(system)).contains("holds the operating system");
        assertThat(choice.getItemEnabledProvider().test(lvm)).isFalse();
        assertThat(choice.getItemLabelGenerator().apply(lvm)).contains("LVM physical volume");
        assertThat(choice.getItemEnabledProvider().test(disk(choice, lab.name()))).isTrue();
        assertThat(choice.getItemLabelGenerator().apply(disk(choice, lab.name()))).endsWith("free");
    }

    @Test
    void the_new_pool_dialog_checks_the_name_as_it_is_typed_and_needs_a_disk() {
        DiskInfo lab = disks.createLabDisk(new NewLabDisk(unique("pick"), 64 * MIB, null));
        navigate(PoolsView.class);
        test(find(Button.class).withText("New pool").single()).click();
        TextField name = find(TextField.class).withCaption("Name").single();
        Button create = find(Button.class).withText("Create pool").single();

        test(name).setValue("not a name!");
        assertThat(name.isInvalid()).isTrue();
        assertThat(name.getErrorMessage()).contains("letters, digits");
        assertThat(create.isEnabled()).isFalse();

        test(name).setValue(unique("ok"));
        assertThat(name.isInvalid()).isFalse();
        assertThat(create.isEnabled()).as("no disk chosen yet").isFalse();
        @SuppressWarnings("unchecked")
        CheckboxGroup<DiskInfo> choice = find(CheckboxGroup.class).withCaption("Disks").single();
        choice.setValue(java.util.Set.of(disk(choice, lab.name())));
        assertThat(create.isEnabled()).isTrue();
    }

    @Test
    void a_refused_directory_is_explained_on_its_field_and_a_memory_pool_says_its_data_vanishes() {
        navigate(PoolsView.class);
        test(find(Button.class).withText("New pool").single()).click();
        test(find(TextField.class).withCaption("Name").single()).setValue(unique("files"));
        @SuppressWarnings("unchecked")
        RadioButtonGroup<PoolType> type = find(RadioButtonGroup.class).withCaption("Type").single();

        type.setValue(PoolType.DIRECTORY);
        TextField directory = find(TextField.class).withCaption("Directory").single();
        test(directory).setValue("relative/path");
        assertThat(directory.isInvalid()).isTrue();
        // Under an allowed root (the tests allow /tmp), so what is refused is that it does not exist.
        test(directory).setValue("/tmp/does-not-exist-" + unique("windrose"));
        test(find(Button.class).withText("Create pool").single()).click();
        assertThat(directory.isInvalid()).isTrue();
        assertThat(directory.getErrorMessage()).contains("does not exist or is not writable");

        type.setValue(PoolType.MEMORY);
        Paragraph note = find(Paragraph.class).withText(
                "A memory pool keeps volumes in RAM: fast, for demos and benchmarks, and its data vanishes when "
                        + "Windrose restarts.").single();
        assertThat(note.isVisible()).isTrue();
    }

    @Test
    void the_capacity_bar_shows_the_allocated_share_and_a_fully_allocated_thick_pool_is_said_calmly() {
        PoolInfo pool = pools.create(new NewPool(unique("ram"), PoolType.MEMORY, null, 64 * MIB, List.of(), null));
        volumes.create(new NewVolume(unique("v"), pool.id(), 48 * MIB, null));
        PoolInfo threeQuarters = pools.get(pool.id());

        ProgressBar bar = first(ProgressBar.class, PoolsView.capacity(threeQuarters));
        assertThat(bar.getValue()).isEqualTo(0.75);
        assertThat(texts(PoolsView.capacity(threeQuarters))).anyMatch(t -> t.startsWith("48 MiB allocated of 64 MiB"));

        volumes.create(new NewVolume(unique("v"), pool.id(), 16 * MIB, null));
        PoolInfo full = pools.get(pool.id());
        assertThat(first(ProgressBar.class, PoolsView.capacity(full)).getValue()).isEqualTo(1.0);
        assertThat(texts(PoolsView.capacity(full))).contains(
                "Fully allocated: no room for another volume. Its volumes hold their space, so writes never fail.");
        assertThat(first(ProgressBar.class, PoolsView.capacity(full)).getThemeNames()).doesNotContain("error");
    }

    @Test
    void a_volume_links_to_its_pool_and_the_pools_page_then_shows_that_pool_alone() {
        PoolInfo pool = pools.create(new NewPool(unique("linked"), PoolType.MEMORY, null, 64 * MIB, List.of(), null));
        pools.create(new NewPool(unique("other"), PoolType.MEMORY, null, 64 * MIB, List.of(), null));
        VolumeInfo volume = volumes.create(new NewVolume(unique("v"), pool.id(), 8 * MIB, null));
        com.vaadin.flow.component.UI.getCurrent().navigate(VolumesView.class,
                com.vaadin.flow.router.QueryParameters.of("volume", volume.name()));

        @SuppressWarnings("unchecked")
        Grid<VolumeInfo> grid = find(Grid.class).single();
        assertThat(test(grid).size()).as("the volume's link searches for it").isEqualTo(1);
        com.vaadin.flow.component.Component cell = test(grid).getCellComponent(0, 1);
        com.vaadin.flow.router.RouterLink link = cell instanceof com.vaadin.flow.router.RouterLink direct ? direct
                : (com.vaadin.flow.router.RouterLink) cell.getChildren().findFirst().orElseThrow();
        assertThat(link.getText()).isEqualTo(pool.name());
        assertThat(link.getHref()).isEqualTo("pools?pool=" + pool.name());

        com.vaadin.flow.component.UI.getCurrent().navigate(PoolsView.class,
                com.vaadin.flow.router.QueryParameters.of("pool", pool.name()));
        @SuppressWarnings("unchecked")
        Grid<PoolInfo> poolGrid = find(Grid.class).single();
        assertThat(test(poolGrid).size()).isEqualTo(1);
        assertThat(test(poolGrid).getRow(0).name()).isEqualTo(pool.name());
        assertThat(find(com.vaadin.flow.router.RouterLink.class).withText("Show all pools").single().getHref())
                .isEqualTo("pools");
    }

    @Test
    void growing_an_exported_volume_in_the_view_says_its_hosts_see_the_new_size() {
        PoolInfo pool = pools.create(new NewPool(unique("ram"), PoolType.MEMORY, null, 2048 * MIB, List.of(), null));
        VolumeInfo volume = volumes.create(new NewVolume(unique("v"), pool.id(), 8 * MIB, null));
        String nqn = "nqn.2026-01.dev.windrose.test:" + unique("grow");
        volumes.markAttached(volume.id(), nqn);
        navigate(VolumesView.class);

        @SuppressWarnings("unchecked")
        Grid<VolumeInfo> grid = find(Grid.class).single();
        int row = IntStream.range(0, test(grid).size())
                .filter(i -> test(grid).getRow(i).name().equals(volume.name())).findFirst().orElseThrow();
        com.vaadin.flow.component.Component actions = test(grid).getCellComponent(row, (int) grid.getColumns().stream().filter(column -> column.isVisible()).count() - 1);
        Button grow = (Button) actions.getChildren().findFirst().orElseThrow();
        assertThat(grow.getAriaLabel()).contains("Grow volume " + volume.name());
        test(grow).click();

        assertThat(find(Paragraph.class).withCondition(p -> p.getText().contains("connected hosts of " + nqn
                + " see the new size without reconnecting")).single()).isNotNull();
        test(find(Button.class).withText("Grow").single()).click();

        assertThat(volumes.get(volume.id()).sizeBytes()).isEqualTo(8 * MIB + 1024 * MIB);
        assertThat(test(find(com.vaadin.flow.component.notification.Notification.class).last()).getText())
                .startsWith("Volume " + volume.name() + " now has ")
                .endsWith("Subsystem " + nqn + " serves the new size to its connected hosts (its page says so if "
                        + "that failed).");
    }

    @Test
    void the_new_volume_dialog_refuses_a_size_the_pool_has_no_room_for_as_it_is_typed() {
        PoolInfo pool = pools.create(new NewPool(unique("small"), PoolType.MEMORY, null, 32 * MIB, List.of(), null));
        navigate(VolumesView.class);
        test(find(Button.class).withText("New volume").single()).click();
        @SuppressWarnings("unchecked")
        com.vaadin.flow.component.select.Select<PoolInfo> choice =
                find(com.vaadin.flow.component.select.Select.class).withCaption("Pool").single();
        choice.setValue(choice.getListDataView().getItems().filter(p -> p.id().equals(pool.id())).findFirst().orElseThrow());
        test(find(TextField.class).withCaption("Name").single()).setValue(unique("vol"));
        IntegerField amount = find(IntegerField.class).withCondition(f -> "Size".equals(f.getAriaLabel().orElse(""))).single();
        @SuppressWarnings("unchecked")
        com.vaadin.flow.component.select.Select<String> unit = find(com.vaadin.flow.component.select.Select.class)
                .withCondition(s -> "Size unit".equals(s.getAriaLabel().orElse(""))).single();
        Button create = find(Button.class).withText("Create volume").single();

        assertThat(amount.getValue()).as("the pool's room, less than the usual GiB").isEqualTo(32);
        assertThat(unit.getValue()).isEqualTo("MiB");
        com.vaadin.flow.component.customfield.CustomField<?> size = find(SizeField.class).single();
        assertThat(size.isInvalid()).isFalse();
        test(amount).setValue(48);
        assertThat(create.isEnabled()).isFalse();
        assertThat(size.isInvalid()).isTrue();
        assertThat(size.getErrorMessage()).isEqualTo("Only 32 MiB left in " + pool.name() + ".");
        assertThat(find(Paragraph.class).withCondition(p -> p.getText().contains("left to allocate in " + pool.name()))
                .single().getText()).contains("32 MiB left").contains("the data vanishes when Windrose restarts");

        test(amount).setValue(16);
        assertThat(create.isEnabled()).isTrue();
        test(create).click();
        assertThat(volumes.list(pool.id(), null, null, PageRequest.of(0, 10)).getTotalElements()).isEqualTo(1);
    }

    @Test
    void the_new_volume_dialog_opens_calm_with_a_valid_gib_and_asks_for_the_name_only_on_create() {
        pools.create(new NewPool(unique("roomy"), PoolType.MEMORY, null, 2048 * MIB, List.of(), null));
        navigate(VolumesView.class);
        test(find(Button.class).withText("New volume").single()).click();
        @SuppressWarnings("unchecked")
        com.vaadin.flow.component.select.Select<PoolInfo> choice =
                find(com.vaadin.flow.component.select.Select.class).withCaption("Pool").single();
        choice.setValue(choice.getListDataView().getItems().filter(p -> p.allocationLimitBytes() - p.allocatedBytes()
                >= 1024 * MIB).findFirst().orElseThrow());
        SizeField size = find(SizeField.class).single();
        TextField name = find(TextField.class).withCaption("Name").single();
        Button create = find(Button.class).withText("Create volume").single();

        assertThat(size.getValue()).isEqualTo(1024 * MIB);
        assertThat(size.isInvalid()).isFalse();
        assertThat(name.isInvalid()).isFalse();
        assertThat(create.isEnabled()).isTrue();
        test(create).click();
        assertThat(name.isInvalid()).isTrue();
        assertThat(name.getErrorMessage()).isEqualTo("Give the volume a name.");
    }

    @Test
    void the_grow_dialog_says_the_most_it_can_grow_to_starts_at_what_fits_and_keeps_a_refusal_inline() {
        PoolInfo pool = pools.create(new NewPool(unique("ram"), PoolType.MEMORY, null, 256 * MIB, List.of(), null));
        VolumeInfo volume = volumes.create(new NewVolume(unique("v"), pool.id(), 64 * MIB, null));
        navigate(VolumesView.class);
        @SuppressWarnings("unchecked")
        Grid<VolumeInfo> grid = find(Grid.class).single();
        int row = IntStream.range(0, test(grid).size())
                .filter(i -> test(grid).getRow(i).name().equals(volume.name())).findFirst().orElseThrow();
        test((Button) test(grid).getCellComponent(row, (int) grid.getColumns().stream().filter(column -> column.isVisible()).count() - 1).getChildren().findFirst()
                .orElseThrow()).click();

        SizeField size = find(SizeField.class).single();
        assertThat(size.getHelperText()).isEqualTo("At most 256 MiB: pool " + pool.name() + " has 192 MiB left.");
        assertThat(size.getValue()).as("all the pool has, less than a GiB more").isEqualTo(256 * MIB);
        assertThat(size.isInvalid()).isFalse();
        size.setValue(300 * MIB);
        assertThat(size.isInvalid()).isTrue();
        assertThat(size.getErrorMessage()).isEqualTo("At most 256 MiB: that is all pool " + pool.name() + " has left.");
        Button grow = find(Button.class).withText("Grow").single();
        assertThat(grow.isEnabled()).isFalse();

        // Someone else takes the room meanwhile: the server's refusal stays in the open dialog.
        size.setValue(200 * MIB);
        volumes.create(new NewVolume(unique("other"), pool.id(), 160 * MIB, null));
        test(grow).click();
        GrowVolumeDialog dialog = find(GrowVolumeDialog.class).single();
        assertThat(dialog.isOpened()).isTrue();
        assertThat(find(Paragraph.class).withClassName("dialog-refusal").single().getText()).startsWith("Pool " + pool.name());
        assertThat(volumes.get(volume.id()).sizeBytes()).isEqualTo(64 * MIB);
    }

    @Test
    void a_lab_disk_in_a_pool_is_not_offered_for_deletion_and_the_disabled_button_says_why() {
        DiskInfo lab = disks.createLabDisk(new NewLabDisk(unique("held"), 64 * MIB, null));
        PoolInfo pool = pools.create(new NewPool(unique("held"), PoolType.DISK, null, null, List.of(lab.id()), null));
        try {
            navigate("disks", com.vaadin.flow.component.orderedlayout.VerticalLayout.class);
            @SuppressWarnings("unchecked")
            Grid<DiskInfo> grid = find(Grid.class).single();
            int row = IntStream.range(0, test(grid).size())
                    .filter(i -> test(grid).getRow(i).id().equals(lab.id())).findFirst().orElseThrow();
            Button delete = (Button) test(grid).getCellComponent(row, (int) grid.getColumns().stream().filter(column -> column.isVisible()).count() - 1);
            assertThat(delete.isEnabled()).isFalse();
            assertThat(delete.getTooltip().getText()).isEqualTo("Lab disk " + lab.name() + " belongs to pool "
                    + pool.name() + ": delete the pool first.");
        } finally {
            pools.delete(pool.id());
            disks.deleteLabDisk(lab.id());
        }
    }

    @Test
    void a_volume_attached_to_a_subsystem_names_it_and_is_not_deleted() {
        PoolInfo pool = pools.create(new NewPool(unique("ram"), PoolType.MEMORY, null, 16 * MIB, List.of(), null));
        VolumeInfo volume = volumes.create(new NewVolume(unique("exported"), pool.id(), 8 * MIB, null));
        String subsystem = "nqn.2026-11.dev.windrose:" + volume.name();
        volumes.markAttached(volume.id(), subsystem);
        navigate(VolumesView.class);

        @SuppressWarnings("unchecked")
        Grid<VolumeInfo> grid = find(Grid.class).single();
        int row = IntStream.range(0, test(grid).size())
                .filter(i -> test(grid).getRow(i).name().equals(volume.name())).findFirst().orElseThrow();
        Button delete = descendants(test(grid).getCellComponent(row, (int) grid.getColumns().stream().filter(column -> column.isVisible()).count() - 1))
                .filter(Button.class::isInstance).map(Button.class::cast)
                .filter(b -> ("Delete volume " + volume.name()).equals(b.getAriaLabel().orElse(""))).findFirst().orElseThrow();
        assertThat(delete.getTooltip().getText()).isEqualTo("Attached to subsystem " + subsystem + ": detach it first");
        test(delete).click();

        assertThat(volumes.get(volume.id()).name()).isEqualTo(volume.name());
        volumes.markDetached(volume.id());
    }

    @Test
    void a_pool_found_on_free_disks_is_offered_for_import_and_comes_back_with_its_volume() throws IOException {
        DiskInfo lab = disks.createLabDisk(new NewLabDisk(unique("found"), 64 * MIB, null));
        UUID poolUuid = UUID.randomUUID();
        String poolName = unique("moved");
        Path device = Path.of(lab.devicePath());
        new DiskPoolLabel(poolUuid, poolName, 0, 1, DiskPoolLabel.DATA_OFFSET, 63 * MIB).writeTo(device);
        new PoolVolumeMap(poolUuid, 0, List.of(new PoolVolumeMap.Volume(UUID.randomUUID(), unique("kept"), 8 * MIB,
                false, List.of(new PoolVolumeMap.Extent(0, DiskPoolLabel.DATA_OFFSET, 8 * MIB))))).writeTo(device);
        navigate(PoolsView.class);

        assertThat(find(Span.class).withCondition(s -> s.getText().contains("pool " + poolName)).single().getText())
                .contains("1 of 1 disks, 1 volume(s)");
        test(find(Button.class).withText("Import " + poolName).single()).click();
        test(find(Button.class).withText("Import pool").single()).click();

        PoolInfo imported = pools.list(null, PoolType.DISK, PageRequest.of(0, 100)).getContent().stream()
                .filter(p -> p.name().equals(poolName)).findFirst().orElseThrow();
        assertThat(imported.volumeCount()).isEqualTo(1);
        assertThat(find(Button.class).withText("Import " + poolName).all()).isEmpty();
    }

    private static DiskInfo disk(CheckboxGroup<DiskInfo> choice, String name) {
        return choice.getListDataView().getItems().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    private static <T extends com.vaadin.flow.component.Component> T first(Class<T> type,
            com.vaadin.flow.component.Component root) {
        return descendants(root).filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    private static List<String> texts(com.vaadin.flow.component.Component root) {
        return descendants(root).filter(Span.class::isInstance).map(c -> ((Span) c).getText()).toList();
    }

    private static java.util.stream.Stream<com.vaadin.flow.component.Component> descendants(
            com.vaadin.flow.component.Component root) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(root),
                root.getChildren().flatMap(StorageViewsTest::descendants));
    }

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Test
    void with_a_second_node_the_new_pool_dialog_asks_where_and_a_pool_there_is_asked_of_that_node() {
        String machine = unique("far-node");
        long far = dev.windrose.support.ClusterNodes.register(jdbc, machine, "MEMBER", java.time.Instant.now());
        try {
            navigate(PoolsView.class);
            test(find(Button.class).withText("New pool").single()).click();
            @SuppressWarnings("unchecked")
            com.vaadin.flow.component.select.Select<dev.windrose.cluster.NodeInfo> node =
                    find(com.vaadin.flow.component.select.Select.class).withCaption("Node").single();
            assertThat(node.isVisible()).as("two members: the dialog asks where").isTrue();
            assertThat(node.getValue().local()).as("this node is chosen first").isTrue();
            node.setValue(node.getListDataView().getItems().filter(n -> n.id().value() == far).findFirst().orElseThrow());
            @SuppressWarnings("unchecked")
            CheckboxGroup<DiskInfo> choice = find(CheckboxGroup.class).withCaption("Disks").single();
            assertThat(choice.getListDataView().getItems()).as("a pool takes disks of its own node").isEmpty();
            test(find(TextField.class).withCaption("Name").single()).setValue(unique("far-ram"));
            @SuppressWarnings("unchecked")
            RadioButtonGroup<PoolType> type = find(RadioButtonGroup.class).withCaption("Type").single();
            test(type).selectItem("Memory (RAM)");
            test(find(Button.class).withText("Create pool").single()).click();
            // Nothing runs that node here: the request waits for it (windrose.cluster.request-wait), then the
            // dialog says so and closes; the request names the pool.
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM node_request WHERE host_id = ? AND kind = 'pool.create' "
                    + "AND state = 'PENDING' AND body LIKE '%far-ram%MEMORY%'", Integer.class, far)).isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM storage_pool WHERE host_id = ?", Integer.class, far))
                    .isZero();
        } finally {
            jdbc.update("DELETE FROM host WHERE id = ?", far);
        }
    }
}
