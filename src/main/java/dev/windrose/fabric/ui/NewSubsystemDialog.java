package dev.windrose.fabric.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.Notices;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.NewSubsystem;
import dev.windrose.fabric.Nqn;
import dev.windrose.fabric.SubsystemInfo;
import java.util.UUID;
import java.util.function.Consumer;

/** Creates a subsystem; the NQN is checked as it is typed, with the rule it breaks. */
class NewSubsystemDialog extends Dialog {

    private final FabricService fabric;
    private final Consumer<SubsystemInfo> onCreated;
    private final TextField nqn = new TextField("NQN");
    private final TextField serial = new TextField("Serial number (optional)");
    private final TextField model = new TextField("Model (optional)");
    private final Checkbox allowAnyHost = new Checkbox("Allow any host to connect");
    private final Paragraph refusal = new Paragraph();
    private final Button create = new Button("Create subsystem");

    NewSubsystemDialog(FabricService fabric, Consumer<SubsystemInfo> onCreated) {
        this.fabric = fabric;
        this.onCreated = onCreated;
        setHeaderTitle("New subsystem");
        setWidth("36rem");
        nqn.setRequired(true);
        nqn.setWidthFull();
        nqn.setValue("nqn.2026-01.dev.windrose:" + UUID.randomUUID().toString().substring(0, 8));
        nqn.setHelperText("nqn.yyyy-mm.reverse.domain:name, or nqn.2014-08.org.nvmexpress:uuid:<uuid>");
        nqn.setValueChangeMode(ValueChangeMode.EAGER);
        nqn.addValueChangeListener(change -> validate());
        serial.setMaxLength(FabricService.MAX_SERIAL);
        serial.setHelperText("Up to 20 characters; a random one when empty.");
        model.setMaxLength(FabricService.MAX_MODEL);
        model.setPlaceholder(FabricService.DEFAULT_MODEL);
        refusal.getStyle().set("color", "var(--lumo-error-text-color)");
        VerticalLayout content = new VerticalLayout(nqn, serial, model, allowAnyHost, refusal);
        content.setPadding(false);
        add(content);
        create.addThemeVariants(ButtonVariant.PRIMARY);
        create.addClickListener(click -> create());
        getFooter().add(new Button("Cancel", click -> close()), create);
        validate();
    }

    private boolean validate() {
        try {
            Nqn.validate("nqn", nqn.getValue());
            nqn.setInvalid(false);
            create.setEnabled(true);
            return true;
        } catch (InvalidInputException invalid) {
            nqn.setErrorMessage(invalid.getMessage());
            nqn.setInvalid(true);
            create.setEnabled(false);
            return false;
        }
    }

    private void create() {
        if (!validate()) {
            return;
        }
        refusal.setText("");
        try {
            SubsystemInfo created = fabric.create(new NewSubsystem(nqn.getValue(), serial.getValue(), model.getValue(),
                    allowAnyHost.getValue()));
            Notices.success("Subsystem " + created.nqn() + " created.");
            onCreated.accept(created);
            close();
        } catch (InvalidInputException invalid) {
            refusal.setText(invalid.getMessage());
        } catch (ConflictException conflict) {
            nqn.setErrorMessage(conflict.getMessage());
            nqn.setInvalid(true);
        }
    }
}
