package dev.windrose.storage.ui;

import dev.windrose.cluster.NodeRequestFailedException;
import dev.windrose.cluster.NodeRequestPendingException;
import dev.windrose.cluster.NodeUnavailableException;
import dev.windrose.storage.StorageOnNodes;
import dev.windrose.cluster.ClusterService;
import dev.windrose.cluster.ui.NodeChoice;
import dev.windrose.inventory.HostId;
import dev.windrose.common.NotFoundException;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.checkbox.CheckboxGroupVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.Notices;
import dev.windrose.common.ui.Sizes;
import dev.windrose.inventory.DiskFilter;
import dev.windrose.inventory.DiskId;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskService;
import dev.windrose.storage.NewPool;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.data.domain.PageRequest;

/**
 * Creates a pool. Disks a pool may not take (system disks, mounted, LVM, other pools) are listed with the
 * reason and cannot be selected.
 */
class NewPoolDialog extends Dialog {

    private final StorageOnNodes storage;
    private final HostId local;
    private final NodeChoice node;
    private List<DiskInfo> presentDisks = List.of();
    private final Consumer<PoolInfo> onCreated;
    private final TextField name = new TextField("Name");
    private final RadioButtonGroup<PoolType> type = new RadioButtonGroup<>("Type");
    private final TextField directory = new TextField("Directory");
    private final IntegerField overcommit = new IntegerField("Overcommit limit (%)");
    private final SizeField capacity = new SizeField("Capacity", 1, "GiB");
    private final Paragraph memoryNote = new Paragraph("A memory pool keeps volumes in RAM: fast, for demos and "
            + "benchmarks, and its data vanishes when Windrose restarts.");
    private final CheckboxGroup<DiskInfo> diskChoice = new CheckboxGroup<>("Disks");
    private final com.vaadin.flow.component.checkbox.Checkbox overwrite = new com.vaadin.flow.component.checkbox.Checkbox(
            "Take disks that carry the label of a pool this console does not know (that pool's data is lost)");
    private final Paragraph refusal = new Paragraph();
    private final Button create = new Button("Create pool");

    NewPoolDialog(StorageOnNodes storage, ClusterService cluster, HostId local, DiskService disks,
            Consumer<PoolInfo> onCreated) {
        this.storage = storage;
        this.local = local;
        this.node = new NodeChoice(cluster, "The pool is made there, of that node's disks, directory or RAM.");
        node.setWidthFull();
        this.onCreated = onCreated;
        setHeaderTitle("New pool");
        setWidth("48rem");
        name.setRequired(true);
        name.setWidthFull();
        name.setValueChangeMode(ValueChangeMode.EAGER);
        name.addValueChangeListener(change -> validate());
        type.setItems(PoolType.DISK, PoolType.DIRECTORY, PoolType.MEMORY);
        type.setItemLabelGenerator(t -> switch (t) {
            case DISK -> "Disks (thick)";
            case DIRECTORY -> "Directory (thin)";
            case MEMORY -> "Memory (RAM)";
        });
        type.setValue(PoolType.DISK);
        type.addValueChangeListener(change -> showFieldsForType());
        directory.setPlaceholder("/srv/windrose");
        directory.setWidthFull();
        directory.setValueChangeMode(ValueChangeMode.EAGER);
        directory.addValueChangeListener(change -> validate());
        overcommit.setMin(100);
        overcommit.setMax(PoolService.MAX_OVERCOMMIT_PERCENT);
        overcommit.setValue(100);
        overcommit.setHelperText("100% allocates no more than the filesystem holds; more lets thin volumes overcommit.");
        overcommit.addValueChangeListener(change -> validate());
        capacity.addValueChangeListener(change -> validate());
        configureDiskChoice(disks);
        refusal.getStyle().set("color", "var(--lumo-error-text-color)");
        node.addValueChangeListener(change -> showDisksOfNode());
        VerticalLayout content = new VerticalLayout(node, name, type, diskChoice, overwrite, directory, overcommit, capacity,
                memoryNote, refusal);
        content.setPadding(false);
        add(content);
        create.addThemeVariants(ButtonVariant.PRIMARY);
        create.addClickListener(click -> create());
        getFooter().add(new Button("Cancel", click -> close()), create);
        showFieldsForType();
    }

    /** Every present disk is listed; those a pool may not take are disabled, and their label says why. */
    private void configureDiskChoice(DiskService disks) {
        diskChoice.addThemeVariants(CheckboxGroupVariant.LUMO_VERTICAL);
        diskChoice.setItemLabelGenerator(NewPoolDialog::diskLabel);
        diskChoice.setItemEnabledProvider(DiskInfo::eligible);
        presentDisks = disks.list(DiskFilter.all(), PageRequest.of(0, 500)).getContent().stream()
                .filter(DiskInfo::present).toList();
        showDisksOfNode();
        diskChoice.addValueChangeListener(selection -> validate());
    }

    /** A pool takes disks of its own node only. */
    private void showDisksOfNode() {
        HostId chosen = node.chosen(local);
        List<DiskInfo> ofNode = presentDisks.stream().filter(disk -> disk.hostId().equals(chosen)).toList();
        diskChoice.setItems(ofNode);
        diskChoice.setHelperText(ofNode.stream().anyMatch(DiskInfo::eligible) ? "Whole disks; their contents are lost."
                : "No disk is free: create a lab disk on the Disks page for a demo.");
    }

    private static String diskLabel(DiskInfo disk) {
        String kind = disk.kind().name().equals("LAB") ? "lab disk" : disk.transport().name().toLowerCase();
        String state = disk.eligible() ? "free" : String.valueOf(disk.ineligibleReason());
        return disk.name() + " · " + Sizes.bytes(disk.sizeBytes()) + " · " + kind + " — " + state;
    }

    private void showFieldsForType() {
        PoolType chosen = type.getValue();
        diskChoice.setVisible(chosen == PoolType.DISK);
        overwrite.setVisible(chosen == PoolType.DISK);
        directory.setVisible(chosen == PoolType.DIRECTORY);
        overcommit.setVisible(chosen == PoolType.DIRECTORY);
        capacity.setVisible(chosen == PoolType.MEMORY);
        memoryNote.setVisible(chosen == PoolType.MEMORY);
        validate();
    }

    private boolean validate() {
        boolean nameOk = PoolService.NAME.matcher(name.getValue().strip()).matches();
        name.setInvalid(!name.getValue().isEmpty() && !nameOk);
        name.setErrorMessage("1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        boolean typeOk = switch (type.getValue()) {
            case DISK -> !diskChoice.getValue().isEmpty();
            case DIRECTORY -> directory.getValue().strip().startsWith("/") && overcommit.getValue() != null
                    && overcommit.getValue() >= 100 && overcommit.getValue() <= PoolService.MAX_OVERCOMMIT_PERCENT;
            case MEMORY -> capacity.getValue() != null && capacity.getValue() >= PoolService.MIN_MEMORY_POOL_BYTES;
        };
        directory.setInvalid(!directory.getValue().isEmpty() && !directory.getValue().strip().startsWith("/"));
        directory.setErrorMessage("An absolute directory, e.g. /srv/windrose.");
        create.setEnabled(nameOk && typeOk);
        return nameOk && typeOk;
    }

    private void create() {
        if (!validate()) {
            return;
        }
        refusal.setText("");
        PoolType chosen = type.getValue();
        List<DiskId> disks = chosen == PoolType.DISK ? diskChoice.getValue().stream().map(DiskInfo::id).toList()
                : List.of();
        NewPool request = new NewPool(name.getValue(), chosen, chosen == PoolType.DIRECTORY ? directory.getValue() : null,
                chosen == PoolType.MEMORY ? capacity.getValue() : null, disks,
                chosen == PoolType.DIRECTORY ? overcommit.getValue() : null, chosen == PoolType.DISK && overwrite.getValue());
        try {
            PoolInfo created = storage.createPool(node.chosen(local), request);
            Notices.success("Pool " + created.name() + " created with " + Sizes.bytes(created.capacityBytes()) + ".");
            onCreated.accept(created);
            close();
        } catch (InvalidInputException invalid) {
            switch (invalid.field()) {
                case "name" -> {
                    name.setErrorMessage(invalid.getMessage());
                    name.setInvalid(true);
                }
                case "directory" -> {
                    directory.setErrorMessage(invalid.getMessage());
                    directory.setInvalid(true);
                }
                default -> refusal.setText(invalid.getMessage());
            }
        } catch (NodeRequestPendingException pending) {
            Notices.success(pending.getMessage());
            close();
        } catch (ConflictException | NotFoundException | NodeUnavailableException | NodeRequestFailedException refused) {
            refusal.setText(refused.getMessage());
        }
    }
}
