package dev.windrose.telemetry.internal;

import dev.windrose.telemetry.AlertDelivery;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Sends one e-mail (plain text, or text with an HTML alternative) through the SMTP server of the stored
 * settings. With STARTTLS on, the connection must be upgraded before anything (the password included) is
 * sent: a server that does not offer it is refused, not used in clear. Connecting, reading and writing are each bounded by a timeout.
 */
final class EmailSender {

    private final Duration timeout;
    private final Clock clock;

    EmailSender(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Sends {@code text} as the message, with {@code html} as its alternative when there is one. */
    AlertDelivery.Outcome send(AlertDelivery.Email settings, @Nullable String password, String subject, String text,
            @Nullable String html) {
        JavaMailSenderImpl mailer = new JavaMailSenderImpl();
        mailer.setHost(settings.smtpHost());
        mailer.setPort(settings.smtpPort());
        mailer.setDefaultEncoding("UTF-8");
        Properties properties = new Properties();
        String millis = Long.toString(timeout.toMillis());
        properties.setProperty("mail.smtp.connectiontimeout", millis);
        properties.setProperty("mail.smtp.timeout", millis);
        properties.setProperty("mail.smtp.writetimeout", millis);
        properties.setProperty("mail.smtp.starttls.enable", Boolean.toString(settings.startTls()));
        properties.setProperty("mail.smtp.starttls.required", Boolean.toString(settings.startTls()));
        if (settings.username() != null) {
            mailer.setUsername(settings.username());
            mailer.setPassword(password);
            properties.setProperty("mail.smtp.auth", "true");
        }
        mailer.setJavaMailProperties(properties);
        try {
            MimeMessage message = mailer.createMimeMessage();
            // multipart/alternative: a mail client shows the HTML part, a plain one (or a pager) the text.
            MimeMessageHelper helper = new MimeMessageHelper(message, html != null, "UTF-8");
            helper.setFrom(settings.from());
            helper.setTo(settings.to().toArray(String[]::new));
            helper.setSubject(subject);
            if (html != null) {
                helper.setText(text, html);
            } else {
                helper.setText(text);
            }
            mailer.send(message);
            return new AlertDelivery.Outcome(clock.instant(), true, "sent to " + String.join(", ", settings.to()) + " through "
                    + settings.smtpHost() + ":" + settings.smtpPort());
        } catch (MailException e) {
            return new AlertDelivery.Outcome(clock.instant(), false, settings.smtpHost() + ":" + settings.smtpPort()
                    + " refused or failed: " + deepest(e));
        } catch (MessagingException e) {
            return new AlertDelivery.Outcome(clock.instant(), false, "the message could not be written: " + deepest(e));
        }
    }

    /** The innermost cause's message: "Connection refused", "535 Authentication failed"… */
    private static String deepest(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message.strip();
    }
}
