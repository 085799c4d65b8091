#include "gpus.h"

#include <algorithm>

namespace hotseat::ctl::doctor {

std::vector<GpuUse> configured_gpus(DoctorContext& context) {
    std::vector<GpuUse> out;
    for (const auto& vm : context.config().vms)
        for (std::string address : vm.gpu) {
            std::transform(address.begin(), address.end(), address.begin(),
                           [](unsigned char c) { return std::tolower(c); });
            auto use = std::find_if(out.begin(), out.end(), [&](const GpuUse& g) { return g.address == address; });
            if (use == out.end()) use = out.insert(out.end(), GpuUse{address, {}, ""});
            use->vms.push_back(vm.name);
            if (use->holder.empty() && context.domain(vm.name).active) use->holder = vm.name;
        }
    return out;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
    return out;
}

}  // namespace hotseat::ctl::doctor
