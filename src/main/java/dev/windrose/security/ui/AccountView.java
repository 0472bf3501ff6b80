package dev.windrose.security.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.card.Card;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.Autocomplete;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.MainLayout;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.Notices;
import dev.windrose.security.PasswordPolicy;
import dev.windrose.security.UserService;
import dev.windrose.security.UserSummary;
import jakarta.annotation.security.PermitAll;
import java.util.List;

/**
 * The signed-in user's own account: who they are, which roles they hold, and a new password
 * (which needs the current one). Reached from the user menu, not the side navigation.
 */
@Route(value = AccountView.ROUTE, layout = MainLayout.class)
@PageTitle("Your account")
@PermitAll
class AccountView extends VerticalLayout {

    /** The path the user menu in {@link MainLayout} opens. */
    static final String ROUTE = "account";

    private final UserService users;
    private final PasswordField current = new PasswordField("Current password");
    private final PasswordField replacement = new PasswordField("New password");
    private final PasswordField repeat = new PasswordField("Repeat the new password");

    AccountView(UserService users) {
        this.users = users;
        setPadding(true);
        setMaxWidth("40rem");
        UserSummary me = users.currentUser();
        Paragraph who = new Paragraph("Signed in as " + me.username() + ", with the roles "
                + RoleLabels.labels(me.roles()) + ". An administrator changes roles in the users view.");
        who.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.NONE);
        add(who, passwordCard());
    }

    private Component passwordCard() {
        for (PasswordField field : List.of(current, replacement, repeat)) {
            field.setManualValidation(true);
            field.setRequiredIndicatorVisible(true);
        }
        current.setAutocomplete(Autocomplete.CURRENT_PASSWORD);
        replacement.setAutocomplete(Autocomplete.NEW_PASSWORD);
        repeat.setAutocomplete(Autocomplete.NEW_PASSWORD);
        replacement.setHelperText("At least " + PasswordPolicy.MIN_LENGTH
                + " characters, not the username, not a common password.");
        FormLayout form = new FormLayout(current, replacement, repeat);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        Button change = new Button("Change password", click -> changePassword());
        change.addThemeVariants(ButtonVariant.PRIMARY);
        Card card = new Card();
        card.setTitle("Password", 2);
        card.add(form);
        card.addToFooter(change);
        card.setWidthFull();
        return card;
    }

    private void changePassword() {
        clearErrors();
        if (!replacement.getValue().equals(repeat.getValue())) {
            showError(repeat, "The two new passwords differ.");
            return;
        }
        try {
            users.changeOwnPassword(current.getValue(), replacement.getValue());
            current.clear();
            replacement.clear();
            repeat.clear();
            Notices.success("Password changed. Use the new one from your next sign-in.");
        } catch (InvalidInputException invalid) {
            showError("currentPassword".equals(invalid.field()) ? current : replacement, invalid.getMessage());
        }
    }

    private void clearErrors() {
        for (HasValidation field : List.<HasValidation>of(current, replacement, repeat)) {
            field.setInvalid(false);
            field.setErrorMessage(null);
        }
    }

    private static void showError(HasValidation field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
    }
}
