package dev.windrose.security;

import dev.windrose.common.InvalidInputException;
import java.util.List;

/** The password breaks the {@link PasswordPolicy}; {@link #problems()} says how, in words. */
public class WeakPasswordException extends InvalidInputException {

    private final List<String> problems;

    public WeakPasswordException(List<String> problems) {
        super("password", "The password " + String.join("; it ", problems) + ".");
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
