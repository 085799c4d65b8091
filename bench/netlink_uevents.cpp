#include "netlink_uevents.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <glob.h>
#include <linux/netlink.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hotseat::bench {
namespace {

void must(int r, const std::string& what) {
    if (r < 0) throw std::runtime_error(what + ": " + std::strerror(errno));
}

// libudev's filter hash (systemd's string_hash32: MurmurHash2, seed 0).
std::uint32_t murmur2(const std::string& s) {
    const std::uint32_t m = 0x5bd1e995;
    std::uint32_t h = static_cast<std::uint32_t>(s.size());
    const auto* data = reinterpret_cast<const unsigned char*>(s.data());
    size_t len = s.size();
    while (len >= 4) {
        std::uint32_t k;
        std::memcpy(&k, data, 4);
        k *= m;
        k ^= k >> 24;
        k *= m;
        h = h * m ^ k;
        data += 4;
        len -= 4;
    }
    switch (len) {
        case 3: h ^= static_cast<std::uint32_t>(data[2]) << 16; [[fallthrough]];
        case 2: h ^= static_cast<std::uint32_t>(data[1]) << 8; [[fallthrough]];
        case 1: h ^= data[0]; h *= m;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return h;
}

}  // namespace

// One udevd-style message: the libudev header, then KEY=VALUE\0 properties.
std::string udev_message(const std::string& subsystem, const std::string& devtype,
                         const std::vector<std::string>& properties) {
    struct Header {
        char prefix[8];
        std::uint32_t magic, header_size, properties_off, properties_len, subsystem_hash, devtype_hash, bloom_hi,
            bloom_lo;
    } h{};
    std::string body;
    for (const auto& p : properties) body += p + '\0';
    std::memcpy(h.prefix, "libudev", 8);
    h.magic = htonl(0xfeedcafe);
    h.header_size = sizeof h;
    h.properties_off = sizeof h;
    h.properties_len = static_cast<std::uint32_t>(body.size());
    h.subsystem_hash = htonl(murmur2(subsystem));
    h.devtype_hash = devtype.empty() ? 0 : htonl(murmur2(devtype));
    return std::string(reinterpret_cast<const char*>(&h), sizeof h) + body;
}

Sender::Sender() {
    // The raw syscall: should umockdev's preload be in this process, its socket() wrapper would
    // hand out a fake uevent socket; this one must be real netlink.
    fd_ = static_cast<int>(::syscall(SYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT));
    must(fd_, "netlink socket");
    sockaddr_nl self{};
    self.nl_family = AF_NETLINK;
    must(::bind(fd_, reinterpret_cast<sockaddr*>(&self), sizeof self), "bind netlink");
}

Sender::~Sender() { ::close(fd_); }

void Sender::send(const std::string& message) {
    sockaddr_nl to{};
    to.nl_family = AF_NETLINK;
    to.nl_groups = 2;  // udev's multicast group
    // ESRCH/ENOBUFS toward the group are not this sender's failure: the kernel dropped the
    // message for a listener (the overflow a storm provokes).
    if (::sendto(fd_, message.data(), message.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) < 0 &&
        errno != ESRCH && errno != ENOBUFS)
        throw std::runtime_error(std::string("sendto: ") + std::strerror(errno));
}

UmockdevSender::UmockdevSender(const std::string& testbed_root) {
    glob_t found{};
    if (::glob((testbed_root + "/event[0-9]*").c_str(), 0, nullptr, &found) == 0)
        for (size_t i = 0; i < found.gl_pathc; ++i) {
            int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            sockaddr_un to{};
            to.sun_family = AF_UNIX;
            std::strncpy(to.sun_path, found.gl_pathv[i], sizeof to.sun_path - 1);
            if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0)
                fds_.push_back(fd);
            else if (fd >= 0)
                ::close(fd);  // a listener that is gone
        }
    ::globfree(&found);
    if (fds_.empty()) throw std::runtime_error("no umockdev uevent listener under " + testbed_root);
}

UmockdevSender::~UmockdevSender() {
    for (int fd : fds_) ::close(fd);
}

bool UmockdevSender::send(const std::string& message) {
    bool all = true;
    for (int fd : fds_)
        if (::send(fd, message.data(), message.size(), MSG_NOSIGNAL) < 0) all = false;
    return all;
}

SocketStats udev_socket_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/net/netlink");
    std::string line;
    std::getline(in, line);
    SocketStats out;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string sk, groups;
        int eth = 0;
        long nlpid = 0, rmem = 0, wmem = 0, dump = 0, locks = 0, drops = 0;
        f >> sk >> eth >> nlpid >> groups >> rmem >> wmem >> dump >> locks >> drops;
        if (eth != NETLINK_KOBJECT_UEVENT || (std::stoul(groups, nullptr, 16) & 2) == 0) continue;
        out.rmem += rmem;
        out.drops += drops;
    }
    return out;
}

// Private netns + mount ns with a /run/udev/control of its own.
void enter_private_namespaces() {
    must(::unshare(CLONE_NEWNET | CLONE_NEWNS), "unshare(CLONE_NEWNET|CLONE_NEWNS) (needs root)");
    must(::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr), "make / private");
    must(::mount("tmpfs", "/run", "tmpfs", 0, "mode=0755"), "tmpfs on /run");
    must(::mkdir("/run/udev", 0755), "mkdir /run/udev");
    int fd = ::open("/run/udev/control", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    must(fd, "create /run/udev/control");
    ::close(fd);
}

}  // namespace hotseat::bench
