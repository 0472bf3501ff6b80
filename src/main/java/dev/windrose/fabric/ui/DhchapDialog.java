package dev.windrose.fabric.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.PasswordField;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.CopyableCommand;
import dev.windrose.common.ui.Notices;
import dev.windrose.fabric.DhchapSecret;
import dev.windrose.fabric.DhchapService;
import dev.windrose.fabric.DhchapService.ControllerSecret;
import dev.windrose.fabric.ShownSecrets;
import dev.windrose.fabric.SubsystemId;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.fabric.SubsystemInfo.AllowedHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Sets, rotates or removes an allowed host's DH-HMAC-CHAP secrets (issue 17). A generated secret is shown
 * once, with a copy button, and the Linux connect command that carries it; the page keeps it for its Connect
 * panel until it is left. Nothing here ever reads a stored secret back.
 */
final class DhchapDialog {

    static final String GENERATE = "Generate";
    static final String PASTE = "Paste";
    static final String KEEP = "Keep the current one";
    static final String NONE = "None (the host does not authenticate the target)";
    static final String GENERATE_CTRL = "Generate (bidirectional)";
    static final String PASTE_CTRL = "Paste (bidirectional)";

    private DhchapDialog() {
    }

    /**
     * @param shown told the secrets of a change, for the page's Connect panel (null secrets after a removal)
     * @param done told the subsystem after a change
     */
    static void open(DhchapService dhchap, SubsystemId subsystem, AllowedHost host, BiConsumer<String, ShownSecrets> shown,
            Consumer<SubsystemInfo> done) {
        boolean hasSecret = host.dhchap() != null;
        boolean hasCtrl = hasSecret && host.dhchap().controllerSecretSetAt() != null;
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle(hasSecret ? "Rotate DH-HMAC-CHAP secret" : "Set DH-HMAC-CHAP secret");
        dialog.setWidth("40rem");
        Paragraph forHost = new Paragraph("Host " + host.hostNqn() + (hasSecret
                ? ": must authenticate. A new secret replaces the current one; the current one stays accepted for the "
                        + "grace period, so connected hosts keep running while you move them over."
                : ": connects without authentication now. With a secret it must authenticate on every connect "
                        + "(connected queues stay connected)."));
        forHost.getStyle().set("word-break", "break-all").set("margin-top", "0");

        RadioButtonGroup<String> hostMode = new RadioButtonGroup<>("Host secret");
        hostMode.setItems(GENERATE, PASTE);
        hostMode.setValue(GENERATE);
        Select<Integer> keyLength = new Select<>();
        keyLength.setLabel("Key length");
        keyLength.setItems(32, 48, 64);
        keyLength.setItemLabelGenerator(bytes -> bytes + " bytes");
        keyLength.setValue(DhchapSecret.DEFAULT_KEY_LENGTH);
        PasswordField pasted = new PasswordField("Host secret (DHHC-1:…)");
        pasted.setHelperText("As nvme gen-dhchap-key prints it.");
        pasted.setWidthFull();
        pasted.setVisible(false);
        hostMode.addValueChangeListener(change -> {
            keyLength.setVisible(GENERATE.equals(change.getValue()));
            pasted.setVisible(PASTE.equals(change.getValue()));
        });

        RadioButtonGroup<String> ctrlMode = new RadioButtonGroup<>("Controller secret");
        List<String> ctrlChoices = new ArrayList<>();
        if (hasCtrl) {
            ctrlChoices.add(KEEP);
        }
        ctrlChoices.addAll(List.of(NONE, GENERATE_CTRL, PASTE_CTRL));
        ctrlMode.setItems(ctrlChoices);
        ctrlMode.setValue(ctrlChoices.getFirst());
        PasswordField pastedCtrl = new PasswordField("Controller secret (DHHC-1:…)");
        pastedCtrl.setWidthFull();
        pastedCtrl.setVisible(false);
        ctrlMode.addValueChangeListener(change -> pastedCtrl.setVisible(PASTE_CTRL.equals(change.getValue())));

        IntegerField grace = new IntegerField("Grace period (minutes)");
        grace.setMin(0);
        grace.setMax((int) DhchapService.MAX_GRACE_PERIOD.toMinutes());
        grace.setValue((int) DhchapService.DEFAULT_GRACE_PERIOD.toMinutes());
        grace.setStepButtonsVisible(true);
        grace.setHelperText("How long the current secret is still accepted (0 to 1440; 0 ends it at once).");
        grace.setVisible(hasSecret);

        Paragraph refusal = new Paragraph();
        refusal.addClassName("dhchap-refusal");
        refusal.getStyle().set("color", "var(--lumo-error-text-color)");
        VerticalLayout form = new VerticalLayout(forHost, hostMode, keyLength, pasted, ctrlMode, pastedCtrl, grace, refusal);
        form.setPadding(false);
        dialog.add(form);

        Button cancel = new Button("Cancel", click -> dialog.close());
        Button remove = new Button("Remove secrets", click -> confirmRemoval(dhchap, subsystem, host, dialog, shown, done));
        remove.addThemeVariants(ButtonVariant.ERROR, ButtonVariant.TERTIARY);
        remove.setVisible(hasSecret);
        Button set = new Button(hasSecret ? "Rotate secret" : "Set secret");
        set.addThemeVariants(ButtonVariant.PRIMARY);
        set.addClickListener(click -> {
            pasted.setInvalid(false);
            pastedCtrl.setInvalid(false);
            grace.setInvalid(false);
            refusal.setText("");
            if (grace.isVisible() && (grace.getValue() == null || grace.isInvalid())) {
                grace.setErrorMessage("Enter 0 to " + DhchapService.MAX_GRACE_PERIOD.toMinutes() + " minutes.");
                grace.setInvalid(true);
                return;
            }
            boolean pasting = PASTE.equals(hostMode.getValue());
            String ctrlChoice = ctrlMode.getValue();
            DhchapService.SecretChange change = new DhchapService.SecretChange(pasting ? pasted.getValue() : null,
                    keyLength.getValue(), grace.isVisible() ? Duration.ofMinutes(grace.getValue()) : null,
                    KEEP.equals(ctrlChoice) ? ControllerSecret.KEEP
                            : GENERATE_CTRL.equals(ctrlChoice) ? ControllerSecret.GENERATE : ControllerSecret.NONE,
                    PASTE_CTRL.equals(ctrlChoice) ? pastedCtrl.getValue() : null);
            try {
                DhchapService.SecretsIssued issued = dhchap.setSecrets(subsystem, host.id(), change);
                ShownSecrets secrets = new ShownSecrets(pasting ? pasted.getValue().strip() : issued.hostSecret(),
                        PASTE_CTRL.equals(ctrlChoice) ? pastedCtrl.getValue().strip() : issued.controllerSecret());
                shown.accept(host.hostNqn(), secrets);
                done.accept(issued.subsystem());
                showOnce(dialog, issued);
            } catch (InvalidInputException invalid) {
                switch (invalid.field()) {
                    case "hostSecret" -> {
                        pasted.setErrorMessage(invalid.getMessage());
                        pasted.setInvalid(pasted.isVisible());
                    }
                    case "controllerSecret" -> {
                        pastedCtrl.setErrorMessage(invalid.getMessage());
                        pastedCtrl.setInvalid(pastedCtrl.isVisible());
                    }
                    default -> { }
                }
                refusal.setText(invalid.getMessage());
            } catch (ConflictException | NotFoundException refused) {
                refusal.setText(refused.getMessage());
            }
        });
        dialog.getFooter().add(remove, cancel, set);
        dialog.open();
    }

    /** The secrets generated now, this once, and the command that carries them. */
    private static void showOnce(Dialog dialog, DhchapService.SecretsIssued issued) {
        dialog.removeAll();
        dialog.getFooter().removeAll();
        dialog.setHeaderTitle("DH-HMAC-CHAP secret set");
        VerticalLayout content = new VerticalLayout();
        content.setPadding(false);
        content.addClassName("dhchap-shown-once");
        boolean generated = issued.hostSecret() != null || issued.controllerSecret() != null;
        Paragraph once = new Paragraph(generated
                ? "Copy the secret now: it is not shown again (the console keeps it sealed and never answers it). "
                        + "The Connect panel carries it until you leave this page."
                : "The pasted secret is set. The Connect panel carries it until you leave this page.");
        once.getStyle().set("margin-top", "0");
        content.add(once);
        if (issued.hostSecret() != null) {
            CopyableCommand host = new CopyableCommand("Host secret");
            host.setCommand(issued.hostSecret());
            content.add(host);
        }
        if (issued.controllerSecret() != null) {
            CopyableCommand ctrl = new CopyableCommand("Controller secret");
            ctrl.setCommand(issued.controllerSecret());
            content.add(ctrl);
        }
        if (issued.previousAcceptedUntil() != null) {
            content.add(new Paragraph("The previous secret is accepted until "
                    + SubsystemDetailView.TIME.format(issued.previousAcceptedUntil()) + "."));
        }
        CopyableCommand connect = new CopyableCommand("Linux: connect with the secret");
        connect.setCommand(issued.commands().linuxConnect());
        content.add(connect);
        dialog.add(content);
        Button close = new Button("Done", click -> dialog.close());
        close.addThemeVariants(ButtonVariant.PRIMARY);
        dialog.getFooter().add(close);
    }

    private static void confirmRemoval(DhchapService dhchap, SubsystemId subsystem, AllowedHost host, Dialog dialog,
            BiConsumer<String, ShownSecrets> shown, Consumer<SubsystemInfo> done) {
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader("Remove the DH-HMAC-CHAP secrets?");
        confirm.setText("Host " + host.hostNqn() + " then connects without authentication: anyone who can reach a "
                + "listener and states its NQN gets its namespaces.");
        confirm.setCancelable(true);
        confirm.setConfirmText("Remove secrets");
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(event -> {
            try {
                done.accept(dhchap.clearSecrets(subsystem, host.id()));
                shown.accept(host.hostNqn(), ShownSecrets.NONE);
                Notices.success("The host connects without authentication now.");
                dialog.close();
            } catch (NotFoundException gone) {
                Notices.error(gone.getMessage());
            }
        });
        confirm.open();
    }
}
