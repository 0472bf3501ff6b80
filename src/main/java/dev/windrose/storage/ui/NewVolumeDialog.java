package dev.windrose.storage.ui;

import dev.windrose.cluster.NodeRequestFailedException;
import dev.windrose.cluster.NodeRequestPendingException;
import dev.windrose.cluster.NodeUnavailableException;
import dev.windrose.storage.StorageOnNodes;
import dev.windrose.common.NotFoundException;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.Notices;
import dev.windrose.common.ui.Sizes;
import dev.windrose.storage.NewVolume;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import dev.windrose.storage.Provisioning;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.data.domain.PageRequest;

/** Creates a volume: the free room of the chosen pool is shown, and refusals are explained. */
class NewVolumeDialog extends Dialog {

    private static final long DEFAULT_SIZE = 1024 * VolumeService.SIZE_UNIT;

    private final VolumeService volumes;
    private final StorageOnNodes storage;
    private final Consumer<VolumeInfo> onCreated;
    private final TextField name = new TextField("Name");
    private final Select<PoolInfo> pool = new Select<>();
    private final SizeField size = new SizeField("Size", 1, "GiB");
    private final RadioButtonGroup<Provisioning> provisioning = new RadioButtonGroup<>("Provisioning");
    private final Paragraph room = new Paragraph();
    private final Paragraph refusal = new Paragraph();
    private final Button create = new Button("Create volume");

    NewVolumeDialog(VolumeService volumes, PoolService pools, StorageOnNodes storage, Consumer<VolumeInfo> onCreated) {
        this.volumes = volumes;
        this.storage = storage;
        this.onCreated = onCreated;
        setHeaderTitle("New volume");
        setWidth("32rem");
        name.setRequired(true);
        name.setWidthFull();
        name.setValueChangeMode(ValueChangeMode.EAGER);
        name.addValueChangeListener(change -> validate());
        List<PoolInfo> all = pools.list(null, null, PageRequest.of(0, 500)).getContent();
        pool.setLabel("Pool");
        pool.setItems(all);
        pool.setItemLabelGenerator(PoolInfo::name);
        pool.setEmptySelectionAllowed(false);
        pool.setWidthFull();
        pool.addValueChangeListener(change -> poolChosen());
        size.addValueChangeListener(change -> validate());
        provisioning.setItems(Provisioning.THIN, Provisioning.THICK);
        provisioning.setItemLabelGenerator(p -> p == Provisioning.THIN ? "Thin (space taken as written)"
                : "Thick (space reserved now)");
        provisioning.addValueChangeListener(change -> validate());
        refusal.getStyle().set("color", "var(--lumo-error-text-color)");
        VerticalLayout content = new VerticalLayout(name, pool, room, size, provisioning, refusal);
        content.setPadding(false);
        add(content);
        create.addThemeVariants(ButtonVariant.PRIMARY);
        create.addClickListener(click -> create());
        getFooter().add(new Button("Cancel", click -> close()), create);
        if (all.isEmpty()) {
            refusal.setText("There is no pool yet: create one on the Pools page first.");
        } else {
            pool.setValue(all.getFirst());
        }
        validate();
    }

    private void poolChosen() {
        PoolInfo chosen = pool.getValue();
        if (chosen == null) {
            return;
        }
        provisioning.setValue(chosen.type().defaultProvisioning());
        provisioning.setEnabled(chosen.type() == PoolType.DIRECTORY);
        long left = room(chosen);
        room.setText(Sizes.bytes(left) + " left to allocate in " + chosen.name()
                + (chosen.dataIsVolatile() ? " (RAM: the data vanishes when Windrose restarts)" : "") + ".");
        // Start at what fits: a GiB, or all that is left when that is less.
        if (left >= VolumeService.SIZE_UNIT) {
            size.setValue(Math.min(DEFAULT_SIZE, left / VolumeService.SIZE_UNIT * VolumeService.SIZE_UNIT));
        }
        validate();
    }

    private static long room(PoolInfo pool) {
        return Math.max(0, pool.allocationLimitBytes() - pool.allocatedBytes());
    }

    /** Marks what is wrong in words; the name is judged once typed (or on Create), so a new dialog is calm. */
    private boolean validate() {
        return validate(false);
    }

    private boolean validate(boolean creating) {
        String typed = name.getValue().strip();
        boolean nameOk = PoolService.NAME.matcher(typed).matches();
        name.setInvalid((creating || !name.getValue().isEmpty()) && !nameOk);
        name.setErrorMessage(typed.isEmpty() ? "Give the volume a name."
                : "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        PoolInfo chosen = pool.getValue();
        Long bytes = size.getValue();
        String sizeProblem = bytes == null || bytes < VolumeService.SIZE_UNIT ? "At least 1 MiB."
                : chosen != null && bytes > room(chosen) ? "Only " + Sizes.bytes(room(chosen)) + " left in "
                        + chosen.name() + "." : null;
        size.setInvalid(sizeProblem != null);
        size.setErrorMessage(sizeProblem);
        boolean ok = nameOk && chosen != null && sizeProblem == null;
        // Create stays enabled for a missing name (it then says so); a size that cannot fit disables it.
        create.setEnabled(chosen != null && sizeProblem == null);
        return ok;
    }

    private void create() {
        if (!validate(true)) {
            return;
        }
        refusal.setText("");
        try {
            VolumeInfo created = storage.createVolume(new NewVolume(name.getValue(), pool.getValue().id(), size.getValue(),
                    provisioning.getValue()));
            Notices.success("Volume " + created.name() + " created in pool " + created.poolName() + ".");
            onCreated.accept(created);
            close();
        } catch (InvalidInputException invalid) {
            if (invalid.field().equals("name")) {
                name.setErrorMessage(invalid.getMessage());
                name.setInvalid(true);
            } else {
                refusal.setText(invalid.getMessage());
            }
        } catch (NodeRequestPendingException pending) {
            Notices.success(pending.getMessage());
            close();
        } catch (ConflictException | NotFoundException | NodeUnavailableException | NodeRequestFailedException refused) {
            refusal.setText(refused.getMessage());
        }
    }
}
