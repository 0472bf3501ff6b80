package dev.windrose.aggregation.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.Tabs;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import com.vaadin.flow.router.RouteParameters;
import dev.windrose.MainLayout;
import dev.windrose.aggregation.AggregationId;
import dev.windrose.aggregation.AggregationInfo;
import dev.windrose.aggregation.AggregationInfo.DriveInfo;
import dev.windrose.aggregation.AggregationInfo.MemberInfo;
import dev.windrose.aggregation.AggregationService;
import dev.windrose.aggregation.ChangeReview;
import dev.windrose.aggregation.DriveGroup;
import dev.windrose.aggregation.DriveTier;
import dev.windrose.aggregation.MemberOs;
import dev.windrose.aggregation.NewAggregation;
import dev.windrose.aggregation.Platform;
import dev.windrose.aggregation.PlatformRules;
import dev.windrose.aggregation.Proposal;
import dev.windrose.aggregation.ProposedMember;
import dev.windrose.aggregation.Review;
import dev.windrose.fabric.Nqn;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.fabric.Nqn;
import dev.windrose.security.Role;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolId;
import dev.windrose.storage.PoolService;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;

/**
 * Creates an aggregation in four steps: platform, members, layout (with the capacity plan and the rule
 * checks updated as it changes), review and create. Nothing is created before the last step, and a layout
 * that breaks a rule is refused there in words.
 *
 * <p>At {@code aggregations/:id/edit} the same steps change an existing aggregation: name and platform stay,
 * members may be added, removed or given another host NQN, and drives added or grown (never shrunk). The review lists each step of the change; a change that cuts off a
 * connected member needs the box that says so ticked.
 */
@Route(value = "aggregations/new", layout = MainLayout.class)
@RouteAlias(value = "aggregations/:id/edit", layout = MainLayout.class)
@RolesAllowed({Role.Names.ADMIN, Role.Names.OPERATOR})
class AggregationWizardView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final String ID = "id";

    private final AggregationService aggregations;
    private final List<PoolInfo> pools;

    private final Tab platformTab = new Tab("1. Platform");
    private final Tab membersTab = new Tab("2. Members");
    private final Tab layoutTab = new Tab("3. Layout");
    private final Tab reviewTab = new Tab("4. Review and create");
    private final Tabs steps = new Tabs(platformTab, membersTab, layoutTab, reviewTab);
    private final VerticalLayout page = new VerticalLayout();

    private final TextField name = new TextField("Aggregation name");
    private final Select<Platform> platform = new Select<>();
    private final VerticalLayout memberRows = new VerticalLayout();
    private final List<MemberRow> members = new ArrayList<>();
    private final IntegerField capacityCount = new IntegerField("Capacity drives per member");
    private final IntegerField capacityGib = new IntegerField("Capacity drive size (GiB)");
    private final Select<PoolInfo> capacityPool = new Select<>();
    private final IntegerField cacheCount = new IntegerField("Cache drives per member");
    private final IntegerField cacheGib = new IntegerField("Cache drive size (GiB)");
    private final Select<PoolInfo> cachePool = new Select<>();
    private final FindingsList layoutFindings = new FindingsList();
    private final PlanGrid layoutPlan = new PlanGrid();
    private final FindingsList reviewFindings = new FindingsList();
    private final PlanGrid reviewPlan = new PlanGrid();
    private final Paragraph summary = new Paragraph();
    private final Paragraph refusal = new Paragraph();
    private final H3 heading = new H3("New aggregation");
    private final UnorderedList changeSteps = new UnorderedList();
    private final Checkbox force = new Checkbox("Change it even though connected members lose their drives or "
            + "connections");
    private final Paragraph memberRefusal = new Paragraph();
    /** Next was clicked on the members step: from then on an empty host NQN is marked too. */
    private boolean membersNextTried;
    private final Button create = new Button("Create aggregation", VaadinIcon.CHECK.create(), click -> create());
    /** The aggregation being changed; null while creating a new one. */
    private @Nullable AggregationInfo editing;

    AggregationWizardView(AggregationService aggregations, PoolService poolService) {
        this.aggregations = aggregations;
        this.pools = poolService.list(null, null, PageRequest.of(0, 500)).getContent();
        setSizeFull();
        create.addThemeVariants(ButtonVariant.PRIMARY);
        memberRefusal.addClassName("member-refusal");
        memberRefusal.getStyle().set("color", "var(--lumo-error-text-color)");
        configureFields();
        steps.addSelectedChangeListener(change -> show());
        add(heading, steps, page);
        setFlexGrow(1, page);
        page.setPadding(false);
        platform.setValue(Platform.S2D);
        show();
    }

    @Override
    public String getPageTitle() {
        return editing == null ? "New aggregation" : "Change aggregation " + editing.name();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<String> id = event.getRouteParameters().get(ID);
        if (id.isEmpty()) {
            return;
        }
        try {
            edit(aggregations.get(new AggregationId(Long.parseLong(id.get()))));
        } catch (NumberFormatException | NotFoundException e) {
            event.rerouteToError(com.vaadin.flow.router.NotFoundException.class, "There is no such aggregation.");
        }
    }

    /** Fills the steps with the aggregation as it is; name and platform cannot change. */
    private void edit(AggregationInfo aggregation) {
        editing = aggregation;
        heading.setText("Change aggregation " + aggregation.name());
        name.setValue(aggregation.name());
        name.setReadOnly(true);
        platform.setValue(aggregation.platform());
        platform.setReadOnly(true);
        members.clear();
        memberRows.removeAll();
        for (MemberInfo member : aggregation.members()) {
            MemberRow row = new MemberRow(members.size() + 1, member.os());
            row.existing = member;
            row.memberName.setValue(member.name());
            row.memberName.setReadOnly(true);
            row.memberName.setHelperText("An existing member keeps its name");
            row.hostNqn.setValue(member.hostNqn());
            row.address.setValue(member.address() == null ? "" : member.address());
            members.add(row);
            memberRows.add(row.layout);
        }
        if (!aggregation.members().isEmpty()) {
            List<DriveInfo> drives = aggregation.members().getFirst().drives();
            prefill(drives, DriveTier.CAPACITY, capacityCount, capacityGib, capacityPool);
            prefill(drives, DriveTier.CACHE, cacheCount, cacheGib, cachePool);
        }
        String sizes = "A larger size grows the drives in place; they never shrink.";
        capacityGib.setHelperText(sizes);
        cacheGib.setHelperText(sizes);
        layoutFindings.action("changed");
        reviewFindings.action("changed");
        steps.setSelectedTab(membersTab);
        show();
    }

    private void prefill(List<DriveInfo> drives, DriveTier tier, IntegerField count, IntegerField gib,
            Select<PoolInfo> pool) {
        List<DriveInfo> ofTier = drives.stream().filter(d -> d.tier() == tier).toList();
        count.setValue(ofTier.size());
        if (!ofTier.isEmpty()) {
            gib.setValue((int) (ofTier.getFirst().sizeBytes() / PlatformRules.GIB));
            pools.stream().filter(p -> p.id().value() == ofTier.getFirst().poolId()).findFirst().ifPresent(pool::setValue);
        }
    }

    // ---- fields --------------------------------------------------------------------------------------------

    private void configureFields() {
        name.setValue("cluster1");
        name.setHelperText("Lower-case letters, digits and '-': it becomes part of NQNs and volume names.");
        name.setValueChangeMode(ValueChangeMode.EAGER);
        platform.setLabel("Platform");
        platform.setItems(Platform.values());
        platform.setItemLabelGenerator(Platform::label);
        platform.addValueChangeListener(change -> platformChanged(change.getValue(), change.getOldValue()));
        for (IntegerField field : List.of(capacityCount, capacityGib, cacheCount, cacheGib)) {
            field.setMin(0);
            field.setStepButtonsVisible(true);
            field.setValueChangeMode(ValueChangeMode.EAGER);
            field.addValueChangeListener(change -> recheck());
        }
        capacityCount.setValue(4);
        capacityGib.setValue(1);
        cacheCount.setValue(0);
        cacheGib.setValue(1);
        for (Select<PoolInfo> pool : List.of(capacityPool, cachePool)) {
            pool.setItems(pools);
            pool.setItemLabelGenerator(p -> p.name() + " (" + p.type().name().toLowerCase() + ", "
                    + PlatformRules.human(Math.max(0, p.allocationLimitBytes() - p.allocatedBytes())) + " free)");
            pool.setEmptySelectionAllowed(false);
            if (!pools.isEmpty()) {
                pool.setValue(pools.getFirst());
            }
            pool.addValueChangeListener(change -> recheck());
        }
        capacityPool.setLabel("Pool for capacity drives");
        cachePool.setLabel("Pool for cache drives");
        refusal.getStyle().set("color", "var(--lumo-error-text-color)");
        refusal.getElement().setAttribute("role", "alert");
    }

    private void platformChanged(Platform now, @Nullable Platform before) {
        if (editing != null) {
            recheck();
            return;
        }
        int wanted = now == Platform.S2D ? 2 : 3;
        while (members.size() < wanted) {
            addMember();
        }
        members.forEach(row -> {
            if (before == null || row.os.getValue() == before.os()) {
                row.os.setValue(now.os());
            }
        });
        if (now == Platform.VSAN_OSA && valueOf(cacheCount) == 0) {
            cacheCount.setValue(1);
        }
        if (now == Platform.VSAN_ESA) {
            cacheCount.setValue(0);
        }
        recheck();
    }

    private void addMember() {
        MemberRow row = new MemberRow(members.size() + 1, platform.getValue() == null ? MemberOs.WINDOWS
                : platform.getValue().os());
        members.add(row);
        memberRows.add(row.layout);
    }

    /** One member's fields; a host NQN is what its initiator presents, shown by that host. */
    private final class MemberRow {
        final TextField memberName = new TextField("Member name");
        final TextField hostNqn = new TextField("Host NQN");
        final Select<MemberOs> os = new Select<>();
        final TextField address = new TextField("Address (optional)");
        final HorizontalLayout layout = new HorizontalLayout();
        /** The member as it is, when the aggregation is being changed and this row is one of its members. */
        @Nullable MemberInfo existing;

        MemberRow(int index, MemberOs defaultOs) {
            memberName.setValue("node" + index);
            hostNqn.setPlaceholder("nqn.2014-08.org.nvmexpress:uuid:…");
            hostNqn.setWidth("30rem");
            hostNqn.setHelperText("Linux: /etc/nvme/hostnqn; ESXi: esxcli nvme info get; Windows: the initiator's host NQN");
            os.setLabel("Operating system");
            os.setItems(MemberOs.values());
            os.setItemLabelGenerator(MemberOs::label);
            os.setValue(defaultOs);
            for (TextField field : List.of(memberName, hostNqn, address)) {
                field.setValueChangeMode(ValueChangeMode.LAZY);
                field.addValueChangeListener(change -> recheck());
            }
            os.addValueChangeListener(change -> recheck());
            Button remove = new Button(VaadinIcon.TRASH.create(), click -> {
                members.remove(this);
                memberRows.remove(layout);
                recheck();
            });
            remove.setAriaLabel("Remove member " + index);
            remove.addThemeVariants(ButtonVariant.TERTIARY);
            layout.add(memberName, hostNqn, os, address, remove);
            layout.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
            // Wrap rather than push the remove button off-screen on a laptop-sized window.
            layout.setWrap(true);
            layout.setWidthFull();
            layout.getElement().setAttribute("aria-label", "Member " + index);
        }

        /** What is wrong with this member's fields, in words naming it; marks the field. Null when fine. */
        @Nullable String problem() {
            String who = memberName.getValue().isBlank() ? "A member" : "Member " + memberName.getValue().strip();
            memberName.setInvalid(memberName.getValue().isBlank());
            // An empty host NQN is marked once Next was tried on this step; a malformed one as soon as typed.
            boolean mark = membersNextTried || !hostNqn.getValue().isBlank();
            memberName.setErrorMessage("Give the member a name.");
            if (memberName.getValue().isBlank()) {
                return "A member has no name.";
            }
            String nqnProblem = null;
            if (hostNqn.getValue().isBlank()) {
                nqnProblem = "Enter the host NQN its initiator presents.";
            } else {
                try {
                    Nqn.validate("hostNqn", hostNqn.getValue());
                } catch (InvalidInputException invalid) {
                    nqnProblem = invalid.getMessage();
                }
            }
            hostNqn.setInvalid(mark && nqnProblem != null);
            hostNqn.setErrorMessage(nqnProblem);
            return nqnProblem == null ? null : who + ": " + nqnProblem;
        }

        ProposedMember toMember(List<DriveGroup> drives) {
            return new ProposedMember(memberName.getValue().strip(), os.getValue(), hostNqn.getValue().strip(),
                    address.getValue(), drives);
        }
    }

    // ---- steps ---------------------------------------------------------------------------------------------

    private void show() {
        page.removeAll();
        refusal.setText("");
        Tab selected = steps.getSelectedTab();
        if (selected == platformTab) {
            page.add(new Paragraph("Which compute cluster the storage is for. Its rules decide what layouts are "
                    + "allowed."), name, platform, navigation(null, membersTab));
        } else if (selected == membersTab) {
            Button add = new Button("Add member", VaadinIcon.PLUS.create(), click -> {
                addMember();
                recheck();
            });
            HorizontalLayout bar = new HorizontalLayout(new Button("Back", click -> steps.setSelectedTab(platformTab)));
            Button forward = new Button("Next", click -> {
                membersNextTried = true;
                List<String> problems = memberProblems();
                if (problems.isEmpty()) {
                    steps.setSelectedTab(layoutTab);
                } else {
                    memberRefusal.setText(String.join(" ", problems));
                }
            });
            forward.addThemeVariants(ButtonVariant.PRIMARY);
            bar.add(forward);
            page.add(new Paragraph("Each member gets its own subsystem; only its host NQN may connect to it, so no "
                    + "member sees another's drives."), memberRows, add, memberRefusal, bar);
        } else if (selected == layoutTab) {
            boolean cache = platform.getValue() != Platform.VSAN_ESA;
            HorizontalLayout capacityRow = new HorizontalLayout(capacityCount, capacityGib, capacityPool);
            HorizontalLayout cacheRow = new HorizontalLayout(cacheCount, cacheGib, cachePool);
            capacityRow.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
            cacheRow.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
            cacheRow.setVisible(cache);
            page.add(new Paragraph("Every member gets the same drives: namespaces of the size given, carved from "
                    + "the pools chosen. The checks and the plan follow every change."), capacityRow, cacheRow,
                    layoutFindings, layoutPlan, navigation(membersTab, reviewTab));
            recheck();
        } else if (editing != null) {
            Button change = new Button("Change aggregation", VaadinIcon.CHECK.create(), click -> change());
            change.addThemeVariants(ButtonVariant.PRIMARY);
            changeSteps.getElement().setAttribute("aria-label", "Changes");
            page.add(summary, new Paragraph("What changes, in this order:"), changeSteps, reviewFindings, reviewPlan,
                    force, refusal, new HorizontalLayout(new Button("Back", click -> steps.setSelectedTab(layoutTab)),
                            change));
            recheck();
        } else {
            page.add(summary, reviewFindings, reviewPlan, refusal,
                    new HorizontalLayout(new Button("Back", click -> steps.setSelectedTab(layoutTab)), create));
            recheck();
        }
    }

    private Component navigation(@Nullable Tab back, Tab next) {
        HorizontalLayout bar = new HorizontalLayout();
        if (back != null) {
            bar.add(new Button("Back", click -> steps.setSelectedTab(back)));
        }
        Button forward = new Button("Next", click -> steps.setSelectedTab(next));
        forward.addThemeVariants(ButtonVariant.PRIMARY);
        bar.add(forward);
        return bar;
    }

    // ---- checks and creation ---------------------------------------------------------------------------------

    private Proposal proposal() {
        List<DriveGroup> drives = new ArrayList<>();
        if (capacityPool.getValue() != null) {
            drives.add(new DriveGroup(DriveTier.CAPACITY, valueOf(capacityCount), valueOf(capacityGib) * PlatformRules.GIB,
                    capacityPool.getValue().id()));
        }
        if (platform.getValue() != Platform.VSAN_ESA && valueOf(cacheCount) > 0 && cachePool.getValue() != null) {
            drives.add(new DriveGroup(DriveTier.CACHE, valueOf(cacheCount), valueOf(cacheGib) * PlatformRules.GIB,
                    cachePool.getValue().id()));
        }
        return new Proposal(name.getValue().strip(), platform.getValue(),
                members.stream().map(row -> row.toMember(row.existing == null ? drives : keptAndAdded(row.existing,
                        drives))).toList());
    }

    /**
     * An existing member's drives as the form asks: the drives it has, plus per tier as many more as the form's
     * count exceeds what it has (from the pool chosen now). Another size or a smaller count is passed on as asked:
     * the service grows the drives, or refuses in words.
     */
    private static List<DriveGroup> keptAndAdded(MemberInfo member, List<DriveGroup> asked) {
        List<DriveGroup> result = new ArrayList<>();
        for (DriveTier tier : DriveTier.values()) {
            List<DriveInfo> have = member.drives().stream().filter(d -> d.tier() == tier).toList();
            int wanted = asked.stream().filter(g -> g.tier() == tier).mapToInt(DriveGroup::count).sum();
            boolean resized = asked.stream().anyMatch(g -> g.tier() == tier
                    && have.stream().anyMatch(d -> d.sizeBytes() != g.sizeBytes()));
            if (wanted < have.size() || resized) {
                // As asked: the service grows the drives, or says in words why it cannot.
                asked.stream().filter(g -> g.tier() == tier).forEach(result::add);
                continue;
            }
            record Key(long size, long pool) {
            }
            Map<Key, Long> counts = have.stream().collect(Collectors.groupingBy(d -> new Key(d.sizeBytes(), d.poolId()),
                    java.util.LinkedHashMap::new, Collectors.counting()));
            counts.forEach((key, count) -> result.add(new DriveGroup(tier, count.intValue(), key.size(),
                    new PoolId(key.pool()))));
            asked.stream().filter(g -> g.tier() == tier).findFirst().filter(g -> wanted > have.size())
                    .ifPresent(g -> result.add(new DriveGroup(tier, wanted - have.size(), g.sizeBytes(), g.pool())));
        }
        return result;
    }

    /** Runs the rules and the planner on what the form holds now. */
    private void recheck() {
        if (platform.getValue() == null) {
            return;
        }
        Proposal proposal = proposal();
        summary.setText(proposal.platform().label() + " '" + proposal.name() + "': " + proposal.members().size()
                + " members (" + String.join(", ", proposal.members().stream().map(ProposedMember::name).toList())
                + "), each with " + valueOf(capacityCount) + " x " + valueOf(capacityGib) + " GiB capacity drives"
                + (proposal.platform() != Platform.VSAN_ESA && valueOf(cacheCount) > 0
                        ? " and " + valueOf(cacheCount) + " x " + valueOf(cacheGib) + " GiB cache drives" : "")
                + ".");
        if (pools.isEmpty()) {
            notChecked("There is no pool yet: create one under Pools first.");
            return;
        }
        List<String> problems = memberProblems();
        if (!problems.isEmpty()) {
            notChecked("Not checked yet: " + String.join(" ", problems));
            return;
        }
        refusal.setText("");
        memberRefusal.setText("");
        create.setEnabled(true);
        try {
            if (editing != null) {
                ChangeReview review = aggregations.reviewChange(editing.id(), proposal.members());
                layoutFindings.show(review.findings());
                reviewFindings.show(review.findings());
                layoutPlan.show(review.plan());
                reviewPlan.show(review.plan());
                changeSteps.removeAll();
                (review.changes().isEmpty() ? List.of("Nothing: the aggregation is already like this.")
                        : review.changes()).forEach(step -> changeSteps.add(new ListItem(step)));
                force.setVisible(!review.connectedMembers().isEmpty());
                return;
            }
            layoutPlan.setVisible(true);
            reviewPlan.setVisible(true);
            Review review = aggregations.review(proposal);
            layoutFindings.show(review.findings());
            reviewFindings.show(review.findings());
            layoutPlan.show(review.plan());
            reviewPlan.show(review.plan());
        } catch (InvalidInputException invalid) {
            // Something the rules cannot judge yet: say so instead of a verdict on the rest.
            notChecked("Not checked yet: " + invalid.getMessage());
        }
    }

    /** Every member's problem, in words that name the member; the fields are marked. */
    private List<String> memberProblems() {
        List<String> problems = new ArrayList<>();
        for (MemberRow row : members) {
            String problem = row.problem();
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    /** No verdict and no plan that was not computed: the findings say why, and nothing can be created. */
    private void notChecked(String why) {
        layoutFindings.notChecked(why);
        reviewFindings.notChecked(why);
        layoutPlan.setVisible(false);
        reviewPlan.setVisible(false);
        refusal.setText(why);
        create.setEnabled(false);
    }

    private void create() {
        refusal.setText("");
        try {
            AggregationInfo created = aggregations.create(new NewAggregation(proposal(), null));
            Notices.success("Aggregation " + created.name() + " created: " + created.members().size()
                    + " subsystems, one per member.");
            getUI().ifPresent(ui -> ui.navigate(AggregationView.class,
                    new RouteParameters(AggregationView.ID, created.id().toString())));
        } catch (InvalidInputException | ConflictException refused) {
            refusal.setText("Not created. " + refused.getMessage());
        }
    }

    private void change() {
        refusal.setText("");
        AggregationInfo current = editing;
        if (current == null) {
            return;
        }
        try {
            AggregationInfo changed = aggregations.change(current.id(), proposal().members(),
                    force.isVisible() && force.getValue());
            Notices.success("Aggregation " + changed.name() + " changed: " + changed.members().size() + " members.");
            getUI().ifPresent(ui -> ui.navigate(AggregationView.class,
                    new RouteParameters(AggregationView.ID, changed.id().toString())));
        } catch (InvalidInputException | ConflictException refused) {
            refusal.setText("Not changed. " + refused.getMessage());
        }
    }

    private static int valueOf(IntegerField field) {
        return field.getValue() == null ? 0 : field.getValue();
    }
}
