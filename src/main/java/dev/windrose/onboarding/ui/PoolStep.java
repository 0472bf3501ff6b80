package dev.windrose.onboarding.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import dev.windrose.inventory.DiskId;
import dev.windrose.onboarding.OnboardingProgress;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ConflictException;
import dev.windrose.onboarding.OnboardingService;
import dev.windrose.onboarding.WizardStep;
import dev.windrose.storage.NewPool;
import dev.windrose.storage.PoolType;
import java.util.List;
import java.util.Map;

/** Step 3: a pool from the chosen disks; the type is suggested from that choice. */
final class PoolStep implements StepPanel {

    static final String NAME = "name";
    static final String TYPE = "type";
    static final String DIRECTORY = "directory";
    static final String CAPACITY = "capacityMib";

    private final OnboardingService onboarding;
    private final TextField name = new TextField("Pool name");
    private final Select<PoolType> type = new Select<>();
    private final Paragraph suggestion = new Paragraph();
    private final TextField directory = new TextField("Directory");
    private final IntegerField capacity = new IntegerField("Capacity (MiB)");
    private final Paragraph created = new Paragraph();
    private final VerticalLayout view;
    private List<DiskId> chosenDisks = List.of();
    private boolean alreadyCreated;

    PoolStep(OnboardingService onboarding) {
        this.onboarding = onboarding;
        name.setRequired(true);
        type.setLabel("Pool type");
        type.setItems(PoolType.values());
        type.setItemLabelGenerator(PoolStep::typeLabel);
        type.addValueChangeListener(change -> showTypeFields());
        suggestion.addClassName("wizard-suggestion");
        directory.setWidth("32rem");
        directory.setHelperText("An absolute path on this host; volumes become files in it (thin).");
        capacity.setMin(16);
        capacity.setHelperText("RAM set aside for volumes: their data is gone when the console restarts.");
        created.addClassName("wizard-note");
        view = new VerticalLayout(suggestion, name, type, directory, capacity, created);
        view.setPadding(false);
    }

    @Override
    public WizardStep step() {
        return WizardStep.POOL;
    }

    @Override
    public Component view() {
        return view;
    }

    @Override
    public void show(OnboardingProgress progress) {
        chosenDisks = Fields.list(progress.fieldsOf(WizardStep.DISKS).get(DisksStep.DISKS)).stream()
                .map(id -> new DiskId(Long.parseLong(id))).toList();
        PoolType suggested = chosenDisks.isEmpty() ? PoolType.DIRECTORY : PoolType.DISK;
        suggestion.setText(chosenDisks.isEmpty()
                ? "Suggested: a directory pool, because you chose no disk in step 2. Volumes become files in a "
                        + "directory of this host. A memory pool is for demos: its data is lost on restart."
                : "Suggested: a disk pool, because you chose " + chosenDisks.size() + " disk"
                        + (chosenDisks.size() == 1 ? "" : "s") + " in step 2. Volumes become ranges of those disks.");
        Map<String, String> stored = progress.fieldsOf(WizardStep.POOL);
        name.setValue(stored.containsKey(NAME) ? stored.get(NAME) : onboarding.unusedPoolName());
        type.setValue(stored.containsKey(TYPE) ? PoolType.valueOf(stored.get(TYPE)) : suggested);
        directory.setValue(stored.getOrDefault(DIRECTORY, onboarding.suggestedPoolDirectory().toString()));
        Integer mib = Fields.integer(stored.get(CAPACITY));
        capacity.setValue(mib != null ? mib : 1024);
        alreadyCreated = stored.containsKey(OnboardingService.CREATED_POOL);
        created.setVisible(alreadyCreated);
        created.setText("Pool " + name.getValue() + " is created. Change it on the Pools page; Next goes on.");
        name.setReadOnly(alreadyCreated);
        type.setReadOnly(alreadyCreated);
        directory.setReadOnly(alreadyCreated);
        capacity.setReadOnly(alreadyCreated);
        showTypeFields();
    }

    @Override
    public Map<String, String> typed() {
        return Map.of(NAME, name.getValue(), TYPE, type.getValue() == null ? "" : type.getValue().name(),
                DIRECTORY, directory.getValue(), CAPACITY, Fields.text(capacity.getValue()));
    }

    @Override
    public void next(OnboardingProgress progress) {
        if (alreadyCreated) {
            return;
        }
        PoolType chosen = type.getValue() == null ? PoolType.DIRECTORY : type.getValue();
        Integer mib = capacity.getValue();
        NewPool request = new NewPool(name.getValue(), chosen,
                chosen == PoolType.DIRECTORY ? directory.getValue() : null,
                chosen == PoolType.MEMORY ? (mib == null ? 0L : mib * Fields.MIB) : null,
                chosen == PoolType.DISK ? chosenDisks : List.of(), null);
        try {
            onboarding.createPool(request, typed());
        } catch (ConflictException taken) {
            // A taken name is this step's problem: said at the name field, not after it.
            throw new InvalidInputException(NAME, taken.getMessage());
        }
    }

    @Override
    public boolean markInvalid(String field, String message) {
        switch (field) {
            case NAME -> Fields.mark(name, message);
            case DIRECTORY -> Fields.mark(directory, message);
            case "capacityBytes" -> Fields.mark(capacity, message);
            case TYPE, "diskIds" -> Fields.mark(type, message);
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public void clearInvalid() {
        Fields.unmark(name, type, directory, capacity);
    }

    private void showTypeFields() {
        directory.setVisible(type.getValue() == PoolType.DIRECTORY);
        capacity.setVisible(type.getValue() == PoolType.MEMORY);
    }

    private static String typeLabel(PoolType type) {
        return switch (type) {
            case DISK -> "Disk pool (the chosen disks)";
            case DIRECTORY -> "Directory pool (files in a directory)";
            case MEMORY -> "Memory pool (RAM, for demos: lost on restart)";
        };
    }
}
