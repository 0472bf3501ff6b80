package dev.windrose.security.ui;

import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.checkbox.CheckboxGroupVariant;
import dev.windrose.security.Role;
import java.util.EnumSet;
import java.util.Set;

/** The roles a user may hold, as checkboxes with a line each on what the role allows. */
final class RoleChoice {

    private RoleChoice() {
    }

    static CheckboxGroup<Role> create(Set<Role> selected) {
        CheckboxGroup<Role> roles = new CheckboxGroup<>("Roles");
        roles.setItems(EnumSet.allOf(Role.class));
        roles.setItemLabelGenerator(RoleLabels::label);
        roles.setItemHelperGenerator(RoleLabels::describe);
        roles.addThemeVariants(CheckboxGroupVariant.LUMO_VERTICAL);
        roles.setValue(selected);
        roles.setRequiredIndicatorVisible(true);
        return roles;
    }
}
