package dev.windrose.inventory.api;

import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.common.Paging;
import dev.windrose.common.Paging.PageView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/hosts")
@Tag(name = "Hosts", description = "The nodes running Windrose; each registers itself and keeps a heartbeat")
class HostController {

    private final HostService hosts;

    HostController(HostService hosts) {
        this.hosts = hosts;
    }

    @GetMapping
    @Operation(summary = "A page of hosts, by name")
    PageView<HostInfo> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        return PageView.of(hosts.list(Paging.request(page, size)), host -> host);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Everything known about one host")
    HostInfo get(@PathVariable long id) {
        return hosts.get(new HostId(id));
    }
}
