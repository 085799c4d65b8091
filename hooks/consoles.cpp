#include "consoles.h"

#include <algorithm>

#include "sysfs.h"

namespace hotseat::hook {
namespace {

const std::string kVtconsoleDir = "/sys/class/vtconsole";
const std::string kPlatformDrivers = "/sys/bus/platform/drivers";

// The vtconsoles named "frame buffer" that are bound; the others are skipped, unreadable ones
// with a warning when `log` is given.
std::vector<std::string> framebuffer_vtconsoles(const Log* log) {
    std::vector<std::string> found;
    for (const auto& entry : sysfs::list(kVtconsoleDir)) {
        if (!is_vtconsole_name(entry.name)) continue;
        std::string dir = kVtconsoleDir + "/" + entry.name;
        std::string error;
        auto name = sysfs::read(dir + "/name", &error);
        auto bound = name ? sysfs::read(dir + "/bind", &error) : std::nullopt;
        if (!bound) {
            if (log) log->warning("skipping ", entry.name, ": ", error);
        } else if (name->find("frame buffer") != std::string::npos && *bound == "1") {
            found.push_back(entry.name);
        }
    }
    return found;
}

// Runs one change under the journal: recorded before, confirmed after.
template <typename Change>
Status journaled(Step draft, Journal& journal, Change change) {
    Status status;
    Step* step = journal.begin(std::move(draft), &status);
    if (!step) return status;
    status = change(*step);
    return status ? journal.done(*step) : status;
}

Status unbind_vtconsole(const std::string& vtcon, Journal& journal, const Log& log) {
    Step draft;
    draft.kind = StepKind::Vtconsole;
    draft.name = vtcon;
    return journaled(draft, journal, [&](const Step&) {
        Status status = sysfs::write(kVtconsoleDir + "/" + vtcon + "/bind", "0");
        if (status) log.info("unbound ", vtcon, " from the frame buffer console");
        return status;
    });
}

// Best effort (see consoles.h): a refusal is logged and the step closed at once, so that release
// does not try to rebind what was never unbound. Fails only when the journal cannot be written.
Status unbind_framebuffer(std::string_view driver, const std::string& device, Journal& journal, const Log& log) {
    Step draft;
    draft.kind = StepKind::Framebuffer;
    draft.driver = driver;
    draft.name = device;
    Status recorded;
    Step* step = journal.begin(std::move(draft), &recorded);
    if (!step) return recorded;
    Status written = sysfs::write(kPlatformDrivers + "/" + std::string(driver) + "/unbind", device);
    if (written) {
        log.info("unbound ", device, " from ", driver);
        return journal.done(*step);
    }
    log.warning("could not unbind ", device, " from ", driver, " (", written.error(),
                "); going on: vfio-pci removes the boot framebuffer itself on kernel 6.0 and later");
    recorded = journal.undoing(*step);
    return recorded ? journal.undone(*step) : recorded;
}

// Bound devices appear in the driver's directory as links; "module" is the only other link.
std::vector<std::string> bound_devices(std::string_view driver) {
    std::vector<std::string> devices;
    for (const auto& entry : sysfs::list(kPlatformDrivers + "/" + std::string(driver)))
        if (entry.is_link && entry.name != "module" && is_platform_device_name(entry.name))
            devices.push_back(entry.name);
    return devices;
}

}  // namespace

std::vector<std::string> boot_gpus(const std::vector<std::string>& devices) {
    std::vector<std::string> boot;
    for (const auto& device : devices) {
        std::string error;
        auto boot_vga = sysfs::read("/sys/bus/pci/devices/" + device + "/boot_vga", &error);
        bool is_boot = boot_vga && *boot_vga == "1";
        if (is_boot && std::find(boot.begin(), boot.end(), device) == boot.end()) boot.push_back(device);
    }
    return boot;
}

Status detach_host_console(Journal& journal, const Log& log) {
    for (const auto& vtcon : framebuffer_vtconsoles(&log)) {
        Status status = unbind_vtconsole(vtcon, journal, log);
        if (!status) return status;
    }
    for (const auto& driver : kFramebufferDrivers) {
        for (const auto& device : bound_devices(driver)) {
            Status status = unbind_framebuffer(driver, device, journal, log);
            if (!status) return status;
        }
    }
    return Status::ok();
}

Status undo_vtconsole(Step& step, Journal& journal, const Log& log) {
    Status recorded = journal.undoing(step);
    if (!recorded) return recorded;
    Status written = sysfs::write(kVtconsoleDir + "/" + step.name + "/bind", "1");
    if (written) log.info("rebound ", step.name, " to the frame buffer console");
    return written ? journal.undone(step) : written;
}

Status undo_framebuffer(Step& step, Journal& journal, const Log& log) {
    bool maybe_unbound = step.state == StepState::Pending;
    Status recorded = journal.undoing(step);
    if (!recorded) return recorded;
    Status written = sysfs::write(kPlatformDrivers + "/" + step.driver + "/bind", step.name);
    if (written) log.info("rebound ", step.name, " to ", step.driver);
    // A step cut short may never have unbound the device: then the kernel refuses the bind.
    else if (maybe_unbound)
        log.info("rebinding ", step.name, " (its unbind may never have happened): ", written.error());
    // Best effort (consoles.h): the device may be gone for good; the GPU's driver gives the
    // host its console back.
    else
        log.info("could not rebind ", step.name, " to ", step.driver, " (", written.error(),
                 "); the host's console comes back with the GPU's own driver");
    return journal.undone(step);
}

bool frame_buffer_console_bound() { return !framebuffer_vtconsoles(nullptr).empty(); }

}  // namespace hotseat::hook
