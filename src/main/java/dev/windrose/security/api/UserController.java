package dev.windrose.security.api;

import dev.windrose.security.Role;
import dev.windrose.security.UserId;
import dev.windrose.security.UserService;
import dev.windrose.security.UserSummary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "Users", description = "User management (administrators only)")
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    record UserView(long id, String username, Set<Role> roles, boolean enabled, Instant createdAt) {

        static UserView of(UserSummary user) {
            return new UserView(user.id().value(), user.username(), new TreeSet<>(user.roles()), user.enabled(),
                    user.createdAt());
        }
    }

    record NewUser(@NotBlank String username, @NotBlank String password, @NotNull @NotEmpty Set<Role> roles) {

        @Override
        public String toString() {
            return "NewUser[username=" + username + ", roles=" + roles + "]";
        }
    }

    /** Only the fields present change. */
    record UserChanges(@Nullable Set<Role> roles, @Nullable Boolean enabled, @Nullable String password) {

        @Override
        public String toString() {
            return "UserChanges[roles=" + roles + ", enabled=" + enabled + ", password=" + (password == null ? "-" : "***") + "]";
        }
    }

    @GetMapping
    @Operation(summary = "List all users")
    List<UserView> list() {
        return users.listUsers().stream().map(UserView::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One user")
    UserView get(@PathVariable long id) {
        return UserView.of(users.get(new UserId(id)));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a user", description = "409 when the username is taken; 400 names the invalid field.")
    UserView create(@Valid @RequestBody NewUser user) {
        return UserView.of(users.createUser(user.username(), user.password(), user.roles()));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change roles, enabled state and/or password of a user")
    UserView update(@PathVariable long id, @RequestBody UserChanges changes) {
        UserId userId = new UserId(id);
        if (changes.roles() != null) {
            users.updateRoles(userId, changes.roles());
        }
        if (changes.enabled() != null) {
            users.setEnabled(userId, changes.enabled());
        }
        if (changes.password() != null) {
            users.changePassword(userId, changes.password());
        }
        return UserView.of(users.get(userId));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a user and their API tokens")
    void delete(@PathVariable long id) {
        users.delete(new UserId(id));
    }
}
