package dev.windrose.common.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;

/** A command in a read-only field, selectable by hand, with a button that copies it. */
public class CopyableCommand extends HorizontalLayout {

    private final TextField command = new TextField();
    private final Button copy;

    public CopyableCommand(String label) {
        command.setLabel(label);
        command.setReadOnly(true);
        command.setWidthFull();
        command.getStyle().set("font-family", "var(--lumo-font-family-monospace, monospace)");
        copy = new Button("Copy", VaadinIcon.COPY.create(), click -> copyToClipboard());
        copy.addThemeVariants(ButtonVariant.TERTIARY);
        copy.setAriaLabel("Copy " + label);
        setWidthFull();
        setAlignItems(FlexComponent.Alignment.BASELINE);
        add(command, copy);
        setFlexGrow(1, command);
    }

    public void setCommand(String text) {
        command.setValue(text);
    }

    public String command() {
        return command.getValue();
    }

    /**
     * The browser's clipboard API exists only in a secure context (HTTPS or localhost); elsewhere the
     * user is told to copy by hand rather than left believing it worked.
     */
    private void copyToClipboard() {
        copy.getElement()
                .executeJs("if (!navigator.clipboard) { throw new Error('no clipboard'); }"
                        + " return navigator.clipboard.writeText($0);", command.getValue())
                .then(ignored -> Notices.success("Command copied to the clipboard."),
                        failure -> Notices.error("The browser did not allow copying here: select the command and "
                                + "copy it by hand."));
    }
}
