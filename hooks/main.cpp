// hotseat-hook <domain> <op> <subop> -   (domain XML on stdin). See hook.h.
#include <libxml/parser.h>

#include <cstdio>
#include <cstdlib>

#include "hook.h"

namespace {

std::string env_or(const char* name, const char* fallback) {
    const char* value = std::getenv(name);
    return value && *value ? value : fallback;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s DOMAIN OP SUBOP [-]   (libvirt qemu hook; domain XML on stdin)\n", argv[0]);
        return 2;
    }
    hotseat::hook::Invocation invocation;
    invocation.domain = argv[1];
    invocation.op = argv[2];
    invocation.subop = argv[3];
    invocation.config_path = env_or("HOTSEAT_CONFIG", "/etc/hotseat/hotseat.toml");
    invocation.runtime_dir = env_or("HOTSEAT_RUNTIME_DIR", "/run/hotseat");
    xmlInitParser();
    int status = hotseat::hook::run_hook(invocation);
    xmlCleanupParser();
    return status;
}
