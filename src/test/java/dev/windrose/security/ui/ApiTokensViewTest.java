package dev.windrose.security.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.windrose.security.ApiTokenInfo;
import dev.windrose.security.ApiTokenService;
import dev.windrose.security.UserService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** A user's own API tokens in the console, driven on the server (no browser). */
@SpringBootTest(properties = ViewTests.CONTEXT)
@ActiveProfiles("test")
class ApiTokensViewTest extends SpringBrowserlessTest {

    @Autowired
    UserService users;
    @Autowired
    VaadinAwareSecurityContextHolderStrategy securityContexts;
    @Autowired
    ApiTokenService tokens;

    @BeforeEach
    void the_signed_in_user_exists() {
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(ViewTests.ADMIN, ViewTests.ADMIN_PASSWORD);
        }
        ViewTests.signInAs(securityContexts, ViewTests.ADMIN, "ADMIN");
        navigate(ApiTokensView.class);
    }

    @Test
    void a_new_token_is_shown_once_in_full_and_listed_by_its_prefix_only() {
        String secret = create("backup script");

        assertThat(secret).startsWith("wr_");
        ApiTokenInfo listed = rows().stream().filter(token -> token.name().equals("backup script")).findFirst()
                .orElseThrow();
        assertThat(secret).startsWith(listed.prefix());
        assertThat(listed.prefix()).isNotEqualTo(secret);
        assertThat(Duration.between(listed.createdAt(), listed.expiresAt())).isEqualTo(Duration.ofDays(30));

        test(find(Button.class).withText("Done").single()).click();
        assertThat(find(Dialog.class).all()).isEmpty();
        assertThat(find(TextField.class).all()).extracting(TextField::getValue).doesNotContain(secret);
    }

    @Test
    void a_name_with_a_control_character_is_refused_under_the_name_and_creates_nothing() {
        int before = rows().size();
        test(find(TextField.class).withCaption("Token name").single()).setValue("ci\u001b[2Jbuild");
        test(find(Button.class).withText("Create token").single()).click();

        TextField name = find(TextField.class).withCaption("Token name").single();
        assertThat(name.isInvalid()).isTrue();
        assertThat(name.getErrorMessage()).startsWith("The name contains a control character (U+001B ESC) at position 3");
        assertThat(find(Dialog.class).all()).isEmpty();
        assertThat(rows()).hasSize(before);
    }

    @Test
    void a_blank_name_is_refused_under_the_name_and_creates_nothing() {
        int before = rows().size();
        test(find(TextField.class).withCaption("Token name").single()).setValue("   ");
        test(find(Button.class).withText("Create token").single()).click();

        TextField name = find(TextField.class).withCaption("Token name").single();
        assertThat(name.isInvalid()).isTrue();
        assertThat(name.getErrorMessage()).startsWith("A token needs a name");
        assertThat(find(Dialog.class).all()).isEmpty();
        assertThat(rows()).hasSize(before);
    }

    @Test
    void a_revoked_token_stays_listed_as_revoked_without_a_revoke_button() {
        create("to revoke");
        test(find(Button.class).withText("Done").single()).click();

        test(rowButton("Revoke to revoke").orElseThrow()).click();
        test(find(ConfirmDialog.class).single()).confirm();

        assertThat(tokens.listMine()).filteredOn(token -> token.name().equals("to revoke"))
                .allSatisfy(token -> assertThat(token.revokedAt()).isNotNull());
        assertThat(rowButton("Revoke to revoke")).isEmpty();
    }

    /** Creates a token through the form and returns the secret the dialog shows. */
    private String create(String name) {
        test(find(TextField.class).withCaption("Token name").single()).setValue(name);
        test(find(Button.class).withText("Create token").single()).click();
        Dialog dialog = find(Dialog.class).single();
        assertThat(dialog.getHeaderTitle()).isEqualTo("Your new API token");
        return find(TextField.class).withCaption("Token").single().getValue();
    }

    @SuppressWarnings("unchecked")
    private List<ApiTokenInfo> rows() {
        var grid = test((Grid<ApiTokenInfo>) find(Grid.class).single());
        return IntStream.range(0, grid.size()).mapToObj(grid::getRow).toList();
    }

    /** Column of the per-row action buttons in the view's grid. */
    private static final int ACTIONS_COLUMN = 6;

    /** A per-row action button by its accessible name (rows are rendered, so the grid is asked). */
    private Optional<Button> rowButton(String accessibleName) {
        @SuppressWarnings("unchecked")
        var grid = test((Grid<Object>) find(Grid.class).single());
        return IntStream.range(0, grid.size())
                .mapToObj(row -> grid.getCellComponent(row, ACTIONS_COLUMN))
                .flatMap(ViewTests::buttonsIn)
                .filter(button -> button.getAriaLabel().filter(accessibleName::equals).isPresent())
                .findFirst();
    }
}
