#include "release_report.h"

#include "consoles.h"
#include "hotseat/release_record.h"
#include "sysfs.h"

namespace hotseat::hook {

GpuRelease read_release_state(const std::string& domain, const std::vector<std::string>& gpus) {
    GpuRelease record;
    record.vm = domain;
    for (const auto& address : gpus) {
        std::string driver = sysfs::link_name("/sys/bus/pci/devices/" + address + "/driver");
        record.gpus.push_back(GpuDriver{address, is_driver_name(driver) ? driver : ""});
    }
    record.console_bound = frame_buffer_console_bound();
    return record;
}

void write_release_record(const RuntimeDir& dir, const GpuRelease& record, const Log& log) {
    Status written = dir.replace(release_record_name(record.vm), format_release_record(record));
    if (!written) log.warning("no release record for hotseatd: ", written.error());
}

void forget_release_record(const RuntimeDir& dir, const std::string& domain, const Log& log) {
    Status removed = dir.remove(release_record_name(domain));
    if (!removed) log.warning(removed.error());
}

}  // namespace hotseat::hook
