package dev.windrose.aggregation.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.windrose.aggregation.CapacityPlan;
import dev.windrose.aggregation.CapacityPlan.Option;
import dev.windrose.aggregation.PlatformRules;
import java.util.Locale;

/** The capacity plan: raw and cache capacity, then one row per resiliency option, then the planner's notes. */
class PlanGrid extends VerticalLayout {

    private final Paragraph totals = new Paragraph();
    private final Grid<Option> options = new Grid<>();
    private final Div notes = new Div();

    PlanGrid() {
        setPadding(false);
        setSpacing(false);
        options.addThemeVariants(GridVariant.ROW_STRIPES);
        options.setAllRowsVisible(true);
        options.addColumn(Option::name).setHeader("Resiliency").setAutoWidth(true);
        options.addColumn(Option::layout).setHeader("Layout").setAutoWidth(true);
        options.addColumn(Option::failuresTolerated).setHeader("Failures tolerated").setAutoWidth(true);
        options.addColumn(o -> o.available() ? String.format(Locale.ROOT, "%.1f %%", o.efficiency() * 100) : "—")
                .setHeader("Efficiency").setAutoWidth(true);
        options.addColumn(o -> o.available() ? PlatformRules.human(o.reserveBytes()) : "—").setHeader("Reserve")
                .setAutoWidth(true);
        options.addColumn(o -> o.available() ? gib(o.usableBytes()) : "not available: " + o.unavailableBecause())
                .setHeader("Usable").setAutoWidth(true).setFlexGrow(1);
        notes.getStyle().set("font-size", "var(--lumo-font-size-s)").set("color", "var(--lumo-secondary-text-color)");
        add(totals, options, notes);
    }

    void show(CapacityPlan plan) {
        totals.setText("Raw capacity " + PlatformRules.human(plan.rawBytes())
                + (plan.cacheBytes() > 0 ? ", cache " + PlatformRules.human(plan.cacheBytes()) : "") + ".");
        options.setItems(plan.options());
        notes.removeAll();
        plan.notes().forEach(note -> notes.add(new Paragraph(note)));
    }

    /** Usable capacity rarely comes out in whole GiB: one decimal. */
    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) PlatformRules.GIB);
    }
}
