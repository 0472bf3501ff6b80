package dev.windrose.telemetry.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a webhook post is signed, so its receiver can tell it came from this console and is not an old
 * one played again: {@code X-Windrose-Signature: sha256=<hex>} is HMAC-SHA256, keyed with the secret's
 * UTF-8 bytes, over the {@code X-Windrose-Timestamp} value (Unix seconds), a dot and the body as sent.
 * The timestamp is inside the signature, so a receiver that refuses posts older than a few minutes is not
 * fooled by a replay with a fresh timestamp.
 */
final class WebhookSignature {

    static final String SIGNATURE_HEADER = "X-Windrose-Signature";
    static final String TIMESTAMP_HEADER = "X-Windrose-Timestamp";
    static final String DELIVERY_HEADER = "X-Windrose-Delivery";
    private static final String SECRET_PREFIX = "wrhook_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** A new secret: 32 random bytes, base64url, with a prefix that says what it is. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The {@value #SIGNATURE_HEADER} value for a body sent at {@code epochSecond}. */
    static String sign(String secret, long epochSecond, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((epochSecond + ".").getBytes(StandardCharsets.US_ASCII));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JDK", e);
        }
    }
}
