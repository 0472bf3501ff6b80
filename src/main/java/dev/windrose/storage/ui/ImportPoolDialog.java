package dev.windrose.storage.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.storage.ImportablePool;
import dev.windrose.storage.PoolImportService;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import java.util.function.Consumer;

/** Imports a pool found on the disks, under its own name or a new one; a refusal is shown in the dialog. */
class ImportPoolDialog extends Dialog {

    private final TextField name = new TextField("Name in this console");
    private final Paragraph refusal = new Paragraph();
    private final Button importButton = new Button("Import pool");

    ImportPoolDialog(PoolImportService imports, ImportablePool found, Consumer<PoolInfo> onImported) {
        setHeaderTitle("Import pool " + found.name());
        setWidth("34rem");
        Paragraph what = new Paragraph("The pool and its " + found.volumes().size() + " volume(s) come back from the "
                + "labels on " + String.join(", ", found.members().stream().map(ImportablePool.FoundMember::diskName)
                        .toList()) + ", with the same extents and UUIDs. Its disks then belong to it.");
        name.setValue(found.name());
        name.setWidthFull();
        name.setValueChangeMode(ValueChangeMode.EAGER);
        name.addValueChangeListener(change -> validate());
        refusal.getStyle().set("color", "var(--lumo-error-text-color)");
        add(new VerticalLayout(what, name, refusal));
        importButton.addThemeVariants(ButtonVariant.PRIMARY);
        importButton.addClickListener(click -> {
            try {
                PoolInfo pool = imports.importPool(found.poolUuid(), name.getValue().strip());
                Notices.success("Pool " + pool.name() + " imported with " + pool.volumeCount() + " volume(s).");
                close();
                onImported.accept(pool);
            } catch (InvalidInputException | ConflictException | NotFoundException refused) {
                refusal.setText(refused.getMessage());
            }
        });
        getFooter().add(new Button("Cancel", click -> close()), importButton);
    }

    private void validate() {
        boolean valid = PoolService.NAME.matcher(name.getValue().strip()).matches();
        name.setInvalid(!valid);
        name.setErrorMessage(valid ? null : "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        importButton.setEnabled(valid);
        refusal.setText("");
    }
}
