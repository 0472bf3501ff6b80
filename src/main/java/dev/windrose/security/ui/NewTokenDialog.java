package dev.windrose.security.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.common.ui.Notices;
import dev.windrose.security.CreatedApiToken;

/**
 * Shows a new token's secret, the only time it is ever shown. Closing needs an explicit "Done"
 * (no click outside, no Escape), so nobody loses the secret by accident before copying it.
 */
class NewTokenDialog extends Dialog {

    NewTokenDialog(CreatedApiToken created) {
        setHeaderTitle("Your new API token");
        setWidth("40rem");
        setCloseOnOutsideClick(false);
        setCloseOnEsc(false);

        Paragraph warning = new Paragraph("Copy “" + created.info().name() + "” now: it is shown only this once. "
                + "Windrose keeps only a hash of it and cannot show it again.");
        warning.addClassNames(LumoUtility.Margin.NONE);

        TextField secret = new TextField("Token");
        secret.setValue(created.secret());
        secret.setReadOnly(true);
        secret.setWidthFull();
        secret.getStyle().set("font-family", "monospace");

        Button copy = new Button("Copy", VaadinIcon.COPY.create(), click -> copyToClipboard(click.getSource(), created.secret()));
        copy.setAriaLabel("Copy the token");
        HorizontalLayout secretRow = new HorizontalLayout(secret, copy);
        secretRow.setWidthFull();
        secretRow.setAlignItems(FlexComponent.Alignment.BASELINE);
        secretRow.setFlexGrow(1, secret);

        Paragraph usage = new Paragraph("Use it as: Authorization: Bearer " + created.info().prefix() + "…");
        usage.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.NONE);

        VerticalLayout content = new VerticalLayout(warning, secretRow, usage);
        content.setPadding(false);
        add(content);

        Button done = new Button("Done", click -> close());
        done.addThemeVariants(ButtonVariant.PRIMARY);
        getFooter().add(done);
    }

    /**
     * The browser's clipboard API exists only in a secure context (HTTPS or localhost); elsewhere
     * the user is told to copy by hand rather than left believing it worked.
     */
    private static void copyToClipboard(Button source, String text) {
        source.getElement()
                .executeJs("if (!navigator.clipboard) { throw new Error('no clipboard'); }"
                        + " return navigator.clipboard.writeText($0);", text)
                .then(ignored -> Notices.success("Token copied to the clipboard."),
                        failure -> Notices.error("The browser did not allow copying here: select the token "
                                + "and copy it by hand."));
    }
}
