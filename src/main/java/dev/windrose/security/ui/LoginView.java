package dev.windrose.security.ui;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import dev.windrose.security.UserService;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.web.WebAttributes;

/**
 * The sign-in page. Spring Security processes the form (POST /login) and comes back with
 * {@code ?error}; the reason it stored in the session decides what the page says.
 */
@Route(value = LoginView.ROUTE, autoLayout = false)
@PageTitle("Sign in · Windrose")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

    public static final String ROUTE = "login";
    static final String WRONG_CREDENTIALS = "The username or password is not correct. Check them and try again; "
            + "after repeated failures, sign-in is paused for a while.";

    private final UserService users;
    private final LoginForm form = new LoginForm();
    private final Paragraph notice = new Paragraph();

    LoginView(UserService users) {
        this.users = users;
        setSizeFull();
        setAlignItems(Alignment.CENTER);
        setJustifyContentMode(JustifyContentMode.CENTER);
        form.setAction(ROUTE);
        form.setForgotPasswordButtonVisible(false);
        notice.setVisible(false);
        notice.setId("login-notice");
        add(new H1("Windrose"), notice, form);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!users.hasAnyUser()) {
            event.forwardTo(FirstRunView.class);
            return;
        }
        var parameters = event.getLocation().getQueryParameters().getParameters();
        if (parameters.containsKey("created")) {
            notice.setText("The administrator was created. Sign in with the new account.");
            notice.setVisible(true);
        }
        if (parameters.containsKey("error")) {
            showError(lastFailure());
        }
    }

    private void showError(@Nullable AuthenticationException failure) {
        LoginI18n i18n = LoginI18n.createDefault();
        LoginI18n.ErrorMessage error = i18n.getErrorMessage();
        if (failure instanceof LockedException) {
            error.setTitle("Sign-in paused");
            error.setMessage(failure.getMessage());
        } else if (failure instanceof DisabledException) {
            error.setTitle("Account disabled");
            error.setMessage("This account is disabled. Ask an administrator to enable it.");
        } else {
            error.setTitle("Incorrect username or password");
            error.setMessage(WRONG_CREDENTIALS);
        }
        form.setI18n(i18n);
        form.setError(true);
    }

    private static @Nullable AuthenticationException lastFailure() {
        VaadinSession session = VaadinSession.getCurrent();
        if (session == null) {
            return null;
        }
        Object failure = session.getSession().getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        return failure instanceof AuthenticationException exception ? exception : null;
    }
}
