package dev.windrose.onboarding.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Sizes;
import dev.windrose.onboarding.OnboardingProgress;
import dev.windrose.common.ConflictException;
import dev.windrose.onboarding.OnboardingService;
import dev.windrose.onboarding.WizardStep;
import dev.windrose.storage.NewVolume;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Step 4: the first volume(s) in the new pool; several get numbered names. */
final class VolumesStep implements StepPanel {

    static final String NAME = "name";
    static final String SIZE = "sizeMib";
    static final String COUNT = "count";
    static final int MAX_COUNT = 16;
    private static final int DEFAULT_MIB = 1024;

    private final OnboardingService onboarding;
    private final PoolService pools;
    private final Paragraph pool = new Paragraph();
    private final TextField name = new TextField("Volume name");
    private final IntegerField size = new IntegerField("Size (MiB)");
    private final IntegerField count = new IntegerField("How many volumes");
    private final Paragraph created = new Paragraph();
    private final VerticalLayout view;
    private @Nullable PoolId poolId;
    private boolean alreadyCreated;

    VolumesStep(OnboardingService onboarding, PoolService pools) {
        this.onboarding = onboarding;
        this.pools = pools;
        name.setRequired(true);
        // Any whole MiB is valid (the pool's room often is not a multiple of anything): no browser step.
        size.setMin(1);
        count.setMin(1);
        count.setMax(MAX_COUNT);
        count.setStepButtonsVisible(true);
        count.setHelperText("Several volumes are named " + "vol-1, vol-2, … after the name above.");
        created.addClassName("wizard-note");
        view = new VerticalLayout(pool, name, size, count, created);
        view.setPadding(false);
    }

    @Override
    public WizardStep step() {
        return WizardStep.VOLUMES;
    }

    @Override
    public Component view() {
        return view;
    }

    @Override
    public void show(OnboardingProgress progress) {
        poolId = progress.field(WizardStep.POOL, OnboardingService.CREATED_POOL).map(Long::parseLong).map(PoolId::new)
                .orElse(null);
        long free = describePool();
        Map<String, String> stored = progress.fieldsOf(WizardStep.VOLUMES);
        name.setValue(stored.containsKey(NAME) ? stored.get(NAME) : onboarding.unusedVolumeName());
        Integer mib = Fields.integer(stored.get(SIZE));
        size.setValue(mib != null ? mib : (int) Math.max(1, Math.min(DEFAULT_MIB, free / Fields.MIB)));
        Integer many = Fields.integer(stored.get(COUNT));
        count.setValue(many != null ? many : 1);
        alreadyCreated = stored.containsKey(OnboardingService.CREATED_VOLUMES);
        created.setVisible(alreadyCreated);
        created.setText("The volume(s) are created. Change them on the Volumes page; Next goes on.");
        name.setReadOnly(alreadyCreated);
        size.setReadOnly(alreadyCreated);
        count.setReadOnly(alreadyCreated);
    }

    @Override
    public Map<String, String> typed() {
        return Map.of(NAME, name.getValue(), SIZE, Fields.text(size.getValue()), COUNT, Fields.text(count.getValue()));
    }

    @Override
    public void next(OnboardingProgress progress) {
        if (alreadyCreated) {
            return;
        }
        if (poolId == null) {
            throw new InvalidInputException(NAME, "There is no pool yet: go back to step 3 and create it.");
        }
        Integer mib = size.getValue();
        if (mib == null || mib < 1) {
            throw new InvalidInputException("sizeBytes", "Give a size of at least 1 MiB.");
        }
        Integer many = count.getValue();
        if (many == null || many < 1 || many > MAX_COUNT) {
            throw new InvalidInputException(COUNT, "Create 1 to " + MAX_COUNT + " volumes here; more on the Volumes page.");
        }
        List<NewVolume> requests = new ArrayList<>();
        for (int i = 1; i <= many; i++) {
            String volume = many == 1 ? name.getValue().strip() : name.getValue().strip() + "-" + i;
            requests.add(new NewVolume(volume, poolId, mib * Fields.MIB, null));
        }
        try {
            onboarding.createVolumes(requests, typed());
        } catch (ConflictException taken) {
            throw new InvalidInputException(NAME, taken.getMessage());
        }
    }

    @Override
    public boolean markInvalid(String field, String message) {
        switch (field) {
            case NAME -> Fields.mark(name, message);
            case "sizeBytes" -> Fields.mark(size, message);
            case COUNT -> Fields.mark(count, message);
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public void clearInvalid() {
        Fields.unmark(name, size, count);
    }

    /** Says which pool the volumes go to and how much it can still give; returns that amount. */
    private long describePool() {
        if (poolId == null) {
            pool.setText("No pool was created in step 3.");
            return 0;
        }
        try {
            PoolInfo info = pools.get(poolId);
            long free = Math.max(0, info.allocationLimitBytes() - info.allocatedBytes());
            pool.setText("Pool " + info.name() + " (" + info.type().name().toLowerCase(java.util.Locale.ROOT)
                    + "): " + Sizes.bytes(free) + " can still be allocated.");
            return free;
        } catch (NotFoundException gone) {
            pool.setText("The pool created in step 3 was deleted since: go back and create another.");
            return 0;
        }
    }
}
