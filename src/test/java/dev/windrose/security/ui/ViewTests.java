package dev.windrose.security.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import java.util.stream.Stream;

/** Small helpers for the browserless view tests of this package. */
final class ViewTests {

    /** One Spring context (and database) for these view tests, apart from the other tests' contexts. */
    static final String CONTEXT = "windrose.view-test=security-views";
    /** The signed-in administrator of these tests (with {@code @WithMockUser}); created if missing. */
    static final String ADMIN = "view-admin";
    static final String ADMIN_PASSWORD = "Granite-Lighthouse-Wren-11";

    private ViewTests() {
    }

    /** The buttons in a component and everything below it (e.g. a grid cell's action bar). */
    static Stream<Button> buttonsIn(Component component) {
        Stream<Button> self = component instanceof Button button ? Stream.of(button) : Stream.empty();
        return Stream.concat(self, component.getChildren().flatMap(ViewTests::buttonsIn));
    }
}
