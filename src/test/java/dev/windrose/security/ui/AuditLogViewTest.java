package dev.windrose.security.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditEntry;
import dev.windrose.security.AuditLog;
import dev.windrose.security.UserService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.PageRequest;
import org.springframework.test.context.ActiveProfiles;

/** The audit log view reads the log a page at a time, newest first. */
@SpringBootTest(properties = ViewTests.CONTEXT)
@ActiveProfiles("test")
class AuditLogViewTest extends SpringBrowserlessTest {

    /** More than the grid fetches at once (its page size is 50), so paging is exercised. */
    private static final int ENTRIES = 130;

    @Autowired
    UserService users;
    @Autowired
    VaadinAwareSecurityContextHolderStrategy securityContexts;
    @Autowired
    AuditLog auditLog;

    @BeforeEach
    void the_signed_in_administrator_exists() {
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(ViewTests.ADMIN, ViewTests.ADMIN_PASSWORD);
        }
        ViewTests.signInAs(securityContexts, ViewTests.ADMIN, "ADMIN");
    }

    @Test
    void every_entry_is_reachable_and_the_newest_comes_first() {
        for (int i = 0; i < ENTRIES; i++) {
            auditLog.record("audit-view-test", AuditAction.USER_ROLES_CHANGED, "entry-" + i, null, "192.0.2.1");
        }
        long total = auditLog.page(PageRequest.of(0, 1)).getTotalElements();

        navigate(AuditLogView.class);
        @SuppressWarnings("unchecked")
        var grid = test((Grid<AuditEntry>) find(Grid.class).single());

        assertThat(grid.size()).isEqualTo(Math.toIntExact(total));
        assertThat(grid.getRow(0).target()).isEqualTo("entry-" + (ENTRIES - 1));
        assertThat(grid.getRow(ENTRIES - 1).target()).isEqualTo("entry-0");
        assertThat(grid.getCellText(0, 2)).isEqualTo("audit-view-test");
    }

    @Test
    void details_read_in_words_and_wrap_instead_of_being_cut() {
        auditLog.record("intruder", AuditAction.LOGIN_FAILED, "intruder", "BadCredentialsException", "192.0.2.7");
        auditLog.record("audit-view-test", AuditAction.VOLUME_GROWN, "vol-words", "8388608 -> 1073741824 bytes", "192.0.2.1");

        navigate(AuditLogView.class);
        @SuppressWarnings("unchecked")
        var grid = test((Grid<AuditEntry>) find(Grid.class).single());

        Component grown = grid.getCellComponent(0, 4);
        assertThat(grown.getElement().getText()).isEqualTo("8 MiB → 1 GiB");
        assertThat(grown.getElement().getStyle().get("white-space")).isEqualTo("normal");
        assertThat(grid.getCellComponent(1, 4).getElement().getText()).isEqualTo("wrong user name or password");
        assertThat(grid.getCellComponent(1, 3).getElement().getText()).isEqualTo("intruder");
    }

    @Test
    void stored_details_keep_exact_numbers_and_unknown_exceptions_become_words() {
        assertThat(AuditDetails.readable("ram, capacity 2147483648 bytes, /srv/pool")).isEqualTo("ram, capacity 2 GiB, /srv/pool");
        assertThat(AuditDetails.readable("SessionAuthenticationException")).isEqualTo("session authentication");
        assertThat(AuditDetails.readable("overcommit 100% -> 200%")).isEqualTo("overcommit 100% → 200%");
        assertThat(AuditDetails.readable(null)).isEmpty();
    }
}
