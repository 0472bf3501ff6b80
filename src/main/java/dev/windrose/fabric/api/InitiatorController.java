package dev.windrose.fabric.api;

import dev.windrose.fabric.InitiatorInfo;
import dev.windrose.fabric.InitiatorService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/initiators")
@Tag(name = "Initiators", description = "Known host NQNs with friendly names")
class InitiatorController {

    private final InitiatorService initiators;

    InitiatorController(InitiatorService initiators) {
        this.initiators = initiators;
    }

    record NewInitiatorRequest(@NotBlank String hostNqn, @NotNull String name) {
    }

    @GetMapping
    @Operation(summary = "Known initiators, by name")
    List<InitiatorInfo> list() {
        return initiators.list();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Name a host NQN (operators)", description = "400 for an invalid NQN or name; 409 when it is known.")
    InitiatorInfo add(@Valid @RequestBody NewInitiatorRequest request) {
        return initiators.add(request.hostNqn(), request.name());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Forget an initiator (operators); subsystems that allow it keep allowing it")
    void remove(@PathVariable long id) {
        initiators.remove(id);
    }
}
