package dev.windrose.security.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.MainLayout;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.security.ApiTokenInfo;
import dev.windrose.security.ApiTokenService;
import dev.windrose.security.CreatedApiToken;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.util.List;

/**
 * Every signed-in user's own API tokens for the REST API: create one (its secret is shown once,
 * in {@link NewTokenDialog}), see when each expires and was last used, revoke it.
 */
@Route(value = "tokens", layout = MainLayout.class)
@PageTitle("API tokens")
@Menu(order = 20, icon = "vaadin:key", title = "API tokens")
@PermitAll
class ApiTokensView extends VerticalLayout {

    /** The choices offered; the service accepts 1 to {@value ApiTokenService#MAX_EXPIRY_DAYS} days. */
    private static final List<Integer> EXPIRY_DAYS = List.of(7, 30, 90, 365);
    private static final int DEFAULT_EXPIRY_DAYS = 30;

    private final ApiTokenService tokens;
    private final Clock clock;
    private final TextField name = new TextField("Token name");
    private final Select<Integer> expiry = new Select<>();
    private final Grid<ApiTokenInfo> grid = new Grid<>();

    ApiTokensView(ApiTokenService tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
        setSizeFull();
        setPadding(true);
        add(intro(), createForm(), listHeading(), configureGrid());
        setFlexGrow(1, grid);
        refresh();
    }

    private static Component intro() {
        Paragraph intro = new Paragraph("Scripts and tools use an API token to call the REST API (/api/v1) as you, "
                + "with your roles: send it as “Authorization: Bearer <token>”. The token is shown once, when it "
                + "is created; Windrose keeps only a hash of it.");
        intro.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.NONE);
        return intro;
    }

    private Component createForm() {
        name.setPlaceholder("e.g. backup script on host-a");
        name.setMaxLength(ApiTokenService.MAX_NAME_LENGTH);
        name.setRequired(true);
        // The service says what is wrong with a name; without this, clearing the field after a
        // successful create would mark it invalid.
        name.setManualValidation(true);
        name.setMinWidth("20rem");
        expiry.setLabel("Expires in");
        expiry.setItems(EXPIRY_DAYS);
        expiry.setItemLabelGenerator(ApiTokensView::expiryLabel);
        expiry.setValue(DEFAULT_EXPIRY_DAYS);
        Button create = new Button("Create token", VaadinIcon.PLUS.create(), click -> create());
        create.addThemeVariants(ButtonVariant.PRIMARY);
        create.addClickShortcut(Key.ENTER);
        HorizontalLayout form = new HorizontalLayout(name, expiry, create);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.setWrap(true);
        return form;
    }

    private static Component listHeading() {
        H2 heading = new H2("Your tokens");
        heading.addClassNames(LumoUtility.FontSize.LARGE, LumoUtility.Margin.Top.MEDIUM, LumoUtility.Margin.Bottom.NONE);
        return heading;
    }

    private Grid<ApiTokenInfo> configureGrid() {
        grid.addThemeVariants(GridVariant.ROW_STRIPES);
        grid.addColumn(ApiTokenInfo::name).setHeader("Name").setAutoWidth(true).setFlexGrow(1)
                .setTooltipGenerator(ApiTokenInfo::name);
        grid.addColumn(token -> token.prefix() + "…").setHeader("Token").setAutoWidth(true).setFlexGrow(0);
        // Fixed widths for component columns: auto-width is measured before they render.
        grid.addComponentColumn(this::status).setHeader("Status").setWidth("7rem").setFlexGrow(0);
        grid.addColumn(token -> Formats.dateTimeToMinute(token.createdAt(), ""))
                .setHeader(Formats.headerWithZone("Created"))
                .setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(token -> Formats.dateTimeToMinute(token.expiresAt(), ""))
                .setHeader(Formats.headerWithZone("Expires"))
                .setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(token -> Formats.dateTimeToMinute(token.lastUsedAt(), "Never"))
                .setHeader(Formats.headerWithZone("Last used"))
                .setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(this::revokeButton).setHeader("").setTextAlign(ColumnTextAlign.END).setWidth("5.5rem")
                .setFlexGrow(0);
        grid.setEmptyStateText("You have no API tokens yet: give one a name above and press “Create token”.");
        return grid;
    }

    private Component status(ApiTokenInfo token) {
        ApiTokenInfo.Status status = token.statusAt(clock.instant());
        Badge badge = new Badge(switch (status) {
            case ACTIVE -> "Active";
            case EXPIRED -> "Expired";
            case REVOKED -> "Revoked";
        });
        badge.addThemeVariants(status == ApiTokenInfo.Status.ACTIVE ? BadgeVariant.SUCCESS : BadgeVariant.CONTRAST);
        return badge;
    }

    private Component revokeButton(ApiTokenInfo token) {
        if (token.statusAt(clock.instant()) != ApiTokenInfo.Status.ACTIVE) {
            return new HorizontalLayout();
        }
        // Icon only, to leave the row's width to the dates; the tooltip and the accessible name say what it does.
        Button revoke = new Button(VaadinIcon.BAN.create(), click -> confirmRevoke(token));
        revoke.addThemeVariants(ButtonVariant.TERTIARY, ButtonVariant.LUMO_ICON, ButtonVariant.ERROR);
        revoke.setAriaLabel("Revoke " + token.name());
        revoke.setTooltipText("Revoke " + token.name());
        return revoke;
    }

    private void create() {
        name.setInvalid(false);
        try {
            CreatedApiToken created = tokens.createForCurrentUser(name.getValue(), expiry.getValue());
            name.clear();
            refresh();
            new NewTokenDialog(created).open();
        } catch (InvalidInputException invalid) {
            name.setErrorMessage(invalid.getMessage());
            name.setInvalid(true);
        }
    }

    private void confirmRevoke(ApiTokenInfo token) {
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader("Revoke " + token.name() + "?");
        confirm.setText("Scripts using this token are refused from now on. This cannot be undone.");
        confirm.setCancelable(true);
        confirm.setConfirmText("Revoke");
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(event -> revoke(token));
        confirm.open();
    }

    private void revoke(ApiTokenInfo token) {
        try {
            tokens.revoke(token.id());
            Notices.success("Token " + token.name() + " revoked.");
        } catch (NotFoundException gone) {
            Notices.error(gone.getMessage());
        }
        refresh();
    }

    private void refresh() {
        grid.setItems(tokens.listMine());
    }

    static String expiryLabel(int days) {
        return days == 365 ? "1 year" : days + " days";
    }
}
