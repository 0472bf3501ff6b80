package dev.windrose.telemetry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.AlertThresholds;
import dev.windrose.telemetry.EventInfo;
import dev.windrose.telemetry.EventService;
import dev.windrose.telemetry.EventState;
import dev.windrose.telemetry.internal.AlertsNow;
import java.util.OptionalInt;
import java.util.Set;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The events view, driven on the server: a real event (a host whose heartbeat stopped an hour ago,
 * judged by the alert rules as the scheduler would) is listed with its rule, object, words and state; an
 * operator acknowledges it from its row; the filter shows it by state; a viewer has no button. (A full
 * thick pool no longer raises an event: it is fully allocated, not running out of space.)
 */
@SpringBootTest(properties = TelemetryViewTests.CONTEXT)
@ActiveProfiles("test")
class EventsViewTest extends SpringBrowserlessTest {

    static final String ADMIN = TelemetryViewTests.ADMIN;
    static final String VIEWER = "events-viewer";

    @Autowired
    UserService users;
    @Autowired
    EventService events;
    @Autowired
    ApplicationContext context;
    @Autowired
    VaadinAwareSecurityContextHolderStrategy securityContexts;

    @Autowired
    JdbcTemplate jdbc;

    private AlertThresholds before;
    private String host;

    @BeforeEach
    void a_host_stopped_its_heartbeat_an_hour_ago() {
        TelemetryViewTests.ensureAdmin(users);
        signInAs(ADMIN, Role.ADMIN);
        if (users.listUsers().stream().noneMatch(user -> user.username().equals(VIEWER))) {
            users.createUser(VIEWER, TelemetryViewTests.PASSWORD, Set.of(Role.VIEWER));
        }
        before = events.thresholds();
        events.updateThresholds(new AlertThresholds(before.poolWarningPercent(), before.poolCriticalPercent(),
                before.latencyP99Micros(), before.queuePairErrorsPerMinute(), true, before.diskHealth(),
                before.reconciliationErrors()));
        host = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        Timestamp anHourAgo = Timestamp.from(Instant.now().minus(Duration.ofHours(1)));
        jdbc.update("INSERT INTO host (machine_id, name, addresses, os_name, kernel, cpu_cores, memory_bytes, "
                + "dataplane_version, dataplane_mode, registered_at, last_heartbeat_at) VALUES (?, ?, '192.0.2.9', "
                + "'Debian', '6.1', 2, 1073741824, '0.1', 'adaptive', ?, ?)", host, host, anHourAgo, anHourAgo);
        AlertsNow.evaluateInventory(context);
    }

    @AfterEach
    void the_host_goes_and_the_thresholds_are_restored() {
        signInAs(ADMIN, Role.ADMIN);
        jdbc.update("DELETE FROM host WHERE machine_id = ?", host);
        events.updateThresholds(before);
        AlertsNow.evaluateInventory(context);
    }

    @Test
    void an_open_event_is_listed_with_its_rule_object_words_and_state() {
        navigate(EventsView.class);
        var grid = test(grid());
        int row = rowOf(host).orElseThrow();

        assertThat(IntStream.range(0, 8).mapToObj(grid::getHeaderCell).toList()).containsExactly("Severity", "Rule",
                "Object", "What happened", "State", "Raised", "Acknowledged / cleared", "");
        assertThat(text(grid.getCellComponent(row, 0))).isEqualTo("critical");
        assertThat(grid.getCellText(row, 1)).isEqualTo("Host heartbeat");
        RouterLink object = (RouterLink) grid.getCellComponent(row, 2);
        assertThat(object.getText()).as("the object links to its page").isEqualTo(host);
        assertThat(object.getHref()).isEqualTo("hosts/" + hostId());
        assertThat(grid.getCellText(row, 3)).startsWith("No heartbeat since ")
                .endsWith(": the host is down or cannot reach the database.");
        assertThat(grid.getCellText(row, 4)).isEqualTo("open");
        assertThat(grid.getCellText(row, 5)).as("with its zone").matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} "
                + ZONE);
        assertThat(grid.getCellText(row, 6)).isEmpty();
    }

    @Test
    void an_operator_acknowledges_an_open_event_from_its_row() {
        navigate(EventsView.class);
        int row = rowOf(host).orElseThrow();
        Button acknowledge = (Button) test(grid()).getCellComponent(row, 7);
        assertThat(acknowledge.getText()).isEqualTo("Acknowledge");
        assertThat(acknowledge.getAriaLabel()).hasValueSatisfying(label -> label.startsWith("Acknowledge: No heartbeat since"));

        test(acknowledge).click();

        assertThat(test(find(Notification.class).last()).getText()).isEqualTo("Acknowledged: " + host + ".");
        int after = rowOf(host).orElseThrow();
        assertThat(test(grid()).getCellText(after, 4)).isEqualTo("acknowledged");
        assertThat(test(grid()).getCellText(after, 6)).matches("acknowledged \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} " + ZONE + " by " + ADMIN);
        assertThat(test(grid()).getCellComponent(after, 7)).isNotInstanceOf(Button.class);
        EventInfo stored = mine(null);
        assertThat(stored.state()).isEqualTo(EventState.ACKNOWLEDGED);
        assertThat(stored.acknowledgedBy()).isEqualTo(ADMIN);
    }

    @Test
    void the_filter_shows_the_event_under_its_state_only() {
        events.acknowledge(mine(EventState.OPEN).id());
        navigate(EventsView.class);
        assertThat(rowOf(host)).as("shown under All").isPresent();

        show("Open");
        assertThat(rowOf(host)).as("not under Open").isEmpty();
        show("Acknowledged");
        assertThat(rowOf(host)).as("under Acknowledged").isPresent();
        show("Cleared");
        assertThat(rowOf(host)).as("not under Cleared").isEmpty();
    }

    @Test
    void a_cleared_event_says_when_it_was_cleared() {
        jdbc.update("UPDATE host SET last_heartbeat_at = ? WHERE machine_id = ?", Timestamp.from(Instant.now()), host);
        AlertsNow.evaluateInventory(context);
        navigate(EventsView.class);
        show("Cleared");
        int row = rowOf(host).orElseThrow();
        assertThat(test(grid()).getCellText(row, 4)).isEqualTo("cleared");
        assertThat(test(grid()).getCellText(row, 6)).matches("cleared \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} " + ZONE);
    }

    @Test
    void a_viewer_sees_the_event_but_no_acknowledge_button() {
        signInAs(VIEWER, Role.VIEWER);
        navigate(EventsView.class);
        int row = rowOf(host).orElseThrow();
        assertThat(grid().getColumns()).hasSize(7);
        assertThat(test(grid()).getCellText(row, 4)).isEqualTo("open");
        assertThat(find(Button.class).all()).extracting(Button::getText).doesNotContain("Acknowledge");
    }

    /** The zone's short name as the page writes it: without a browser, the server's zone. */
    private static final String ZONE = java.util.regex.Pattern.quote(java.time.format.DateTimeFormatter
            .ofPattern("z", java.util.Locale.ROOT).withZone(java.time.ZoneId.systemDefault()).format(Instant.now()));

    private long hostId() {
        return jdbc.queryForObject("SELECT id FROM host WHERE machine_id = ?", Long.class, host);
    }

    /** This test's heartbeat event, through the service (newest first). */
    private EventInfo mine(EventState state) {
        return events.list(state, org.springframework.data.domain.PageRequest.of(0, 500)).stream()
                .filter(event -> event.rule() == AlertRule.HOST_HEARTBEAT && event.objectName().equals(host))
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private Grid<EventInfo> grid() {
        return find(Grid.class).single();
    }

    /** The grid's row about this test's host, if it lists one. */
    private OptionalInt rowOf(String objectName) {
        var grid = test(grid());
        return IntStream.range(0, grid.size())
                .filter(i -> grid.getRow(i).rule() == AlertRule.HOST_HEARTBEAT && grid.getRow(i).objectName().equals(objectName))
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
