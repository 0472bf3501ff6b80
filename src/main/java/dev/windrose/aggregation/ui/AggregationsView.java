package dev.windrose.aggregation.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.windrose.MainLayout;
import dev.windrose.aggregation.AggregationService;
import dev.windrose.aggregation.AggregationSummary;
import dev.windrose.security.Role;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.data.domain.PageRequest;

/** S2D and vSAN aggregations: platform, member count, when created. */
@Route(value = "aggregations", layout = MainLayout.class)
@PageTitle("Aggregations")
@Menu(order = 7, icon = "vaadin:cluster", title = "Aggregations")
@PermitAll
class AggregationsView extends VerticalLayout {

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Grid<AggregationSummary> grid = new Grid<>();

    AggregationsView(AggregationService aggregations, AuthenticationContext authentication) {
        setSizeFull();
        HorizontalLayout bar = new HorizontalLayout();
        if (authentication.hasAnyRole(Role.Names.ADMIN, Role.Names.OPERATOR)) {
            Button create = new Button("New aggregation", VaadinIcon.PLUS.create(),
                    click -> getUI().ifPresent(ui -> ui.navigate(AggregationWizardView.class)));
            create.addThemeVariants(ButtonVariant.PRIMARY);
            bar.add(create);
        }
        grid.addThemeVariants(GridVariant.ROW_STRIPES);
        grid.addComponentColumn(AggregationsView::link).setHeader("Name").setAutoWidth(true).setFlexGrow(1);
        grid.addColumn(a -> a.platform().label()).setHeader("Platform").setAutoWidth(true);
        grid.addColumn(AggregationSummary::members).setHeader("Members").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(a -> WHEN.format(a.createdAt())).setHeader("Created").setAutoWidth(true).setFlexGrow(0);
        grid.setEmptyStateText("No aggregations yet: give an S2D or vSAN cluster's members their own drives "
                + "with New aggregation.");
        grid.setItems(query -> aggregations.list(PageRequest.of(query.getPage(), query.getPageSize())).stream());
        add(bar, grid);
        setFlexGrow(1, grid);
    }

    private static Component link(AggregationSummary aggregation) {
        return new RouterLink(aggregation.name(), AggregationView.class,
                new RouteParameters(AggregationView.ID, aggregation.id().toString()));
    }
}
