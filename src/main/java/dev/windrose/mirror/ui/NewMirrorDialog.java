package dev.windrose.mirror.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import dev.windrose.cluster.NodeUnavailableException;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.Notices;
import dev.windrose.mirror.MirrorService;
import dev.windrose.mirror.MirrorService.NewMirroredVolume;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.storage.PoolType;
import java.util.List;
import org.springframework.data.domain.PageRequest;

/** Name, size and a directory pool on each of two nodes; errors stay in the dialog, on their field. */
class NewMirrorDialog extends Dialog {

    private static final int MAX_POOLS = 500;
    private final TextField name = new TextField("Name");
    private final IntegerField sizeMib = new IntegerField("Size (MiB)");
    private final Select<PoolInfo> poolA = new Select<>();
    private final Select<PoolInfo> poolB = new Select<>();

    NewMirrorDialog(MirrorService mirrors, PoolService pools, Runnable created) {
        setHeaderTitle("New mirrored volume");
        List<PoolInfo> directoryPools = pools.list(null, PoolType.DIRECTORY, PageRequest.of(0, MAX_POOLS)).getContent();
        for (Select<PoolInfo> pool : List.of(poolA, poolB)) {
            pool.setItems(directoryPools);
            pool.setItemLabelGenerator(p -> p.name() + " (node #" + p.hostId().value() + ")");
            pool.setHelperText("A directory pool; the two legs must be on two different nodes.");
        }
        poolA.setLabel("First leg's pool");
        poolB.setLabel("Second leg's pool");
        sizeMib.setValue(1024);
        sizeMib.setMin(1);
        sizeMib.setStepButtonsVisible(true);
        Button create = new Button("Create", click -> create(mirrors, created));
        create.addThemeVariants(ButtonVariant.PRIMARY);
        add(new FormLayout(name, sizeMib, poolA, poolB));
        getFooter().add(new Button("Cancel", click -> close()), create);
    }

    private void create(MirrorService mirrors, Runnable created) {
        if (poolA.getValue() == null || poolB.getValue() == null || sizeMib.getValue() == null) {
            Notices.error("Choose a pool for each leg and a size.");
            return;
        }
        try {
            mirrors.create(new NewMirroredVolume(name.getValue(), sizeMib.getValue() * 1024L * 1024L,
                    poolA.getValue().id().value(), poolB.getValue().id().value()));
            Notices.success("Mirrored volume " + name.getValue().strip() + " created on two nodes.");
            created.run();
            close();
        } catch (InvalidInputException e) {
            showError(fieldNamed(e.field()), e.getMessage());
        } catch (ConflictException | NodeUnavailableException e) {
            showError(name, e.getMessage());
        }
    }

    /** The field the server named; the name field for anything else (it heads the form). */
    private HasValidation fieldNamed(String field) {
        return switch (field) {
            case "poolA" -> poolA;
            case "poolB" -> poolB;
            case "sizeBytes" -> sizeMib;
            default -> name;
        };
    }

    private static void showError(HasValidation field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
    }
}
