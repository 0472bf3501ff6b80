package dev.windrose.onboarding.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.OrderedList;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.windrose.MainLayout;
import dev.windrose.cluster.ClusterService;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.fabric.FabricService;
import dev.windrose.inventory.DiskService;
import dev.windrose.inventory.HostService;
import dev.windrose.onboarding.OnboardingProgress;
import dev.windrose.onboarding.OnboardingService;
import dev.windrose.onboarding.OnboardingStatus;
import dev.windrose.onboarding.WizardStep;
import dev.windrose.security.Role;
import dev.windrose.storage.PoolService;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Map;
import java.util.List;

/**
 * The guided set-up: six steps from a fresh install to a connected host. Every Next validates and
 * does the step's work through the services; Back and Next both store what was typed, so a reload, a
 * later visit or another administrator resumes where it stopped. Finished or skipped, the page offers
 * to run it again.
 */
@Route(value = OnboardingView.ROUTE, layout = MainLayout.class)
@PageTitle("Guided setup")
@Menu(order = 40, icon = "vaadin:magic", title = "Guided setup")
@RolesAllowed(Role.Names.ADMIN)
class OnboardingView extends VerticalLayout implements BeforeEnterObserver {

    static final String ROUTE = "welcome";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private final OnboardingService onboarding;
    private final Map<WizardStep, StepPanel> panels = new EnumMap<>(WizardStep.class);
    private final H2 title = new H2();
    private final OrderedList trail = new OrderedList();
    private final VerticalLayout content = new VerticalLayout();
    private final Paragraph error = new Paragraph();
    private final Button back = new Button("Back", VaadinIcon.ARROW_LEFT.create(), click -> back());
    private final Button next = new Button("Next", VaadinIcon.ARROW_RIGHT.create(), click -> next());
    private final Button skip = new Button("Skip setup", click -> skip());
    private final HorizontalLayout buttons;
    private WizardStep shown = WizardStep.CLUSTER;

    OnboardingView(OnboardingService onboarding, HostService hosts, DiskService disks, PoolService pools,
            FabricService fabric, EmbeddedTarget target, ClusterService cluster) {
        this.onboarding = onboarding;
        for (StepPanel panel : new StepPanel[] {new ClusterStep(onboarding, hosts, target),
                new DisksStep(onboarding, disks, hosts), new PoolStep(onboarding), new VolumesStep(onboarding, pools),
                new SubsystemStep(onboarding), new ConnectStep(onboarding, fabric, cluster)}) {
            panels.put(panel.step(), panel);
        }
        setMaxWidth("60rem");
        trail.addClassName("wizard-trail");
        trail.getStyle().set("display", "flex").set("gap", "var(--lumo-space-s) var(--lumo-space-l)")
                .set("padding-left", "0").set("list-style", "none").set("flex-wrap", "wrap");
        content.setPadding(false);
        error.setId("wizard-error");
        error.getElement().setAttribute("role", "alert");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        error.setVisible(false);
        next.setIconAfterText(true);
        next.addThemeVariants(ButtonVariant.PRIMARY);
        skip.addThemeVariants(ButtonVariant.TERTIARY);
        skip.setTooltipText("Set up in the normal pages instead; the guided setup stays in the navigation.");
        buttons = new HorizontalLayout(back, skip, next);
        buttons.setWidthFull();
        buttons.setAlignItems(FlexComponent.Alignment.BASELINE);
        buttons.expand(skip);
        skip.getStyle().set("margin-left", "auto").set("flex-grow", "0");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        OnboardingProgress progress = onboarding.progress();
        if (progress.status().offered()) {
            showStep(onboarding.start().currentStep());
        } else {
            showDone(progress);
        }
    }

    private void showStep(WizardStep step) {
        OnboardingProgress progress = onboarding.progress();
        StepPanel panel = panels.get(step);
        shown = step;
        removeAll();
        clearError();
        panel.clearInvalid();
        title.setText("Step " + step.number() + " of " + WizardStep.values().length + ": " + step.title());
        showTrail(step);
        content.removeAll();
        content.add(panel.view());
        panel.show(progress);
        back.setEnabled(step.previous().isPresent());
        next.setText(panel.isLast() ? "Finish" : "Next");
        next.setIcon(panel.isLast() ? VaadinIcon.CHECK.create() : VaadinIcon.ARROW_RIGHT.create());
        skip.setVisible(!panel.isLast());
        add(title, trail, content, error, buttons);
    }

    private void showTrail(WizardStep current) {
        trail.removeAll();
        for (WizardStep step : WizardStep.values()) {
            // The number is part of the text: as a list marker it ran into the previous label ("1. Cluster2. Disks").
            ListItem item = new ListItem(step.number() + ". " + step.title());
            if (step == current) {
                item.getElement().setAttribute("aria-current", "step");
                item.getStyle().set("font-weight", "600");
            } else {
                item.getStyle().set("color", "var(--lumo-secondary-text-color)");
            }
            trail.add(item);
        }
    }

    private void next() {
        StepPanel panel = panels.get(shown);
        clearError();
        panel.clearInvalid();
        try {
            panel.next(onboarding.progress());
            if (panel.isLast()) {
                Notices.success("The guided setup is finished. Everything it created is on the normal pages.");
                getUI().ifPresent(ui -> ui.navigate(""));
                return;
            }
            WizardStep following = shown.next().orElseThrow();
            onboarding.save(shown, panel.typed(), following);
            showStep(following);
        } catch (InvalidInputException refused) {
            if (!panel.markInvalid(refused.field(), refused.getMessage())) {
                showError(refused.getMessage());
            } else {
                showError("Step " + shown.number() + " is not done: " + refused.getMessage());
            }
        } catch (ConflictException | NotFoundException refused) {
            showError(refused.getMessage());
        }
    }

    private void back() {
        StepPanel panel = panels.get(shown);
        shown.previous().ifPresent(previous -> {
            onboarding.save(shown, panel.typed(), previous);
            showStep(previous);
        });
    }

    /**
     * Skip, without leaving anything half-made behind unnoticed: if this run created a pool or volumes
     * that no subsystem exports yet, the administrator chooses to keep them (named) or remove them.
     */
    private void skip() {
        onboarding.save(shown, panels.get(shown).typed(), shown);
        List<String> unfinished = onboarding.unfinishedObjects();
        if (unfinished.isEmpty()) {
            closeSkipped("");
            return;
        }
        String names = String.join(", ", unfinished);
        ConfirmDialog ask = new ConfirmDialog();
        ask.setHeader("Skip the guided setup?");
        ask.setText("So far it created " + names + ", which no subsystem exports yet. Keep them to go on from the "
                + "normal pages, or remove them so the setup leaves nothing half-made.");
        ask.setCancelable(true);
        ask.setRejectable(true);
        ask.setRejectText("Remove them and skip");
        ask.addRejectListener(event -> {
            List<String> removed = onboarding.removeUnfinished();
            closeSkipped(" Removed " + String.join(", ", removed) + ".");
        });
        ask.setConfirmText("Keep them and skip");
        ask.addConfirmListener(event -> closeSkipped(" Kept " + names + "."));
        ask.open();
    }

    private void closeSkipped(String whatHappened) {
        onboarding.skip();
        Notices.success("Guided setup skipped." + whatHappened + " It stays under \"Guided setup\" in the navigation.");
        getUI().ifPresent(ui -> ui.navigate(""));
    }

    private void showDone(OnboardingProgress progress) {
        removeAll();
        String when = progress.updatedAt() == null ? "" : " on " + TIME.format(progress.updatedAt())
                + (progress.updatedBy() == null ? "" : " by " + progress.updatedBy());
        String what = progress.status() == OnboardingStatus.FINISHED ? "was finished" : "was skipped";
        Button again = new Button("Run the guided setup again", VaadinIcon.REFRESH.create(), click -> {
            onboarding.restart();
            showStep(WizardStep.CLUSTER);
        });
        again.addThemeVariants(ButtonVariant.PRIMARY);
        Component cluster = new Paragraph(progress.clusterName() == null ? "The cluster has no name yet."
                : "Cluster: " + progress.clusterName());
        add(new H2("Guided setup"), cluster, new Paragraph("The guided setup " + what + when + ". Running it again "
                + "creates a new pool, volumes and subsystem; what it created before stays."), again);
    }

    private void showError(String message) {
        error.setText(message);
        error.setVisible(true);
    }

    private void clearError() {
        error.setVisible(false);
    }
}
