package dev.windrose.fabric;

import org.jspecify.annotations.Nullable;

/**
 * DH-HMAC-CHAP secrets the user was just shown (generated) or just typed (pasted), and only those: the
 * connect command carries a secret it is given here, a placeholder for one that is set but not in hand
 * (issue 17). Never printed: toString names only which are present.
 */
public record ShownSecrets(@Nullable String hostSecret, @Nullable String controllerSecret) {

    public static final ShownSecrets NONE = new ShownSecrets(null, null);

    @Override
    public String toString() {
        return "ShownSecrets[" + (hostSecret == null ? "" : "host secret") + (controllerSecret == null ? "" : " controller secret")
                + "]";
    }
}
