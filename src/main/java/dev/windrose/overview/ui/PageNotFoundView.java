package dev.windrose.overview.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.ParentLayout;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.MainLayout;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What a signed-in user sees for a page that does not exist or that their roles do not open.
 * Vaadin deliberately answers both the same way (so a viewer cannot probe which admin pages
 * exist); this page says so in words and offers the way back, inside the usual frame.
 */
@ParentLayout(MainLayout.class)
@PageTitle("Page not available")
@PermitAll
class PageNotFoundView extends VerticalLayout implements HasErrorParameter<NotFoundException> {

    private final Paragraph explanation = new Paragraph();

    PageNotFoundView() {
        setPadding(true);
        setMaxWidth("48rem");
        var icon = VaadinIcon.EXCLAMATION_CIRCLE_O.create();
        icon.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.IconSize.LARGE);
        H2 heading = new H2("This page is not available");
        heading.addClassNames(LumoUtility.FontSize.XLARGE, LumoUtility.Margin.Bottom.NONE);
        explanation.addClassNames(LumoUtility.TextColor.SECONDARY);
        add(icon, heading, explanation, new Anchor("", "Back to the overview"));
    }

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
        explanation.setText("“/" + event.getLocation().getPath() + "” does not exist, or your roles do not "
                + "allow you to open it. If you need it, ask an administrator for the role.");
        return HttpServletResponse.SC_NOT_FOUND;
    }
}
