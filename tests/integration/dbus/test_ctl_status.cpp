// hotseatctl status against the BusService in this process: what a VM has besides its state (its
// passed-through devices, the guest helper that said hello) shows in the table and in --json.
// The service is published to directly, so Devices can be filled (libvirt's test driver
// cannot attach USB devices) and GuestHelper set without a guest.
#include <nlohmann/json.hpp>

#include "dbus_fixture.h"

namespace hotseat::test {
namespace {

class CtlStatusDetails : public DbusServiceTest {
protected:
    void SetUp() override {
        DbusServiceTest::SetUp();
        VmStatus arch;
        arch.name = "arch-desktop";
        arch.state = VmState::Running;
        arch.reason = "desk-monitor";
        arch.devices = {"usb 046d:c52b bus 1 dev 5", "usb 046d:c077 bus 1 dev 6"};
        service_->publish(PublishVm{arch});
        service_->publish_guest_helper("arch-desktop", "0.4.0");
    }

    Captured status(std::vector<std::string> args = {}) {
        args.insert(args.begin(), {HOTSEATCTL_PATH, "status"});
        return run(std::move(args));
    }
};

bool has_line(const std::string& text, const std::string& line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

TEST_F(CtlStatusDetails, TableListsDevicesAndTheGuestHelperUnderTheVms) {
    auto r = status();
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(has_line(r.output, "arch-desktop: devices: usb 046d:c52b bus 1 dev 5, usb 046d:c077 bus 1 dev 6"))
        << r.output;
    EXPECT_TRUE(has_line(r.output, "arch-desktop: guest helper 0.4.0")) << r.output;
    EXPECT_EQ(r.output.find("win11:"), std::string::npos) << "nothing to say about a VM without either\n" << r.output;
}

TEST_F(CtlStatusDetails, JsonHasDevicesAndTheGuestHelperOfEachVm) {
    auto r = status({"--json"});
    ASSERT_EQ(r.status, 0) << r.output;
    auto json = nlohmann::json::parse(r.output);
    ASSERT_EQ(json["vms"].size(), 2u) << r.output;
    EXPECT_EQ(json["vms"][0]["name"], "arch-desktop");
    EXPECT_EQ(json["vms"][0]["devices"], (nlohmann::json{"usb 046d:c52b bus 1 dev 5", "usb 046d:c077 bus 1 dev 6"}));
    EXPECT_EQ(json["vms"][0]["guest_helper"], "0.4.0");
    EXPECT_EQ(json["vms"][1]["name"], "win11");
    EXPECT_EQ(json["vms"][1]["devices"], nlohmann::json::array());
    EXPECT_EQ(json["vms"][1]["guest_helper"], "");
}

TEST_F(CtlStatusDetails, AHelperThatLeftIsNoLongerShown) {
    service_->publish_guest_helper("arch-desktop", "");
    auto r = status();
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output.find("guest helper"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace hotseat::test
