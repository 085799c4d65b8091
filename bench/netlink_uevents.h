// Real uevents for benchmarks: udevd-style messages (the "libudev" header with libudev's filter
// hashes) sent on netlink multicast group 2, inside a private network namespace so that only
// this benchmark's processes hear them. Needs root.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace hotseat::bench {

// unshare(CLONE_NEWNET | CLONE_NEWNS) for this process (and the children it starts after), with a
// private /run holding /run/udev/control: libudev listens to udevd's group only when udevd
// seems to run. Call before starting any thread or child. Throws when not permitted.
void enter_private_namespaces();

// One udevd-style message: header, then KEY=VALUE\0 properties.
std::string udev_message(const std::string& subsystem, const std::string& devtype,
                         const std::vector<std::string>& properties);

class Sender {
public:
    Sender();  // a real netlink socket, even under umockdev's preload
    ~Sender();
    Sender(const Sender&) = delete;
    Sender& operator=(const Sender&) = delete;
    void send(const std::string& message);  // to group 2; a listener's overflow is not an error

private:
    int fd_ = -1;
};

// The same messages, to the uevent sockets umockdev's preload gives the processes of a testbed
// (<testbed root>/event<N>, datagram sockets): what umockdev_testbed_uevent() does, without
// re-reading the device from the testbed and reconnecting for every message, for storms that
// umockdev's own sender cannot keep up with. The listeners are those present at construction.
class UmockdevSender {
public:
    explicit UmockdevSender(const std::string& testbed_root);  // throws when there is no listener
    ~UmockdevSender();
    UmockdevSender(const UmockdevSender&) = delete;
    UmockdevSender& operator=(const UmockdevSender&) = delete;
    // To every listener, without waiting: false when a listener's queue was full (dropped there).
    bool send(const std::string& message);

private:
    std::vector<int> fds_;
};

struct SocketStats {
    long rmem = 0;   // bytes queued, unread
    long drops = 0;  // messages the kernel dropped (ENOBUFS for the reader)
};
// The udev-group uevent sockets of `pid` (summed), from /proc/PID/net/netlink.
SocketStats udev_socket_of(pid_t pid);

}  // namespace hotseat::bench
