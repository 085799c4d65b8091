#include "config_gate.h"

namespace hotseat::hook {

bool config_may_name(std::string_view config_text, std::string_view domain) {
    if (domain.empty()) return true;  // never a libvirt domain name; the config decides
    return config_text.find(domain) != std::string_view::npos || config_text.find('\\') != std::string_view::npos;
}

}  // namespace hotseat::hook
