package dev.windrose.fabric;

import dev.windrose.common.Names;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.fabric.internal.InitiatorEntity;
import dev.windrose.fabric.internal.InitiatorRepository;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import java.time.Clock;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Known initiators (host NQNs with friendly names); knowing one grants it nothing, allowing it does. */
@Service
public class InitiatorService {

    public static final int MAX_NAME = 64;

    private final InitiatorRepository initiators;
    private final AuditLog auditLog;
    private final Clock clock;

    InitiatorService(InitiatorRepository initiators, AuditLog auditLog, Clock clock) {
        this.initiators = initiators;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.VIEWER)
    public List<InitiatorInfo> list() {
        return initiators.findAllByOrderByName().stream().map(InitiatorService::toInfo).toList();
    }

    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public InitiatorInfo add(String hostNqn, String name) {
        String nqn = Nqn.validate("hostNqn", hostNqn);
        String friendly = Names.text("name", name, MAX_NAME);
        if (initiators.existsByHostNqn(nqn)) {
            throw new ConflictException("The host NQN " + nqn + " is already known.");
        }
        InitiatorEntity saved = initiators.saveAndFlush(new InitiatorEntity(nqn, friendly, clock.instant()));
        auditLog.record(AuditAction.INITIATOR_ADDED, nqn, friendly);
        return toInfo(saved);
    }

    @Transactional
    @PreAuthorize(Role.Expressions.OPERATOR)
    public void remove(long id) {
        InitiatorEntity initiator = initiators.findById(id)
                .orElseThrow(() -> new NotFoundException("There is no initiator with id " + id + "."));
        initiators.delete(initiator);
        auditLog.record(AuditAction.INITIATOR_REMOVED, initiator.hostNqn(), initiator.name());
    }

    private static InitiatorInfo toInfo(InitiatorEntity entity) {
        return new InitiatorInfo(entity.id(), entity.hostNqn(), entity.name(), entity.createdAt());
    }
}
