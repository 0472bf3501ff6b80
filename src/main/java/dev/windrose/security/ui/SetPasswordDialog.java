package dev.windrose.security.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.Autocomplete;
import com.vaadin.flow.component.textfield.PasswordField;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.security.PasswordPolicy;
import dev.windrose.security.UserService;
import dev.windrose.security.UserSummary;

/** An administrator sets a new password for a user who forgot theirs. */
class SetPasswordDialog extends Dialog {

    private final UserService users;
    private final UserSummary user;
    private final PasswordField password = new PasswordField("New password");

    SetPasswordDialog(UserService users, UserSummary user) {
        this.users = users;
        this.user = user;
        setHeaderTitle("New password for " + user.username());
        setWidth("30rem");
        password.setHelperText("At least " + PasswordPolicy.MIN_LENGTH
                + " characters, not the username, not a common password.");
        password.setAutocomplete(Autocomplete.NEW_PASSWORD);
        password.setManualValidation(true);
        password.setWidthFull();
        add(new Paragraph("Tell " + user.username() + " the new password through a safe channel. "
                + "Their API tokens are revoked with it: they create new ones after signing in."),
                password);
        Button cancel = new Button("Cancel", click -> close());
        Button save = new Button("Set password", click -> save());
        save.addThemeVariants(ButtonVariant.PRIMARY);
        getFooter().add(cancel, save);
    }

    private void save() {
        try {
            int revoked = users.changePassword(user.id(), password.getValue());
            close();
            Notices.success("New password set for " + user.username() + "."
                    + (revoked == 0 ? "" : " " + revoked + " API token(s) of theirs revoked."));
        } catch (InvalidInputException | NotFoundException refused) {
            password.setErrorMessage(refused.getMessage());
            password.setInvalid(true);
        }
    }
}
