package dev.windrose.onboarding.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.checkbox.CheckboxGroupVariant;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.Sizes;
import dev.windrose.dataplane.EmbeddedTarget;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.onboarding.OnboardingProgress;
import dev.windrose.onboarding.OnboardingService;
import dev.windrose.onboarding.WizardStep;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Step 1: name the cluster, confirm this host, choose the listener addresses and port. */
final class ClusterStep implements StepPanel {

    static final String NAME = "clusterName";
    static final String ADDRESSES = "addresses";
    static final String PORT = "port";
    static final int DEFAULT_PORT = 4420;

    private final OnboardingService onboarding;
    private final HostService hosts;
    private final EmbeddedTarget target;
    private final TextField name = new TextField("Cluster name");
    private final Paragraph host = new Paragraph();
    private final CheckboxGroup<String> addresses = new CheckboxGroup<>("Listener addresses");
    private final IntegerField port = new IntegerField("Listener port");
    private final VerticalLayout view;

    ClusterStep(OnboardingService onboarding, HostService hosts, EmbeddedTarget target) {
        this.onboarding = onboarding;
        this.hosts = hosts;
        this.target = target;
        name.setRequired(true);
        name.setHelperText("How this group of storage hosts is called in the console, e.g. \"Branch office\".");
        name.setValueChangeMode(ValueChangeMode.EAGER);
        name.addValueChangeListener(change -> {
            if (change.isFromClient()) {
                checkName();
            }
        });
        name.setWidth("24rem");
        host.addClassName("wizard-host");
        addresses.addThemeVariants(CheckboxGroupVariant.LUMO_VERTICAL);
        addresses.setItemLabelGenerator(ClusterStep::addressLabel);
        addresses.setHelperText("Initiators connect to these addresses of this host. A loopback address serves only "
                + "this machine (and virtual machines it runs).");
        port.setMin(1);
        port.setMax(65535);
        port.setHelperText("4420 is the NVMe/TCP port; the console's target already listens on "
                + targetPort() + ".");
        view = new VerticalLayout(new Paragraph("Name the cluster, check that this is the host you mean, and choose "
                + "where initiators will reach it."), name, host, addresses, port);
        view.setPadding(false);
    }

    @Override
    public WizardStep step() {
        return WizardStep.CLUSTER;
    }

    @Override
    public Component view() {
        return view;
    }

    @Override
    public void show(OnboardingProgress progress) {
        HostInfo local = hosts.local();
        host.setText("This host: " + local.name() + " · " + local.osName() + " · " + local.cpuCores() + " CPU cores · "
                + (local.memoryBytes() > 0 ? Sizes.bytes(local.memoryBytes()) + " memory" : "memory unknown"));
        Map<String, String> stored = progress.fieldsOf(WizardStep.CLUSTER);
        name.setValue(stored.getOrDefault(NAME, progress.clusterName() == null ? "" : progress.clusterName()));
        LinkedHashSet<String> items = new LinkedHashSet<>(local.addresses());
        List<String> chosen = Fields.list(stored.get(ADDRESSES));
        items.addAll(chosen);
        addresses.setItems(items);
        addresses.setValue(new LinkedHashSet<>(stored.containsKey(ADDRESSES) ? chosen : defaultAddresses(local)));
        Integer storedPort = Fields.integer(stored.get(PORT));
        port.setValue(storedPort != null ? storedPort : targetPort());
    }

    @Override
    public Map<String, String> typed() {
        return Map.of(NAME, name.getValue(), ADDRESSES, Fields.join(chosenAddresses()), PORT, Fields.text(port.getValue()));
    }

    @Override
    public void next(OnboardingProgress progress) {
        if (chosenAddresses().isEmpty()) {
            throw new InvalidInputException(ADDRESSES, "Choose at least one address: initiators need one to connect.");
        }
        Integer chosenPort = port.getValue();
        if (chosenPort == null || chosenPort < 1 || chosenPort > 65535) {
            throw new InvalidInputException(PORT, "A port is 1 to 65535; 4420 is the NVMe/TCP port.");
        }
        onboarding.nameCluster(name.getValue(), typed());
    }

    @Override
    public boolean markInvalid(String field, String message) {
        switch (field) {
            case NAME -> Fields.mark(name, message);
            case ADDRESSES -> Fields.mark(addresses, message);
            case PORT -> Fields.mark(port, message);
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public void clearInvalid() {
        Fields.unmark(name, addresses, port);
    }

    private List<String> chosenAddresses() {
        // In the order they are listed, so the first listener (and the shown command) is predictable.
        return addresses.getListDataView().getItems().filter(addresses.getValue()::contains).toList();
    }

    private void checkName() {
        try {
            OnboardingService.validClusterName(name.getValue());
            name.setInvalid(false);
        } catch (InvalidInputException refused) {
            Fields.mark(name, refused.getMessage());
        }
    }

    private int targetPort() {
        EmbeddedTarget.Status status = target.status();
        return status.running() && status.listenPort() > 0 ? status.listenPort() : DEFAULT_PORT;
    }

    /** A server's first real IPv4 address; loopback when the host has nothing else (a one-machine lab). */
    private static List<String> defaultAddresses(HostInfo local) {
        return local.addresses().stream().filter(a -> !Fields.loopback(a) && !a.contains(":")).findFirst()
                .or(() -> local.addresses().stream().filter(a -> a.startsWith("127.")).findFirst())
                .or(() -> local.addresses().stream().findFirst()).map(List::of).orElse(List.of());
    }

    private static String addressLabel(String address) {
        return Fields.loopback(address) ? address + " (loopback: this machine only)" : address;
    }
}
