#include "session_libvirtd.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

namespace hotseat::test {

namespace {
constexpr uid_t nobody = 65534;

// The socket file appears at bind(), before libvirtd listens: only a successful connect() says a
// client will get in (a loaded machine showed ECONNREFUSED in that gap).
bool accepts_connections(const std::string& path) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    close(fd);
    return ok;
}
}  // namespace

SessionLibvirtd::SessionLibvirtd() {
    // This process is libvirt's client, and the tests kill its libvirtd: ignore SIGPIPE as libvirt
    // asks and as hotseatd does (Daemon::setup_signals), or a write to the dead socket kills the
    // test (ReconnectTest.StoppingWhileTheDaemonIsGoneIsPrompt, once in a CI rehearsal).
    ::signal(SIGPIPE, SIG_IGN);
    // libvirtd runs as nobody and creates its run/config/cache directories in here.
    if (chown(dir_.path().c_str(), nobody, nobody) != 0) throw std::runtime_error("chown " + dir_.path());
}

SessionLibvirtd::~SessionLibvirtd() {
    if (daemon_) daemon_->stop();
}

bool SessionLibvirtd::start() {
    const std::string& home = dir_.path();
    std::filesystem::remove(socket());  // a killed daemon leaves its socket behind
    daemon_ = std::make_unique<Process>(Process::Options{
        .argv = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "-i", "HOME=" + home,
                 "XDG_RUNTIME_DIR=" + home + "/run", "XDG_CONFIG_HOME=" + home + "/config",
                 "XDG_CACHE_HOME=" + home + "/cache", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "/usr/sbin/libvirtd"},
        .env = {},
        .output_file = home + "/libvirtd.log"});
    return wait_until([&] { return accepts_connections(socket()); }, std::chrono::seconds(30));
}

void SessionLibvirtd::kill() {
    if (!daemon_) return;
    daemon_->stop(SIGKILL);
    last_log_ += daemon_->output();
    daemon_.reset();
}

std::string SessionLibvirtd::uri_for(const std::string& node_xml) const {
    return "test+unix://" + node_xml + "?socket=" + socket();
}

std::string SessionLibvirtd::log() const { return last_log_ + (daemon_ ? daemon_->output() : std::string()); }

std::string SessionLibvirtd::socket() const { return dir_.path() + "/run/libvirt/libvirt-sock"; }

}  // namespace hotseat::test
