package dev.windrose.aggregation.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import dev.windrose.aggregation.Finding;
import java.util.List;

/** The rules' findings in words: errors first, in the error colour, each with a link to its source. */
class FindingsList extends Div {

    private final UnorderedList list = new UnorderedList();
    private final Span summary = new Span();
    private String action = "created";

    FindingsList() {
        add(summary, list);
        getElement().setAttribute("aria-label", "Rule checks");
    }

    /** What the rules hold back: "created" in the wizard, "changed" when an aggregation is changed. */
    void action(String action) {
        this.action = action;
    }

    /** No verdict: the rules could not be run on what the form holds, and this says why. */
    void notChecked(String why) {
        summary.setText(why);
        summary.getStyle().set("font-weight", "600").set("color", "var(--lumo-secondary-text-color)");
        list.removeAll();
    }

    void show(List<Finding> findings) {
        long errors = findings.stream().filter(Finding::blocking).count();
        long warnings = findings.size() - errors;
        summary.setText(errors == 0 ? "The layout meets the platform's rules" + (warnings == 0 ? "." : ", with "
                + warnings + " warning" + (warnings == 1 ? "" : "s") + ":")
                : errors + " rule" + (errors == 1 ? " is" : "s are") + " broken; nothing can be " + action + " until "
                        + (errors == 1 ? "it is" : "they are") + " fixed:");
        summary.getStyle().set("font-weight", "600")
                .set("color", errors == 0 ? "var(--lumo-success-text-color)" : "var(--lumo-error-text-color)");
        list.removeAll();
        for (Finding finding : findings) {
            ListItem item = new ListItem();
            Span text = new Span((finding.blocking() ? "Error: " : "Warning: ") + finding.message() + " ");
            text.getStyle().set("color", finding.blocking() ? "var(--lumo-error-text-color)" : "inherit");
            item.add(text);
            if (finding.source().startsWith("http")) {
                Anchor source = new Anchor(finding.source(), "(source)");
                source.setTarget("_blank");
                item.add(source);
            }
            item.getElement().setAttribute("data-rule", finding.rule());
            list.add(item);
        }
    }
}
