package dev.windrose.security.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.security.PasswordPolicy;
import dev.windrose.security.UserService;
import java.util.List;
import java.util.Map;

/**
 * First run: while no user exists, every page leads here to create the administrator. Once one
 * exists the page is refused (it forwards to the sign-in page) and the service refuses too.
 */
@Route(value = FirstRunView.ROUTE, autoLayout = false)
@PageTitle("Set up · Windrose")
@AnonymousAllowed
public class FirstRunView extends VerticalLayout implements BeforeEnterObserver {

    public static final String ROUTE = "setup";

    private final UserService users;
    private final PasswordPolicy policy;
    private final TextField username = new TextField("Administrator username");
    private final PasswordField password = new PasswordField("Password");
    private final PasswordField repeat = new PasswordField("Repeat the password");
    private final Paragraph error = new Paragraph();

    FirstRunView(UserService users, PasswordPolicy policy) {
        this.users = users;
        this.policy = policy;
        setMaxWidth("32rem");
        getStyle().set("margin", "0 auto");
        username.setValue("admin");
        username.setRequired(true);
        password.setRequired(true);
        password.setHelperText("At least " + PasswordPolicy.MIN_LENGTH
                + " characters, not the username, not a common password.");
        repeat.setRequired(true);
        error.setId("setup-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        error.setVisible(false);
        Button create = new Button("Create administrator", click -> create());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.addClickShortcut(com.vaadin.flow.component.Key.ENTER);
        username.setWidthFull();
        password.setWidthFull();
        repeat.setWidthFull();
        add(new H1("Welcome to Windrose"),
                new Paragraph("No user exists yet. Create the administrator account: it manages everything else, "
                        + "including other users."),
                username, password, repeat, error, create);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (users.hasAnyUser()) {
            event.forwardTo(LoginView.class);
        }
    }

    private void create() {
        clearErrors();
        if (!password.getValue().equals(repeat.getValue())) {
            repeat.setInvalid(true);
            repeat.setErrorMessage("The two passwords differ.");
            return;
        }
        List<String> problems = policy.problems(username.getValue(), password.getValue());
        if (!problems.isEmpty()) {
            password.setInvalid(true);
            password.setErrorMessage("The password " + String.join("; it ", problems) + ".");
            return;
        }
        try {
            users.createFirstAdmin(username.getValue(), password.getValue());
            getUI().ifPresent(ui -> ui.navigate(LoginView.class,
                    new QueryParameters(Map.of("created", List.of("")))));
        } catch (InvalidInputException e) {
            markInvalid(e.field(), e.getMessage());
        } catch (ConflictException e) {
            showError(e.getMessage());
        }
    }

    private void markInvalid(String field, String message) {
        switch (field) {
            case "username" -> {
                username.setInvalid(true);
                username.setErrorMessage(message);
            }
            case "password" -> {
                password.setInvalid(true);
                password.setErrorMessage(message);
            }
            default -> showError(message);
        }
    }

    private void showError(String message) {
        error.setText(message);
        error.setVisible(true);
    }

    private void clearErrors() {
        username.setInvalid(false);
        password.setInvalid(false);
        repeat.setInvalid(false);
        error.setVisible(false);
    }
}
