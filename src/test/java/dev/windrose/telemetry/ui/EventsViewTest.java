package dev.windrose.telemetry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.storage.NewPool;
import dev.windrose.storage.NewVolume;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.AlertThresholds;
import dev.windrose.telemetry.EventInfo;
import dev.windrose.telemetry.EventService;
import dev.windrose.telemetry.EventState;
import dev.windrose.telemetry.internal.AlertsNow;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The events view, driven on the server: a real event (a memory pool allocated to 88 %, judged by
 * the alert rules as the scheduler would) is listed with its rule, object, words and state; an
 * operator acknowledges it from its row; the filter shows it by state; a viewer has no button.
 */
@SpringBootTest(properties = TelemetryViewTests.CONTEXT)
@ActiveProfiles("test")
class EventsViewTest extends SpringBrowserlessTest {

    static final String ADMIN = TelemetryViewTests.ADMIN;
    static final String VIEWER = "events-viewer";
    static final long MIB = 1L << 20;

    @Autowired
    UserService users;
    @Autowired
    PoolService pools;
    @Autowired
    VolumeService volumes;
    @Autowired
    EventService events;
    @Autowired
    ApplicationContext context;
    @Autowired
    VaadinAwareSecurityContextHolderStrategy securityContexts;

    private AlertThresholds before;
    private PoolInfo pool;
    private VolumeInfo volume;

    @BeforeEach
    void a_pool_is_allocated_above_the_warning_level() {
        TelemetryViewTests.ensureAdmin(users);
        signInAs(ADMIN, Role.ADMIN);
        if (users.listUsers().stream().noneMatch(user -> user.username().equals(VIEWER))) {
            users.createUser(VIEWER, TelemetryViewTests.PASSWORD, Set.of(Role.VIEWER));
        }
        before = events.thresholds();
        events.updateThresholds(new AlertThresholds(80, 90, before.latencyP99Micros(), before.queuePairErrorsPerMinute(),
                before.hostHeartbeat(), before.diskHealth(), before.reconciliationErrors()));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        pool = pools.create(new NewPool("full-" + suffix, PoolType.MEMORY, null, 32 * MIB, List.of(), null));
        volume = volumes.create(new NewVolume("fv-" + suffix, pool.id(), 28 * MIB, null));
        AlertsNow.evaluateInventory(context);
    }

    @AfterEach
    void the_pool_goes_and_the_thresholds_are_restored() {
        signInAs(ADMIN, Role.ADMIN);
        volumes.delete(volume.id());
        pools.delete(pool.id());
        events.updateThresholds(before);
        AlertsNow.evaluateInventory(context);
    }

    @Test
    void an_open_event_is_listed_with_its_rule_object_words_and_state() {
        navigate(EventsView.class);
        var grid = test(grid());
        int row = rowOf(pool.name()).orElseThrow();

        assertThat(IntStream.range(0, 8).mapToObj(grid::getHeaderCell).toList()).containsExactly("Severity", "Rule",
                "Object", "What happened", "State", "Raised", "Acknowledged / cleared", "");
        assertThat(text(grid.getCellComponent(row, 0))).isEqualTo("warning");
        assertThat(grid.getCellText(row, 1)).isEqualTo("Pool usage");
        assertThat(grid.getCellText(row, 2)).isEqualTo(pool.name());
        assertThat(grid.getCellText(row, 3)).startsWith("88% of the capacity is ").endsWith("(warning above 80%, critical above 90%).");
        assertThat(grid.getCellText(row, 4)).isEqualTo("open");
        assertThat(grid.getCellText(row, 5)).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
        assertThat(grid.getCellText(row, 6)).isEmpty();
    }

    @Test
    void an_operator_acknowledges_an_open_event_from_its_row() {
        navigate(EventsView.class);
        int row = rowOf(pool.name()).orElseThrow();
        Button acknowledge = (Button) test(grid()).getCellComponent(row, 7);
        assertThat(acknowledge.getText()).isEqualTo("Acknowledge");
        assertThat(acknowledge.getAriaLabel()).hasValueSatisfying(label -> label.startsWith("Acknowledge: 88% of the capacity"));

        test(acknowledge).click();

        assertThat(test(find(Notification.class).last()).getText()).isEqualTo("Acknowledged: " + pool.name() + ".");
        int after = rowOf(pool.name()).orElseThrow();
        assertThat(test(grid()).getCellText(after, 4)).isEqualTo("acknowledged");
        assertThat(test(grid()).getCellText(after, 6)).matches("acknowledged \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} by " + ADMIN);
        assertThat(test(grid()).getCellComponent(after, 7)).isNotInstanceOf(Button.class);
        EventInfo stored = mine(null);
        assertThat(stored.state()).isEqualTo(EventState.ACKNOWLEDGED);
        assertThat(stored.acknowledgedBy()).isEqualTo(ADMIN);
    }

    @Test
    void the_filter_shows_the_event_under_its_state_only() {
        events.acknowledge(mine(EventState.OPEN).id());
        navigate(EventsView.class);
        assertThat(rowOf(pool.name())).as("shown under All").isPresent();

        show("Open");
        assertThat(rowOf(pool.name())).as("not under Open").isEmpty();
        show("Acknowledged");
        assertThat(rowOf(pool.name())).as("under Acknowledged").isPresent();
        show("Cleared");
        assertThat(rowOf(pool.name())).as("not under Cleared").isEmpty();
    }

    @Test
    void a_cleared_event_says_when_it_was_cleared() {
        events.updateThresholds(new AlertThresholds(95, 99, before.latencyP99Micros(), before.queuePairErrorsPerMinute(),
                before.hostHeartbeat(), before.diskHealth(), before.reconciliationErrors()));
        AlertsNow.evaluateInventory(context);
        navigate(EventsView.class);
        show("Cleared");
        int row = rowOf(pool.name()).orElseThrow();
        assertThat(test(grid()).getCellText(row, 4)).isEqualTo("cleared");
        assertThat(test(grid()).getCellText(row, 6)).matches("cleared \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    }

    @Test
    void a_viewer_sees_the_event_but_no_acknowledge_button() {
        signInAs(VIEWER, Role.VIEWER);
        navigate(EventsView.class);
        int row = rowOf(pool.name()).orElseThrow();
        assertThat(grid().getColumns()).hasSize(7);
        assertThat(test(grid()).getCellText(row, 4)).isEqualTo("open");
        assertThat(find(Button.class).all()).extracting(Button::getText).doesNotContain("Acknowledge");
    }

    /** This test's pool-usage event, through the service (newest first). */
    private EventInfo mine(EventState state) {
        return events.list(state, org.springframework.data.domain.PageRequest.of(0, 500)).stream()
                .filter(event -> event.rule() == AlertRule.POOL_USAGE && event.objectKey().equals("pool:" + pool.id().value()))
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private Grid<EventInfo> grid() {
        return find(Grid.class).single();
    }

    /** The grid's row about this test's pool, if it lists one. */
    private OptionalInt rowOf(String objectName) {
        var grid = test(grid());
        return IntStream.range(0, grid.size())
                .filter(i -> grid.getRow(i).rule() == AlertRule.POOL_USAGE && grid.getRow(i).objectName().equals(objectName))
                .findFirst();
    }

    @SuppressWarnings("unchecked")
    private void show(String choice) {
        test((Select<EventsView.Shown>) find(Select.class).withCaption("Show").single()).selectItem(choice);
    }

    private static String text(Component component) {
        return component.getElement().getTextRecursively().strip();
    }

    private void signInAs(String username, Role role) {
        TelemetryViewTests.signInAs(securityContexts, username, role);
    }
}
