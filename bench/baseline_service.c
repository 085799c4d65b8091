/* bench_baseline_service: the like-for-like baseline of the trigger and D-Bus benchmarks
 * (docs/benchmarks.md). It is the least a C program built from hotseatd's own libraries (libudev,
 * sd-bus, sd-event) must do to be measured the way hotseatd is measured, and nothing more: it owns
 * org.hotseat.Supervisor1 and exports one VM object at hotseatd's path with the same interface
 * and properties (values as hotseatd publishes an idle VM), so that a client reads and watches it
 * exactly as it reads and watches hotseatd.
 *
 *   bench_baseline_service [--udev drm|usb]
 *
 * --udev drm: on each uevent of a DRM card, reads the status of the card's connectors (sysfs,
 *             through libudev, as hotseatd must: a hotplug uevent does not say what changed);
 *             State becomes "running" when one is connected, "off" when none is.
 * --udev usb: State becomes "running" when a USB device with ID_VENDOR_ID=feed is added, "off"
 *             when it is removed.
 * Each change of State is one PropertiesChanged signal. READY=1 goes to $NOTIFY_SOCKET once the
 * name is owned and the monitor listens. */
#include <errno.h>
#include <libudev.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>
#include <sys/epoll.h>

#define VM_PATH "/org/hotseat/Supervisor1/vm/arch_2ddesktop"
#define VM_INTERFACE "org.hotseat.Supervisor1.VM"

struct vm {
    const char *name, *state, *step, *reason, *last_error, *guest_helper, *idle_inhibitor;
    uint64_t state_changed_at;
};

struct service {
    sd_bus* bus;
    struct udev_monitor* monitor;
    const char* subsystem;
    struct vm vm;
};

static int devices(sd_bus* bus, const char* path, const char* interface, const char* property, sd_bus_message* reply,
                   void* userdata, sd_bus_error* error) {
    (void)bus, (void)path, (void)interface, (void)property, (void)userdata, (void)error;
    return sd_bus_message_append_strv(reply, NULL); /* no USB device attached */
}

static int pending_stop(sd_bus* bus, const char* path, const char* interface, const char* property,
                        sd_bus_message* reply, void* userdata, sd_bus_error* error) {
    (void)bus, (void)path, (void)interface, (void)property, (void)userdata, (void)error;
    return sd_bus_message_append(reply, "(tss)", (uint64_t)0, "", ""); /* no stop announced */
}

/* NULL getters: sd-bus reads the value at the offset (a char * for "s"). */
static const sd_bus_vtable vm_vtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_PROPERTY("Name", "s", NULL, offsetof(struct vm, name), SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_PROPERTY("State", "s", NULL, offsetof(struct vm, state), SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("Step", "s", NULL, offsetof(struct vm, step), SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("Reason", "s", NULL, offsetof(struct vm, reason), SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("LastError", "s", NULL, offsetof(struct vm, last_error), SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("StateChangedAt", "t", NULL, offsetof(struct vm, state_changed_at),
                    SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("Devices", "as", devices, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("GuestHelper", "s", NULL, offsetof(struct vm, guest_helper), SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("PendingStop", "(tss)", pending_stop, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_PROPERTY("IdleInhibitor", "s", NULL, offsetof(struct vm, idle_inhibitor),
                    SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
    SD_BUS_VTABLE_END};

static void set_state(struct service* s, const char* state) {
    if (strcmp(s->vm.state, state) == 0) return;
    s->vm.state = state;
    int r = sd_bus_emit_properties_changed(s->bus, VM_PATH, VM_INTERFACE, "State", NULL);
    if (r < 0) fprintf(stderr, "baseline: PropertiesChanged: %s\n", strerror(-r));
}

static int any_connector_connected(struct udev* udev, struct udev_device* card) {
    struct udev_enumerate* e = udev_enumerate_new(udev);
    udev_enumerate_add_match_parent(e, card);
    udev_enumerate_add_match_subsystem(e, "drm");
    udev_enumerate_scan_devices(e);
    int connected = 0;
    struct udev_list_entry* entry;
    udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e)) {
        struct udev_device* d = udev_device_new_from_syspath(udev, udev_list_entry_get_name(entry));
        if (!d) continue;
        const char* status = udev_device_get_sysattr_value(d, "status");
        connected |= status && strcmp(status, "connected") == 0;
        udev_device_unref(d);
    }
    udev_enumerate_unref(e);
    return connected;
}

static int on_uevent(sd_event_source* source, int fd, uint32_t revents, void* userdata) {
    (void)source, (void)fd, (void)revents;
    struct service* s = userdata;
    struct udev_device* d;
    while ((d = udev_monitor_receive_device(s->monitor))) {
        const char* action = udev_device_get_action(d);
        if (strcmp(s->subsystem, "drm") == 0) {
            if (udev_device_get_devtype(d) && strcmp(udev_device_get_devtype(d), "drm_minor") == 0)
                set_state(s, any_connector_connected(udev_device_get_udev(d), d) ? "running" : "off");
        } else {
            const char* vendor = udev_device_get_property_value(d, "ID_VENDOR_ID");
            if (vendor && strcmp(vendor, "feed") == 0 && action)
                set_state(s, strcmp(action, "add") == 0      ? "running"
                             : strcmp(action, "remove") == 0 ? "off"
                                                             : s->vm.state);
        }
        udev_device_unref(d);
    }
    return 0;
}

static int fail(const char* what, int r) {
    fprintf(stderr, "baseline: %s: %s\n", what, strerror(r < 0 ? -r : r));
    return EXIT_FAILURE;
}

int main(int argc, char** argv) {
    struct service s = {.vm = {"arch-desktop", "off", "", "", "", "", "", 0}};
    if (argc == 3 && strcmp(argv[1], "--udev") == 0)
        s.subsystem = argv[2];
    else if (argc != 1) {
        fprintf(stderr, "usage: %s [--udev drm|usb]\n", argv[0]);
        return 2;
    }
    sd_event* loop = NULL;
    int r = sd_event_default(&loop);
    if (r < 0) return fail("sd_event_default", r);
    if ((r = sd_bus_open_system(&s.bus)) < 0) return fail("system bus", r);
    if ((r = sd_bus_add_object_vtable(s.bus, NULL, VM_PATH, VM_INTERFACE, vm_vtable, &s.vm)) < 0)
        return fail("vtable", r);
    if ((r = sd_bus_request_name(s.bus, "org.hotseat.Supervisor1", 0)) < 0) return fail("request name", r);
    if ((r = sd_bus_attach_event(s.bus, loop, SD_EVENT_PRIORITY_NORMAL)) < 0) return fail("attach bus", r);
    struct udev* udev = NULL;
    if (s.subsystem) {
        udev = udev_new();
        s.monitor = udev_monitor_new_from_netlink(udev, "udev");
        if (!s.monitor) return fail("udev monitor", errno);
        udev_monitor_filter_add_match_subsystem_devtype(s.monitor, s.subsystem, NULL);
        if ((r = udev_monitor_enable_receiving(s.monitor)) < 0) return fail("udev monitor", r);
        r = sd_event_add_io(loop, NULL, udev_monitor_get_fd(s.monitor), EPOLLIN, on_uevent, &s);
        if (r < 0) return fail("watch udev monitor", r);
    }
    sd_notify(0, "READY=1");
    r = sd_event_loop(loop);
    udev_monitor_unref(s.monitor);
    udev_unref(udev);
    sd_bus_flush_close_unref(s.bus);
    sd_event_unref(loop);
    return r < 0 ? fail("event loop", r) : EXIT_SUCCESS;
}
