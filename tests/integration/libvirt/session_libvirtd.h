// A private, unprivileged libvirtd for tests: session mode as user nobody, every path under a
// temporary directory, nothing of the host's libvirt touched. Clients reach its test driver
// through the remote driver (a real socket, keepalive, close callbacks), e.g.
// uri_for("/abs/node.xml") = "test+unix:///abs/node.xml?socket=<dir>/run/libvirt/libvirt-sock".
#pragma once

#include <memory>
#include <string>

#include "process.h"

namespace hotseat::test {

class SessionLibvirtd {
public:
    SessionLibvirtd();  // creates the directory; call start()
    ~SessionLibvirtd();

    bool start();  // false when the socket did not accept a connection in time
    void kill();   // SIGKILL: the daemon dies without a word, as in a crash
    std::string uri_for(const std::string& node_xml) const;
    std::string log() const;

private:
    std::string socket() const;

    TempDir dir_;
    std::unique_ptr<Process> daemon_;
    std::string last_log_;
};

}  // namespace hotseat::test
