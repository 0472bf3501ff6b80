package dev.windrose.fabric.ui;

import dev.windrose.cluster.ClusterService;
import dev.windrose.cluster.NodeRequestFailedException;
import dev.windrose.cluster.NodeRequestPendingException;
import dev.windrose.cluster.NodeUnavailableException;
import dev.windrose.cluster.ui.NodeChoice;
import dev.windrose.common.NotFoundException;
import dev.windrose.inventory.HostId;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.Notices;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.ListenerAddress;
import dev.windrose.fabric.SubsystemId;
import dev.windrose.fabric.SubsystemInfo;
import java.util.function.Consumer;

/** Adds a TCP listener; address and port are checked as they are typed. */
final class ListenerDialog {

    static final int NVME_TCP_PORT = 4420;

    private ListenerDialog() {
    }

    static void open(FabricService fabric, ClusterService cluster, HostId local, SubsystemId subsystem,
            Consumer<SubsystemInfo> done) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Add listener");
        NodeChoice node = new NodeChoice(cluster, "The node whose address this is: it listens there and checks the port.");
        node.setWidthFull();
        TextField address = new TextField("Address");
        address.setValue("127.0.0.1");
        address.setHelperText("An IPv4 or IPv6 address of that node; 0.0.0.0 or :: for every interface.");
        address.setValueChangeMode(ValueChangeMode.EAGER);
        address.setWidthFull();
        IntegerField port = new IntegerField("Port");
        port.setValue(NVME_TCP_PORT);
        port.setValueChangeMode(ValueChangeMode.EAGER);
        Paragraph refusal = new Paragraph();
        refusal.getStyle().set("color", "var(--lumo-error-text-color)");
        Button add = new Button("Add");
        add.addThemeVariants(ButtonVariant.PRIMARY);
        Runnable validate = () -> {
            address.setInvalid(false);
            port.setInvalid(false);
            try {
                ListenerAddress.parse(address.getValue(), port.getValue() == null ? 0 : port.getValue());
                add.setEnabled(true);
            } catch (InvalidInputException invalid) {
                if (invalid.field().equals("port")) {
                    port.setErrorMessage(invalid.getMessage());
                    port.setInvalid(true);
                } else {
                    address.setErrorMessage(invalid.getMessage());
                    address.setInvalid(true);
                }
                add.setEnabled(false);
            }
        };
        address.addValueChangeListener(change -> validate.run());
        port.addValueChangeListener(change -> validate.run());
        add.addClickListener(click -> {
            try {
                done.accept(fabric.addListenerOn(node.chosen(local), subsystem, address.getValue(), port.getValue()));
                Notices.success("Listener added.");
                dialog.close();
            } catch (NodeRequestPendingException pending) {
                Notices.success(pending.getMessage());
                dialog.close();
            } catch (InvalidInputException | ConflictException | NotFoundException | NodeUnavailableException
                    | NodeRequestFailedException refused) {
                refusal.setText(refused.getMessage());
            }
        });
        validate.run();
        VerticalLayout content = new VerticalLayout(node, address, port, refusal);
        content.setPadding(false);
        dialog.add(content);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), add);
        dialog.open();
    }
}
