package dev.windrose.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What a password must look like: at least {@value #MIN_LENGTH} characters, not the username, not
 * a common password (also not one with digits or symbols stuck on), not digits only, not a run
 * like "aaaa…" or "abcd…". Each problem is described in words a user can act on.
 */
@Component
public class PasswordPolicy {

    public static final int MIN_LENGTH = 12;
    /** Bounds the hashing work an attacker can ask for. */
    public static final int MAX_LENGTH = 256;

    /** Words that password crackers try first; matched after stripping digits and symbols. */
    private static final Set<String> COMMON_WORDS = Set.of(
            "password", "passwort", "passw0rd", "qwerty", "qwertz", "azerty", "qwertyuiop", "asdfghjkl",
            "letmein", "welcome", "admin", "administrator", "root", "changeme", "iloveyou", "secret",
            "windrose", "storage", "default", "monkey", "dragon", "football", "baseball", "sunshine",
            "princess", "trustno", "master", "login", "abc", "test", "guest", "user", "superman",
            "starwars", "computer", "internet", "nvme", "server");

    /** Problems with the password, empty when it is acceptable. */
    public List<String> problems(String username, String password) {
        List<String> problems = new ArrayList<>();
        if (password.length() < MIN_LENGTH) {
            problems.add("is " + password.length() + " characters long; use at least " + MIN_LENGTH);
        }
        if (password.length() > MAX_LENGTH) {
            problems.add("is longer than " + MAX_LENGTH + " characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        String user = username.strip().toLowerCase(Locale.ROOT);
        if (!user.isEmpty() && lower.contains(user)) {
            problems.add("contains the username");
        }
        if (isCommon(lower)) {
            problems.add("is a commonly used password; choose something less guessable");
        } else if (password.chars().allMatch(Character::isDigit)) {
            problems.add("consists of digits only; mix in letters or words");
        } else if (distinctCharacters(password) < 4) {
            problems.add("uses fewer than 4 different characters");
        } else if (isSequence(lower)) {
            problems.add("is a simple keyboard or alphabet sequence");
        }
        return problems;
    }

    /** Throws {@link WeakPasswordException} listing every problem, if there is one. */
    public void check(String username, String password) {
        List<String> problems = problems(username, password);
        if (!problems.isEmpty()) {
            throw new WeakPasswordException(problems);
        }
    }

    private static boolean isCommon(String lower) {
        String letters = lower.replaceAll("[^a-z]", "");
        if (letters.isEmpty()) {
            return false;
        }
        // "password1234", "Welcome!2024", "adminadmin": a common word, repeated or padded.
        for (String word : COMMON_WORDS) {
            if (letters.equals(word) || letters.equals(word.repeat(Math.max(1, letters.length() / word.length())))) {
                return true;
            }
        }
        return false;
    }

    private static long distinctCharacters(String password) {
        return password.codePoints().distinct().count();
    }

    /** Every character is its predecessor plus or minus one ("abcdef…", "987654…"). */
    private static boolean isSequence(String lower) {
        int step = lower.charAt(1) - lower.charAt(0);
        if (Math.abs(step) != 1) {
            return false;
        }
        for (int i = 2; i < lower.length(); i++) {
            if (lower.charAt(i) - lower.charAt(i - 1) != step) {
                return false;
            }
        }
        return true;
    }
}
