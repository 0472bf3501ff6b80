package dev.windrose.onboarding.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.windrose.common.InvalidInputException;
import dev.windrose.fabric.Nqn;
import dev.windrose.onboarding.OnboardingProgress;
import dev.windrose.onboarding.OnboardingService;
import dev.windrose.onboarding.SubsystemPlan;
import dev.windrose.onboarding.WizardStep;
import dev.windrose.storage.VolumeId;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Step 5: a subsystem exporting the new volumes, listening on the addresses of step 1, and the host
 * allowed to connect, by NQN, or, for a trial, any host (with a warning that stays in view).
 */
final class SubsystemStep implements StepPanel {

    static final String NQN = "nqn";
    static final String HOST_NQN = "hostNqn";
    static final String ANY_HOST = "allowAnyHost";

    private final OnboardingService onboarding;
    private final TextField nqn = new TextField("Subsystem NQN");
    private final TextField hostNqn = new TextField("Host NQN of the first host");
    private final Checkbox anyHost = new Checkbox("Allow any host to connect (for a trial)");
    private final HorizontalLayout anyHostWarning;
    private final Paragraph summary = new Paragraph();
    private final Paragraph created = new Paragraph();
    private final VerticalLayout view;
    private boolean alreadyCreated;

    SubsystemStep(OnboardingService onboarding) {
        this.onboarding = onboarding;
        nqn.setWidth("36rem");
        nqn.setRequired(true);
        nqn.setHelperText("The name initiators connect to: nqn.yyyy-mm.reverse.domain:name.");
        nqn.setValueChangeMode(ValueChangeMode.EAGER);
        nqn.addValueChangeListener(change -> check(nqn, "nqn", change.isFromClient()));
        hostNqn.setWidth("36rem");
        hostNqn.setHelperText("On Linux it is in /etc/nvme/hostnqn (cat /etc/nvme/hostnqn, or nvme show-hostnqn); "
                + "on ESXi: esxcli nvme info get.");
        hostNqn.setValueChangeMode(ValueChangeMode.EAGER);
        hostNqn.addValueChangeListener(change -> check(hostNqn, "hostNqn", change.isFromClient()));
        Paragraph warning = new Paragraph("Any host that can reach the listener may read and write these volumes. "
                + "Use this for a trial only; allow hosts by NQN later on the subsystem's page.");
        anyHostWarning = new HorizontalLayout(VaadinIcon.WARNING.create(), warning);
        anyHostWarning.addClassName("wizard-warning");
        anyHostWarning.getElement().setAttribute("role", "alert");
        anyHostWarning.getStyle().set("color", "var(--lumo-error-text-color)");
        anyHost.addValueChangeListener(change -> anyHostWarning.setVisible(change.getValue()));
        created.addClassName("wizard-note");
        view = new VerticalLayout(summary, nqn, hostNqn, anyHost, anyHostWarning, created);
        view.setPadding(false);
    }

    @Override
    public WizardStep step() {
        return WizardStep.SUBSYSTEM;
    }

    @Override
    public Component view() {
        return view;
    }

    @Override
    public void show(OnboardingProgress progress) {
        Map<String, String> cluster = progress.fieldsOf(WizardStep.CLUSTER);
        List<String> volumes = Fields.list(progress.fieldsOf(WizardStep.VOLUMES).get(OnboardingService.CREATED_VOLUMES));
        summary.setText("Exports " + volumes.size() + " volume" + (volumes.size() == 1 ? "" : "s")
                + " as namespaces, listening on " + listeners(cluster) + " (from step 1).");
        Map<String, String> stored = progress.fieldsOf(WizardStep.SUBSYSTEM);
        nqn.setValue(stored.getOrDefault(NQN, suggestedNqn(progress.clusterName())));
        hostNqn.setValue(stored.getOrDefault(HOST_NQN, ""));
        anyHost.setValue(Boolean.parseBoolean(stored.getOrDefault(ANY_HOST, "false")));
        anyHostWarning.setVisible(anyHost.getValue());
        alreadyCreated = stored.containsKey(OnboardingService.CREATED_SUBSYSTEM);
        created.setVisible(alreadyCreated);
        created.setText("The subsystem is created. Change it on the Subsystems page; Next goes on.");
        nqn.setReadOnly(alreadyCreated);
        hostNqn.setReadOnly(alreadyCreated);
        anyHost.setReadOnly(alreadyCreated);
    }

    @Override
    public Map<String, String> typed() {
        return Map.of(NQN, nqn.getValue(), HOST_NQN, hostNqn.getValue(), ANY_HOST, String.valueOf(anyHost.getValue()));
    }

    @Override
    public void next(OnboardingProgress progress) {
        if (alreadyCreated) {
            return;
        }
        Map<String, String> cluster = progress.fieldsOf(WizardStep.CLUSTER);
        Integer port = Fields.integer(cluster.get(ClusterStep.PORT));
        List<VolumeId> volumes = Fields.list(progress.fieldsOf(WizardStep.VOLUMES).get(OnboardingService.CREATED_VOLUMES))
                .stream().map(id -> new VolumeId(Long.parseLong(id))).toList();
        try {
            onboarding.createSubsystem(new SubsystemPlan(nqn.getValue(), volumes, Fields.list(cluster.get(ClusterStep.ADDRESSES)),
                    port == null ? ClusterStep.DEFAULT_PORT : port, hostNqn.getValue(), anyHost.getValue()), typed());
        } catch (dev.windrose.common.ConflictException taken) {
            // A taken NQN is said at the NQN field; another conflict (a taken port) stays a step error.
            if (taken.getMessage() != null && taken.getMessage().contains(nqn.getValue().strip())) {
                throw new dev.windrose.common.InvalidInputException(NQN, taken.getMessage());
            }
            throw taken;
        }
    }

    @Override
    public boolean markInvalid(String field, String message) {
        switch (field) {
            case NQN -> Fields.mark(nqn, message);
            case HOST_NQN -> Fields.mark(hostNqn, message);
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public void clearInvalid() {
        Fields.unmark(nqn, hostNqn);
    }

    /** Checks an NQN as it is typed; an empty host NQN is judged at Next (any host may be allowed). */
    private static void check(TextField field, String name, boolean typedByUser) {
        if (!typedByUser) {
            return;
        }
        if (field.getValue().isBlank()) {
            field.setInvalid(false);
            return;
        }
        try {
            Nqn.validate(name, field.getValue());
            field.setInvalid(false);
        } catch (InvalidInputException refused) {
            Fields.mark(field, refused.getMessage());
        }
    }

    private static String listeners(Map<String, String> cluster) {
        String port = cluster.getOrDefault(ClusterStep.PORT, String.valueOf(ClusterStep.DEFAULT_PORT));
        List<String> addresses = Fields.list(cluster.get(ClusterStep.ADDRESSES));
        return addresses.isEmpty() ? "no address (go back to step 1)"
                : String.join(", ", addresses.stream().map(a -> (a.contains(":") ? "[" + a + "]" : a) + ":" + port).toList());
    }

    /** nqn.<this month>.dev.windrose:<cluster name as a slug>, a valid NQN the admin may keep or change. */
    static String suggestedNqn(@org.jspecify.annotations.Nullable String clusterName) {
        String slug = clusterName == null ? "" : clusterName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-+|-+$)", "");
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        return "nqn." + month + ".dev.windrose:" + (slug.isEmpty() ? "storage" : slug);
    }
}
