#include "libvirt/guest_channel_xml.h"

#include <optional>

namespace hotseat::libvirt {
namespace {

constexpr std::string_view kName = "org.hotseat.guest.0";

// The value of attribute `name` in the start tag `tag` ("<source mode='bind' path='/x'/>"),
// with either quote style. libvirt writes XML entities only for &<>'" which never occur in the
// values looked at here; a value that contains '&' is refused rather than half-decoded.
std::optional<std::string> attribute(std::string_view tag, std::string_view name) {
    for (std::size_t at = tag.find(name); at != std::string_view::npos; at = tag.find(name, at + 1)) {
        bool word_start = at > 0 && (tag[at - 1] == ' ' || tag[at - 1] == '\t' || tag[at - 1] == '\n');
        std::size_t eq = at + name.size();
        if (!word_start || eq + 1 >= tag.size() || tag[eq] != '=') continue;
        char quote = tag[eq + 1];
        if (quote != '\'' && quote != '"') continue;
        std::size_t end = tag.find(quote, eq + 2);
        if (end == std::string_view::npos) return std::nullopt;
        std::string value(tag.substr(eq + 2, end - eq - 2));
        if (value.find('&') != std::string::npos) return std::nullopt;
        return value;
    }
    return std::nullopt;
}

// The first start tag `<element ...>` inside `block`, or empty.
std::string_view start_tag(std::string_view block, std::string_view element) {
    // Appended, not `"<" + std::string(...)`: gcc 12 at -O3 warns -Wrestrict falsely on that
    // (GCC PR 105329).
    std::string open = "<";
    open += element;
    for (std::size_t at = block.find(open); at != std::string_view::npos; at = block.find(open, at + 1)) {
        std::size_t after = at + open.size();
        if (after < block.size() && (block[after] == ' ' || block[after] == '/' || block[after] == '>' ||
                                     block[after] == '\n' || block[after] == '\t')) {
            std::size_t end = block.find('>', after);
            if (end == std::string_view::npos) return {};
            return block.substr(at, end - at + 1);
        }
    }
    return {};
}

}  // namespace

GuestChannelXml find_guest_channel(std::string_view xml) {
    GuestChannelXml found;
    for (std::size_t at = xml.find("<channel"); at != std::string_view::npos; at = xml.find("<channel", at + 1)) {
        std::size_t end = xml.find("</channel>", at);
        if (end == std::string_view::npos) break;
        std::string_view block = xml.substr(at, end - at);
        std::string_view open = start_tag(block, "channel");
        std::string_view target = start_tag(block, "target");
        if (attribute(open, "type") != "unix" || attribute(target, "type") != "virtio" ||
            attribute(target, "name") != kName)
            continue;
        found.present = true;
        std::string_view source = start_tag(block, "source");
        auto mode = attribute(source, "mode");
        if (mode && *mode != "bind") {
            found.problem = "its source has mode='" + *mode + "'; hotseatd needs mode='bind' (QEMU listens)";
            return found;
        }
        found.path = attribute(source, "path").value_or("");
        return found;
    }
    return found;
}

std::string guest_channel_location_problem(std::string_view path) {
    if (path.empty())
        return "the domain leaves the socket's path to libvirt, which makes it in a directory of its own under "
               "/var/lib/libvirt/qemu/channel/target/ that only QEMU's user may enter";
    if (path.find("/../") != std::string_view::npos || path.find("/./") != std::string_view::npos)
        return "the socket's path has . or .. in it: give it plainly";
    if (path.rfind(kGuestChannelDir, 0) == 0) return {};
    if (path.rfind("/run/hotseat/", 0) == 0)
        return "the socket is in /run/hotseat/, the hook's directory, which is root's alone: hotseatd's own user "
               "cannot connect there";
    return {};
}

}  // namespace hotseat::libvirt
