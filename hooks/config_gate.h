// Which domains are hotseat's, decided before the config is parsed (hotseat.toml(5) [[vm]], issue #19).
// libvirtd runs the hook for every domain on the host and refuses a start whose `prepare` hook
// fails or crashes, so nothing about hotseat's config may ever break a domain the config does
// not name: not a config that is invalid, nor one that would crash the parser.
#pragma once

#include <string_view>

namespace hotseat::hook {

// False when `config_text` cannot name `domain` in any [[vm]] entry: a name is a TOML string,
// whose text occurs in the file as it is unless escapes spell it, and every escape needs a
// backslash. So a domain whose name does not occur in a text without any backslash is not ours,
// and the config need not (and must not, for that domain) be parsed at all. True means "maybe":
// the config is then parsed and decides.
bool config_may_name(std::string_view config_text, std::string_view domain);

}  // namespace hotseat::hook
