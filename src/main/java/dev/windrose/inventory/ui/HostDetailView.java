package dev.windrose.inventory.ui;

import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import dev.windrose.MainLayout;
import dev.windrose.common.ui.BrowserTime;
import dev.windrose.common.NotFoundException;
import dev.windrose.common.ui.Sizes;
import dev.windrose.inventory.DiskFilter;
import dev.windrose.inventory.DiskService;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import jakarta.annotation.security.PermitAll;
import org.springframework.data.domain.PageRequest;

/** Everything known about one host, and how many disks it has. */
@Route(value = "hosts/:" + HostDetailView.ID, layout = MainLayout.class)
@PermitAll
class HostDetailView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    static final String ID = "id";

    private final HostService hosts;
    private final DiskService disks;

    HostDetailView(HostService hosts, DiskService disks) {
        this.hosts = hosts;
        this.disks = disks;
    }

    /** The browser tab names the host. */
    private String title = "Host";

    @Override
    public String getPageTitle() {
        return title;
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        String id = event.getRouteParameters().get(ID).orElse("");
        try {
            HostInfo host = hosts.get(new HostId(Long.parseLong(id)));
            show(host);
            // Times are in the browser's zone: once it has told it, they are written again in it.
            BrowserTime.ask(event.getUI(), () -> {
                removeAll();
                show(host);
            });
        } catch (NumberFormatException | NotFoundException missing) {
            add(new H2("No such host"), new Span("There is no host with id " + id + "."));
        }
    }

    private void show(HostInfo host) {
        title = "Host " + host.name();
        FormLayout facts = new FormLayout();
        facts.addFormItem(HostsView.state(host), "State");
        facts.addFormItem(new Span(host.name()), "Name");
        facts.addFormItem(new Span(host.machineId()), "Machine id");
        facts.addFormItem(new Span(String.join(", ", host.addresses())), "Addresses");
        facts.addFormItem(new Span(host.osName()), "Operating system");
        facts.addFormItem(new Span(host.kernel()), "Kernel");
        facts.addFormItem(new Span(host.cpuCores() + ""), "CPU cores");
        facts.addFormItem(new Span(host.memoryBytes() > 0 ? Sizes.bytes(host.memoryBytes()) : "unknown"), "Memory");
        facts.addFormItem(new Span(host.dataplaneVersion()), "Dataplane version");
        facts.addFormItem(new Span(host.dataplaneMode()), "Dataplane mode");
        facts.addFormItem(new Span(BrowserTime.format(host.registeredAt())), "Registered");
        facts.addFormItem(new Span(BrowserTime.format(host.lastHeartbeatAt())), "Last heartbeat");
        long diskCount = disks.list(new DiskFilter(host.id(), null, null, null, false), PageRequest.of(0, 1))
                .getTotalElements();
        long eligible = disks.list(new DiskFilter(host.id(), null, null, null, true), PageRequest.of(0, 1))
                .getTotalElements();
        facts.addFormItem(new Span(diskCount + " (" + eligible + " free for pools)"), "Disks");
        add(new H2(host.name() + (host.local() ? " (this host)" : "")), facts);
    }
}
