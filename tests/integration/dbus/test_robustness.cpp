// Malformed calls get errors and the service keeps answering.
#include "dbus_fixture.h"

namespace hotseat::test {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

class MalformedCallTest : public DbusServiceTest {
protected:
    void expect_still_answering() {
        auto out = busctl({"get-property", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "Name"});
        EXPECT_EQ(out.output, "s \"arch-desktop\"\n");
        EXPECT_TRUE(commands_.empty());
    }
};

TEST_F(MalformedCallTest, WrongSignature) {
    auto out = busctl(
        {"call", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "Start", "s", "please"});
    EXPECT_NE(out.status, 0);
    EXPECT_TRUE(contains(out.output, "Invalid arguments")) << out.output;
    expect_still_answering();
}

TEST_F(MalformedCallTest, UnknownObjectPath) {
    auto out = dbus_send("/org/hotseat/Supervisor1/vm/nope", "org.hotseat.Supervisor1.VM.Start");
    EXPECT_NE(out.status, 0);
    EXPECT_TRUE(contains(out.output, "Error org.freedesktop.DBus.Error.UnknownObject")) << out.output;
    expect_still_answering();
}

TEST_F(MalformedCallTest, UnknownMethodAndProperty) {
    auto method = dbus_send(kArchPath, "org.hotseat.Supervisor1.VM.Explode");
    EXPECT_NE(method.status, 0) << method.output;
    auto property = busctl(
        {"get-property", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "Colour"});
    EXPECT_NE(property.status, 0) << property.output;
    auto set = busctl(
        {"set-property", "org.hotseat.Supervisor1", kArchPath, "org.hotseat.Supervisor1.VM", "State", "s", "running"});
    EXPECT_NE(set.status, 0) << set.output;
    expect_still_answering();
}

// A 1 MiB argument is over what fits in one command-line argument, so this call comes from an
// in-process proxy on a connection of its own, served by the same loop.
TEST_F(MalformedCallTest, HugeArgumentToAMethodTakingNone) {
    auto connection = sdbus::createSystemBusConnection();
    dbus::SdEventBusSource source(loop_, *connection);
    auto proxy = dbus::sdbus_compat::create_proxy(*connection, "org.hotseat.Supervisor1", kArchPath);
    bool replied = false;
    std::string error_name;
    auto call = proxy->callMethodAsync("Start")
                    .onInterface("org.hotseat.Supervisor1.VM")
                    .withArguments(std::string(1 << 20, 'x'))
                    .uponReplyInvoke([&](dbus::sdbus_compat::AsyncCallError error) {
                        replied = true;
                        if (error) error_name = error->getName();
                    });
    ASSERT_TRUE(pump_until([&] { return replied; }));
    EXPECT_EQ(error_name, "org.freedesktop.DBus.Error.InvalidArgs");
    expect_still_answering();
}

}  // namespace
}  // namespace hotseat::test
