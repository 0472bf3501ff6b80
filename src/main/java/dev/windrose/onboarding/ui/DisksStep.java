package dev.windrose.onboarding.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.checkbox.CheckboxGroupVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.Notices;
import dev.windrose.common.ui.Sizes;
import dev.windrose.inventory.DiskFilter;
import dev.windrose.inventory.DiskInfo;
import dev.windrose.inventory.DiskKind;
import dev.windrose.inventory.DiskService;
import dev.windrose.inventory.HostService;
import dev.windrose.inventory.NewLabDisk;
import dev.windrose.onboarding.OnboardingProgress;
import dev.windrose.onboarding.OnboardingService;
import dev.windrose.onboarding.WizardStep;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.data.domain.PageRequest;

/**
 * Step 2: the disks for the pool. Eligible disks can be chosen; disks the system or a pool uses are
 * shown greyed out with the reason. A host without a spare disk gets a lab disk, said to be for trials.
 */
final class DisksStep implements StepPanel {

    static final String DISKS = "diskIds";
    static final String LAB_NAME = "labName";
    static final String LAB_SIZE = "labSizeMib";

    private final OnboardingService onboarding;
    private final DiskService disks;
    private final HostService hosts;
    private final CheckboxGroup<DiskInfo> choice = new CheckboxGroup<>("Disks of this host");
    private final TextField labName = new TextField("Lab disk name");
    private final IntegerField labSize = new IntegerField("Lab disk size (MiB)");
    private final Button createLab = new Button("Create lab disk", VaadinIcon.PLUS.create(), click -> createLabDisk());
    private final Paragraph locked = new Paragraph();
    private final VerticalLayout view;
    private boolean poolCreated;

    DisksStep(OnboardingService onboarding, DiskService disks, HostService hosts) {
        this.onboarding = onboarding;
        this.disks = disks;
        this.hosts = hosts;
        choice.addThemeVariants(CheckboxGroupVariant.LUMO_VERTICAL);
        choice.setItemLabelGenerator(DisksStep::label);
        choice.setItemEnabledProvider(DiskInfo::eligible);
        choice.setHelperText("Whole disks go into a disk pool and are wiped. Choose none to put the pool in a "
                + "directory or in memory in the next step.");
        // Any whole MiB from the minimum is valid: a step would make the browser mark sizes between steps
        // invalid (counted from the minimum, 1024 itself) and step to odd values.
        labSize.setMin((int) (DiskService.MIN_LAB_DISK_BYTES / Fields.MIB));
        HorizontalLayout lab = new HorizontalLayout(labName, labSize, createLab);
        lab.setAlignItems(FlexComponent.Alignment.BASELINE);
        locked.addClassName("wizard-note");
        locked.setVisible(false);
        view = new VerticalLayout(choice, locked, new H3("No spare disk?"),
                new Paragraph("Create a lab disk: a file on this host's filesystem that Windrose uses like a disk. "
                        + "Lab disks are for trials only — they are as safe as the filesystem holding them, and "
                        + "slower than a real disk."), lab);
        view.setPadding(false);
    }

    @Override
    public WizardStep step() {
        return WizardStep.DISKS;
    }

    @Override
    public Component view() {
        return view;
    }

    @Override
    public void show(OnboardingProgress progress) {
        Map<String, String> stored = progress.fieldsOf(WizardStep.DISKS);
        labName.setValue(stored.getOrDefault(LAB_NAME, "lab1"));
        Integer size = Fields.integer(stored.get(LAB_SIZE));
        labSize.setValue(size != null ? size : 1024);
        poolCreated = progress.field(WizardStep.POOL, OnboardingService.CREATED_POOL).isPresent();
        reload(Set.copyOf(Fields.list(stored.get(DISKS))));
    }

    @Override
    public Map<String, String> typed() {
        return Map.of(DISKS, Fields.join(chosenIds()), LAB_NAME, labName.getValue(), LAB_SIZE, Fields.text(labSize.getValue()));
    }

    @Override
    public void next(OnboardingProgress progress) {
        if (poolCreated) {
            return;
        }
        for (DiskInfo disk : choice.getValue()) {
            // The disk may have been taken since the list was shown: say so now, not at the pool step.
            String reason = disks.get(disk.id()).ineligibleReason();
            if (reason != null) {
                throw new ConflictException("Disk " + disk.name() + " cannot be used: " + reason);
            }
        }
    }

    @Override
    public boolean markInvalid(String field, String message) {
        switch (field) {
            case "name" -> Fields.mark(labName, message);
            case "sizeBytes" -> Fields.mark(labSize, message);
            case DISKS -> Fields.mark(choice, message);
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public void clearInvalid() {
        Fields.unmark(labName, labSize, choice);
    }

    private void createLabDisk() {
        clearInvalid();
        Integer mib = labSize.getValue();
        try {
            DiskInfo created = onboarding.createLabDisk(new NewLabDisk(labName.getValue(),
                    mib == null ? 0 : mib * Fields.MIB, null));
            Set<String> keep = new HashSet<>(chosenIds());
            keep.add(String.valueOf(created.id().value()));
            reload(keep);
            labName.setValue(nextLabName(labName.getValue()));
            Notices.success("Lab disk " + created.name() + " created (" + Sizes.bytes(created.sizeBytes())
                    + ") and chosen.");
        } catch (InvalidInputException refused) {
            if (!markInvalid(refused.field(), refused.getMessage())) {
                Notices.error(refused.getMessage());
            }
        } catch (ConflictException refused) {
            Fields.mark(labName, refused.getMessage());
        }
    }

    private void reload(Set<String> chosen) {
        List<DiskInfo> local = disks.list(new DiskFilter(hosts.local().id(), null, null, null, false),
                PageRequest.of(0, 500)).getContent();
        choice.setItems(local);
        choice.setValue(local.stream().filter(d -> chosen.contains(String.valueOf(d.id().value())))
                .collect(Collectors.toSet()));
        choice.setReadOnly(poolCreated);
        createLab.setEnabled(!poolCreated);
        locked.setVisible(poolCreated);
        locked.setText("The pool is already created from this choice; change disks on the Pools page.");
        if (local.isEmpty()) {
            choice.setHelperText("This host shows no disk. Create a lab disk below, or choose none for a directory "
                    + "or memory pool.");
        }
    }

    private List<String> chosenIds() {
        return choice.getValue().stream().map(d -> String.valueOf(d.id().value())).sorted().toList();
    }

    private static String nextLabName(String name) {
        java.util.regex.Matcher numbered = java.util.regex.Pattern.compile("(.*?)(\\d+)").matcher(name);
        return numbered.matches() ? numbered.group(1) + (Integer.parseInt(numbered.group(2)) + 1) : name + "2";
    }

    private static String label(DiskInfo disk) {
        StringBuilder text = new StringBuilder(disk.name()).append(" · ").append(Sizes.bytes(disk.sizeBytes()));
        if (disk.model() != null && !disk.model().isBlank()) {
            text.append(" · ").append(disk.model());
        }
        text.append(" · ").append(disk.kind() == DiskKind.LAB ? "lab disk (for trials)" : disk.devicePath());
        String reason = disk.ineligibleReason();
        if (reason != null) {
            text.append(" — ").append(reason);
        }
        return text.toString();
    }
}
