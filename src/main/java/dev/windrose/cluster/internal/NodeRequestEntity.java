package dev.windrose.cluster.internal;

import dev.windrose.cluster.NodeRequestInfo.State;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A change one node asked another to carry out, with its outcome. */
@Entity
@Table(name = "node_request")
public class NodeRequestEntity {

    public static final int MAX_BODY = 65_536;
    public static final int MAX_DETAIL = 4_096;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @Column(name = "host_id", nullable = false)
    private long hostId;

    @Column(nullable = false, length = 64)
    private String kind;

    @Column(nullable = false, length = MAX_BODY)
    private String body;

    @Column(nullable = false)
    private String actor;

    @Column(name = "actor_role", nullable = false, length = 16)
    private String actorRole;

    @Column(name = "from_host_id", nullable = false)
    private long fromHostId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private State state;

    @Column(length = MAX_BODY)
    private @Nullable String result;

    @Column(name = "error_status")
    private @Nullable Integer errorStatus;

    @Column(name = "error_field")
    private @Nullable String errorField;

    @Column(name = "error_detail", length = MAX_DETAIL)
    private @Nullable String errorDetail;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "finished_at")
    private @Nullable Instant finishedAt;

    protected NodeRequestEntity() {
        this.kind = "";
        this.body = "";
        this.actor = "";
        this.actorRole = "";
        this.state = State.PENDING;
        this.createdAt = Instant.EPOCH;
        this.expiresAt = Instant.EPOCH;
    }

    public NodeRequestEntity(long hostId, String kind, String body, String actor, String actorRole, long fromHostId,
            Instant createdAt, Instant expiresAt) {
        this.hostId = hostId;
        this.kind = kind;
        this.body = body;
        this.actor = actor;
        this.actorRole = actorRole;
        this.fromHostId = fromHostId;
        this.state = State.PENDING;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public void done(@Nullable String answer, Instant at) {
        this.state = State.DONE;
        this.result = answer;
        this.finishedAt = at;
    }

    public void failed(int status, @Nullable String field, String detail, Instant at) {
        this.state = State.FAILED;
        this.errorStatus = status;
        this.errorField = field;
        this.errorDetail = detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        this.finishedAt = at;
    }

    public void expired(Instant at) {
        this.state = State.EXPIRED;
        this.finishedAt = at;
    }

    public long id() {
        if (id == null) {
            throw new IllegalStateException("not saved yet");
        }
        return id;
    }

    public long hostId() {
        return hostId;
    }

    public String kind() {
        return kind;
    }

    public String body() {
        return body;
    }

    public String actor() {
        return actor;
    }

    public String actorRole() {
        return actorRole;
    }

    public long fromHostId() {
        return fromHostId;
    }

    public State state() {
        return state;
    }

    public @Nullable String result() {
        return result;
    }

    public @Nullable Integer errorStatus() {
        return errorStatus;
    }

    public @Nullable String errorField() {
        return errorField;
    }

    public @Nullable String errorDetail() {
        return errorDetail;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public @Nullable Instant finishedAt() {
        return finishedAt;
    }
}
