package dev.windrose.storage.ui;

import dev.windrose.cluster.NodeRequestFailedException;
import dev.windrose.cluster.NodeRequestPendingException;
import dev.windrose.cluster.NodeUnavailableException;
import dev.windrose.storage.StorageOnNodes;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.windrose.common.ConflictException;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Notices;
import dev.windrose.common.ui.Sizes;
import dev.windrose.storage.VolumeInfo;
import dev.windrose.storage.VolumeService;

/**
 * Grows a volume: says the most it can grow to (its size plus what its pool has left), starts at what
 * fits (a GiB more, or less when the pool has less), and keeps a refusal in the dialog, beside the
 * size, so the user can correct it instead of starting over.
 */
class GrowVolumeDialog extends Dialog {

    private static final long GIB = 1024L * VolumeService.SIZE_UNIT;

    private final VolumeService volumes;
    private final StorageOnNodes storage;
    private final VolumeInfo volume;
    private final Runnable onGrown;
    private final long most;
    private final SizeField size = new SizeField("New size", 1, "GiB");
    private final Paragraph refusal = new Paragraph();
    private final Button grow = new Button("Grow");

    GrowVolumeDialog(VolumeService volumes, StorageOnNodes storage, VolumeInfo volume, long poolRoomBytes,
            Runnable onGrown) {
        this.volumes = volumes;
        this.storage = storage;
        this.volume = volume;
        this.onGrown = onGrown;
        this.most = volume.sizeBytes() + poolRoomBytes / VolumeService.SIZE_UNIT * VolumeService.SIZE_UNIT;
        setHeaderTitle("Grow volume " + volume.name());
        setWidth("32rem");
        Paragraph now = new Paragraph("Now " + Sizes.bytes(volume.sizeBytes()) + ". A volume can only grow"
                + (volume.attachedSubsystem() == null ? "." : "; connected hosts of " + volume.attachedSubsystem()
                        + " see the new size without reconnecting."));
        size.setHelperText(poolRoomBytes < VolumeService.SIZE_UNIT
                ? "Pool " + volume.poolName() + " has no room left: it cannot grow now."
                : "At most " + Sizes.bytes(most) + ": pool " + volume.poolName() + " has " + Sizes.bytes(poolRoomBytes)
                        + " left.");
        size.setValue(Math.min(most, volume.sizeBytes() + GIB));
        size.addValueChangeListener(change -> validate());
        refusal.addClassName("dialog-refusal");
        refusal.getStyle().set("color", "var(--lumo-error-text-color)");
        VerticalLayout content = new VerticalLayout(now, size, refusal);
        content.setPadding(false);
        add(content);
        grow.addThemeVariants(ButtonVariant.PRIMARY);
        grow.addClickListener(click -> grow());
        getFooter().add(new Button("Cancel", click -> close()), grow);
        validate();
    }

    private boolean validate() {
        Long bytes = size.getValue();
        String problem = bytes == null || bytes <= volume.sizeBytes()
                ? "Give more than the " + Sizes.bytes(volume.sizeBytes()) + " it has."
                : bytes > most ? "At most " + Sizes.bytes(most) + ": that is all pool " + volume.poolName() + " has left."
                : null;
        size.setInvalid(problem != null);
        size.setErrorMessage(problem);
        grow.setEnabled(problem == null);
        return problem == null;
    }

    private void grow() {
        if (!validate()) {
            return;
        }
        try {
            VolumeInfo grown = storage.growVolume(volume.id(), size.getValue());
            // An exported volume's namespace grows on the running target right after this commit.
            String exported = grown.attachedSubsystem() == null ? ""
                    : " Subsystem " + grown.attachedSubsystem() + " serves the new size to its connected hosts"
                            + " (its page says so if that failed).";
            Notices.success("Volume " + grown.name() + " now has " + Sizes.bytes(grown.sizeBytes()) + "." + exported);
            close();
            onGrown.run();
        } catch (NodeRequestPendingException pending) {
            Notices.success(pending.getMessage());
            close();
        } catch (InvalidInputException | ConflictException | NotFoundException | NodeUnavailableException | NodeRequestFailedException refused) {
            refusal.setText(refused.getMessage());
        }
    }
}
