// hotseat-private-bus: starts a private system-like bus with the shipped policy (as the tests
// use), prints DBUS_SYSTEM_BUS_ADDRESS=<address>, and stops it when stdin closes. For the demo.
#include <iostream>
#include <string>

#include "private_bus.h"

int main() {
    try {
        hotseat::test::PrivateBus bus;
        std::cout << "DBUS_SYSTEM_BUS_ADDRESS=" << bus.address() << std::endl;
        for (std::string line; std::getline(std::cin, line);) {}
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "hotseat-private-bus: " << e.what() << "\n";
        return 1;
    }
}
