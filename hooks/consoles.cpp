#include "consoles.h"

#include <algorithm>

#include "sysfs.h"

namespace hotseat::hook {
namespace {

const std::string kVtconsoleDir = "/sys/class/vtconsole";
const std::string kPlatformDrivers = "/sys/bus/platform/drivers";
// Drivers of the framebuffers firmware leaves behind (simple-framebuffer is also simpledrm).
const std::vector<std::string> kFramebufferDrivers = {"efi-framebuffer", "simple-framebuffer", "vesa-framebuffer"};

std::vector<std::string> framebuffer_vtconsoles(const Log& log) {
    std::vector<std::string> found;
    for (const auto& entry : sysfs::list(kVtconsoleDir)) {
        std::string dir = kVtconsoleDir + "/" + entry.name;
        std::string error;
        auto name = sysfs::read(dir + "/name", &error);
        auto bound = name ? sysfs::read(dir + "/bind", &error) : std::nullopt;
        if (!bound) log.warning("skipping ", entry.name, ": ", error);
        else if (name->find("frame buffer") != std::string::npos && *bound == "1") found.push_back(entry.name);
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

Status unbind_framebuffer(const std::string& driver, const std::string& device, Journal& journal,
                          const Log& log) {
    Step draft;
    draft.kind = StepKind::Framebuffer;
    draft.driver = driver;
    draft.name = device;
    return journaled(draft, journal, [&](const Step&) {
        Status status = sysfs::write(kPlatformDrivers + "/" + driver + "/unbind", device);
        if (status) log.info("unbound ", device, " from ", driver);
        return status;
    });
}

// Bound devices appear in the driver's directory as links; "module" is the only other link.
std::vector<std::string> bound_devices(const std::string& driver) {
    std::vector<std::string> devices;
    for (const auto& entry : sysfs::list(kPlatformDrivers + "/" + driver))
        if (entry.is_link && entry.name != "module" && is_record_token(entry.name)) devices.push_back(entry.name);
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
    for (const auto& vtcon : framebuffer_vtconsoles(log)) {
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
    else if (maybe_unbound) log.info("rebinding ", step.name, " (its unbind may never have happened): ", written.error());
    return written || maybe_unbound ? journal.undone(step) : written;
}

}  // namespace hotseat::hook
