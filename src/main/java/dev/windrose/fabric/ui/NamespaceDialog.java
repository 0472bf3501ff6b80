package dev.windrose.fabric.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.Notices;
import dev.windrose.dataplane.NamespaceSpec;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.SubsystemId;
import dev.windrose.fabric.SubsystemInfo;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.data.domain.PageRequest;

/**
 * Attaches a free volume as a namespace. Every free volume is offered; one the dataplane cannot serve
 * (a disk-pool volume spread over several extents) is refused with the reason in the dialog.
 */
final class NamespaceDialog {

    private NamespaceDialog() {
    }

    static void open(FabricService fabric, VolumeService volumes, SubsystemId subsystem, Consumer<SubsystemInfo> done) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Attach volume");
        List<VolumeInfo> free = volumes.list(null, null, null, PageRequest.of(0, 500)).getContent().stream()
                .filter(volume -> volume.attachedSubsystem() == null).toList();
        Select<VolumeInfo> volume = new Select<>();
        volume.setLabel("Volume");
        volume.setItems(free);
        volume.setItemLabelGenerator(v -> v.name() + " (" + v.poolName() + ")");
        volume.setWidthFull();
        IntegerField nsid = new IntegerField("NSID (optional)");
        nsid.setHelperText("1 to " + NamespaceSpec.MAX_NSID + "; the lowest free one when empty.");
        nsid.setMin(1);
        nsid.setMax(NamespaceSpec.MAX_NSID);
        nsid.setValueChangeMode(ValueChangeMode.EAGER);
        Paragraph refusal = new Paragraph(free.isEmpty()
                ? "No free volume: create one on the Volumes page." : "");
        refusal.getStyle().set("color", "var(--lumo-error-text-color)");
        Button attach = new Button("Attach");
        attach.addThemeVariants(ButtonVariant.PRIMARY);
        Runnable validate = () -> {
            Integer value = nsid.getValue();
            boolean nsidOk = value == null || (value >= 1 && value <= NamespaceSpec.MAX_NSID);
            nsid.setInvalid(!nsidOk);
            nsid.setErrorMessage("An NSID is 1 to " + NamespaceSpec.MAX_NSID + ".");
            attach.setEnabled(nsidOk && volume.getValue() != null);
        };
        volume.addValueChangeListener(change -> validate.run());
        nsid.addValueChangeListener(change -> validate.run());
        attach.addClickListener(click -> {
            try {
                done.accept(fabric.addNamespace(subsystem, volume.getValue().id(), nsid.getValue()));
                Notices.success("Volume " + volume.getValue().name() + " attached.");
                dialog.close();
            } catch (InvalidInputException | ConflictException refused) {
                refusal.setText(refused.getMessage());
            }
        });
        if (!free.isEmpty()) {
            volume.setValue(free.getFirst());
        }
        validate.run();
        VerticalLayout content = new VerticalLayout(volume, nsid, refusal);
        content.setPadding(false);
        dialog.add(content);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), attach);
        dialog.open();
    }
}
