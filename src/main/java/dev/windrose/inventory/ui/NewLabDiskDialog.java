package dev.windrose.inventory.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.Notices;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskService;
import dev.windrose.inventory.NewLabDisk;
import java.util.function.Consumer;

/** Creates a file-backed lab disk; the fields say what is wrong while typing, the service has the last word. */
class NewLabDiskDialog extends Dialog {

    private static final long MIB = DiskService.MIB;

    private final DiskService disks;
    private final Consumer<DiskInfo> onCreated;
    private final TextField name = new TextField("Name");
    private final IntegerField size = new IntegerField("Size");
    private final Select<String> unit = new Select<>();
    private final TextField directory = new TextField("Directory");
    private final Paragraph refusal = new Paragraph();
    private final Button create = new Button("Create lab disk");

    NewLabDiskDialog(DiskService disks, Consumer<DiskInfo> onCreated) {
        this.disks = disks;
        this.onCreated = onCreated;
        setHeaderTitle("New lab disk");
        setWidth("32rem");
        Paragraph about = new Paragraph("A lab disk is a sparse file used as a disk, for labs and demos. It is "
                + "marked as a lab disk everywhere; its data is only as safe as the filesystem it lives on.");
        name.setValueChangeMode(ValueChangeMode.EAGER);
        name.setRequired(true);
        name.setWidthFull();
        name.addValueChangeListener(change -> validate());
        size.setMin(1);
        size.setValue(1);
        size.setValueChangeMode(ValueChangeMode.EAGER);
        size.addValueChangeListener(change -> validate());
        unit.setAriaLabel("Size unit");
        unit.setItems("MiB", "GiB", "TiB");
        unit.setValue("GiB");
        unit.addValueChangeListener(change -> validate());
        directory.setPlaceholder(disks.defaultLabDirectory().toString());
        directory.setHelperText("Empty: " + disks.defaultLabDirectory());
        directory.setWidthFull();
        HorizontalLayout sizeRow = new HorizontalLayout(size, unit);
        sizeRow.setAlignItems(FlexComponent.Alignment.BASELINE);
        refusal.getStyle().set("color", "var(--lumo-error-text-color)");
        VerticalLayout content = new VerticalLayout(about, name, sizeRow, directory, refusal);
        content.setPadding(false);
        add(content);
        create.addThemeVariants(ButtonVariant.PRIMARY);
        create.addClickListener(click -> create());
        getFooter().add(new Button("Cancel", click -> close()), create);
        validate();
    }

    private long sizeBytes() {
        Integer value = size.getValue();
        long multiplier = switch (unit.getValue()) {
            case "TiB" -> 1024 * 1024 * MIB;
            case "GiB" -> 1024 * MIB;
            default -> MIB;
        };
        return value == null ? 0 : value * multiplier;
    }

    private boolean validate() {
        boolean nameOk = DiskService.NAME.matcher(name.getValue().strip()).matches();
        name.setInvalid(!name.getValue().isEmpty() && !nameOk);
        name.setErrorMessage("Lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");
        long bytes = sizeBytes();
        boolean sizeOk = bytes >= DiskService.MIN_LAB_DISK_BYTES && bytes <= DiskService.MAX_LAB_DISK_BYTES;
        size.setInvalid(!sizeOk);
        size.setErrorMessage("From 64 MiB to 16 TiB.");
        create.setEnabled(nameOk && sizeOk);
        return nameOk && sizeOk;
    }

    private void create() {
        if (!validate()) {
            return;
        }
        refusal.setText("");
        try {
            DiskInfo created = disks.createLabDisk(new NewLabDisk(name.getValue(), sizeBytes(), directory.getValue()));
            Notices.success("Lab disk " + created.name() + " created at " + created.devicePath() + ".");
            onCreated.accept(created);
            close();
        } catch (InvalidInputException invalid) {
            switch (invalid.field()) {
                case "name" -> markInvalid(name, invalid.getMessage());
                case "directory" -> markInvalid(directory, invalid.getMessage());
                default -> refusal.setText(invalid.getMessage());
            }
        } catch (ConflictException conflict) {
            refusal.setText(conflict.getMessage());
        }
    }

    private static void markInvalid(TextField field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
    }
}
