// hotseat-hook: the libvirt qemu hook (docs/design.md "The hook"). libvirtd runs it as
// `hotseat-hook <domain> <op> <subop> -` with the domain XML on stdin, synchronously, as root.
#pragma once

#include <string>

namespace hotseat::hook {

struct Invocation {
    std::string domain;
    std::string op;           // prepare, start, started, stopped, release, reconnect, ...
    std::string subop;        // begin, end, -
    std::string config_path;  // $HOTSEAT_CONFIG, default /etc/hotseat/hotseat.toml
    std::string runtime_dir;  // $HOTSEAT_RUNTIME_DIR, default /run/hotseat
    int xml_fd = 0;           // the domain XML; read only by `prepare begin`
};

// The exit status for libvirtd. Only a `prepare begin` of a domain named in the config can
// fail (and so stop the start); every other case exits 0 so no other VM is ever affected.
int run_hook(const Invocation& invocation);

}  // namespace hotseat::hook
