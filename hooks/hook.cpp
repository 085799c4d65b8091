#include "hook.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "config/file_reader.h"
#include "config_gate.h"
#include "domain_xml.h"
#include "hook_log.h"
#include "hotseat/config.h"
#include "journal.h"
#include "prepare.h"
#include "release.h"
#include "release_report.h"
#include "runtime_dir.h"
#include "runtime_lock.h"

namespace hotseat::hook {
namespace {

// The undo log's file name comes from the domain name: it must stay one path component.
bool usable_as_file_name(const std::string& domain) {
    return is_record_token(domain) && domain.find('/') == std::string::npos && domain != "." && domain != "..";
}

// At most one byte more than the limit, so a larger document is recognised without reading it.
std::optional<std::string> read_xml(int fd, std::string* error) {
    std::string xml;
    char buffer[65536];
    while (xml.size() <= kMaxDomainXmlBytes) {
        ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, kMaxDomainXmlBytes + 1 - xml.size()));
        if (n == 0) return xml;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            *error = std::string("cannot read the domain XML on stdin: ") + std::strerror(errno);
            return std::nullopt;
        }
        xml.append(buffer, static_cast<std::size_t>(n));
    }
    *error = "the domain XML on stdin is larger than 1 MiB: refused";
    return std::nullopt;
}

// The [[vm]] entry of this domain; nullopt when it is not ours or when we cannot tell. A domain
// the config text cannot name is not ours before the config is parsed (config_gate.h): nothing
// in hotseat's config, not even one the parser cannot survive, may fail another domain's start.
std::optional<VmConfig> our_vm(const Invocation& invocation, const Log& log) {
    auto file = config::read_root_owned_file(invocation.config_path);
    if (file.text && !config_may_name(*file.text, invocation.domain)) return std::nullopt;
    ConfigLoad load;
    if (file.text)
        load = load_config_string(*file.text, invocation.config_path);
    else
        load.errors.push_back(ConfigError{invocation.config_path, 0, 0, file.error});
    if (!load.config) {
        for (const auto& problem : load.errors) log.error(problem.to_string());
        log.error("cannot read the config, so cannot tell whether this domain is hotseat's: leaving it alone");
        return std::nullopt;
    }
    const VmConfig* vm = load.config->find_vm(invocation.domain);
    if (!vm) return std::nullopt;
    return *vm;
}

int prepare_domain(const Invocation& invocation, const Log& log) {
    auto vm = our_vm(invocation, log);
    if (!vm) return 0;
    std::string error;
    auto xml = read_xml(invocation.xml_fd, &error);
    auto needs = xml ? parse_domain_xml(*xml, &error) : std::nullopt;
    if (!needs) {
        log.error(error);
        return 1;
    }
    if (needs->name != invocation.domain)
        log.warning("the XML on stdin describes '", needs->name, "', not this domain; going by it all the same");
    auto dir = RuntimeDir::open(invocation.runtime_dir, RuntimeDir::IfMissing::Create, &error);
    auto lock = dir ? RuntimeLock::acquire(*dir, &error) : std::nullopt;
    if (!lock) {
        log.error(error);
        return 1;
    }
    forget_release_record(*dir, invocation.domain, log);
    return prepare({*needs, vm->gpu, undo_log_name(invocation.domain)}, *dir, log);
}

// release and reconnect go by the undo log, not by the config: a log exists only for a domain
// hotseat prepared, even if the config has changed since. A domain without one is not looked at
// further, so a runtime directory the hook refuses bothers only the domains it holds logs of.
using UndoAction = int (*)(const RuntimeDir&, const std::string&, const Log&);
int from_undo_log(const Invocation& invocation, const Log& log, UndoAction action) {
    const std::string name = undo_log_name(invocation.domain);
    struct stat st {};
    if (::lstat((invocation.runtime_dir + "/" + name).c_str(), &st) != 0) return 0;
    std::string error;
    auto dir = RuntimeDir::open(invocation.runtime_dir, RuntimeDir::IfMissing::Skip, &error);
    auto lock = dir ? RuntimeLock::acquire(*dir, &error) : std::nullopt;
    if (!lock) {
        if (!error.empty()) log.error(error, ": nothing undone");
        return action == &release && !error.empty() ? 1 : 0;
    }
    return action(*dir, name, log);
}

// After the undo log: the release record for hotseatd, for a domain the config names (its gpu
// list). Quiet when the config cannot be read: prepare said why at the start.
void record_release(const Invocation& invocation, const Log& log) {
    ConfigLoad load = load_config_file(invocation.config_path);
    const VmConfig* vm = load.config ? load.config->find_vm(invocation.domain) : nullptr;
    if (!vm) return;
    std::string error;
    auto dir = RuntimeDir::open(invocation.runtime_dir, RuntimeDir::IfMissing::Create, &error);
    if (!dir) {
        log.warning("no release record for hotseatd: ", error);
        return;
    }
    write_release_record(*dir, read_release_state(invocation.domain, vm->gpu), log);
}

int release_domain(const Invocation& invocation, const Log& log) {
    int status = from_undo_log(invocation, log, &release);
    record_release(invocation, log);
    return status;
}

}  // namespace

int run_hook(const Invocation& invocation) {
    if (!usable_as_file_name(invocation.domain)) return 0;  // never a hotseat VM name
    Log log(invocation.domain);
    if (invocation.op == "prepare" && invocation.subop == "begin") return prepare_domain(invocation, log);
    if (invocation.op == "release" && invocation.subop == "end") return release_domain(invocation, log);
    if (invocation.op == "reconnect" && invocation.subop == "begin") return from_undo_log(invocation, log, &reconnect);
    return 0;
}

}  // namespace hotseat::hook
