package dev.windrose.fabric.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.Notices;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.Nqn;
import dev.windrose.fabric.SubsystemId;
import dev.windrose.fabric.SubsystemInfo;
import java.util.function.Consumer;

/** Allows a host NQN; the NQN is checked as it is typed. */
final class HostDialog {

    private HostDialog() {
    }

    static void open(FabricService fabric, SubsystemId subsystem, Consumer<SubsystemInfo> done) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Allow host");
        dialog.setWidth("36rem");
        TextField hostNqn = new TextField("Host NQN");
        hostNqn.setHelperText("On Linux: cat /etc/nvme/hostnqn. On ESXi: esxcli nvme info get.");
        hostNqn.setValueChangeMode(ValueChangeMode.EAGER);
        hostNqn.setWidthFull();
        Paragraph refusal = new Paragraph();
        refusal.getStyle().set("color", "var(--lumo-error-text-color)");
        Button allow = new Button("Allow");
        allow.addThemeVariants(ButtonVariant.PRIMARY);
        allow.setEnabled(false);
        hostNqn.addValueChangeListener(change -> {
            try {
                Nqn.validate("hostNqn", hostNqn.getValue());
                hostNqn.setInvalid(false);
                allow.setEnabled(true);
            } catch (InvalidInputException invalid) {
                hostNqn.setErrorMessage(invalid.getMessage());
                hostNqn.setInvalid(!hostNqn.getValue().isEmpty());
                allow.setEnabled(false);
            }
        });
        allow.addClickListener(click -> {
            try {
                done.accept(fabric.allowHost(subsystem, hostNqn.getValue()));
                Notices.success("Host allowed.");
                dialog.close();
            } catch (InvalidInputException | ConflictException refused) {
                refusal.setText(refused.getMessage());
            }
        });
        VerticalLayout content = new VerticalLayout(hostNqn, refusal);
        content.setPadding(false);
        dialog.add(content);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), allow);
        dialog.open();
    }
}
