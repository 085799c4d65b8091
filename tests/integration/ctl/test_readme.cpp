// The README's "On the bus" section, run for real: every line there that starts with `busctl`
// or `hotseatctl` is run, in order, against hotseatd on a private bus, and must work and say
// something sensible. So the README never lies.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "ctl_fixture.h"

namespace hotseat::test {
namespace {

struct ReadmeCommand {
    int line = 0;  // 1-based, in README.md
    std::vector<std::string> argv;
    std::string text;
};

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string word; in >> word;) out.push_back(word);
    return out;
}

// The lines of "## On the bus" (up to the next level-2 heading) that start with a command.
std::vector<ReadmeCommand> readme_commands() {
    std::ifstream readme(HOTSEAT_SOURCE_DIR "/README.md");
    std::vector<ReadmeCommand> out;
    bool in_section = false;
    int number = 0;
    for (std::string line; std::getline(readme, line);) {
        ++number;
        if (line.rfind("## ", 0) == 0) in_section = line == "## On the bus";
        if (!in_section) continue;
        auto argv = words(line);
        if (!argv.empty() && (argv[0] == "busctl" || argv[0] == "hotseatctl"))
            out.push_back({number, argv, line.substr(line.find_first_not_of(' '))});
    }
    return out;
}

std::vector<ReadmeCommand> commands_of(const std::string& program) {
    std::vector<ReadmeCommand> out;
    for (auto& c : readme_commands())
        if (c.argv[0] == program) out.push_back(c);
    return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class ReadmeCommands : public CtlTest {
protected:
    void SetUp() override {
        CtlTest::SetUp();
        write_config({.debounce_ms = 0});  // the monitor is plugged and unplugged in quick succession
        start_daemon();
    }

    // The README speaks of the real system; here hotseatctl is the built one and the config the
    // test's.
    std::vector<std::string> runnable(std::vector<std::string> argv) const {
        if (argv[0] == "hotseatctl") argv[0] = HOTSEATCTL_PATH;
        for (auto& arg : argv)
            if (arg == "/etc/hotseat/hotseat.toml") arg = config_;
        return argv;
    }

    bool vm_settled() {
        return wait_until([&] {
            auto state = vm_state(bus_.address(), kArch);
            return state == "off" || state == "running";
        });
    }

    // A rule firing and state changes to watch: the monitor (re)plugged, the desktop started.
    void replug_monitor() {
        if (plugged_) {
            testbed_.unplug_monitor("HDMI-A-1");
            ASSERT_TRUE(state_becomes(kArch, "off"));
        }
        testbed_.plug_monitor("HDMI-A-1");
        plugged_ = true;
        ASSERT_TRUE(state_becomes(kArch, "running"));
    }

    // A watcher runs until it has shown `expected` for a trigger, then is interrupted as Ctrl-C
    // would: hotseatctl then exits 0, busctl dies of the signal (128 + SIGINT).
    void run_watcher(const ReadmeCommand& c, const std::string& ready, const std::string& expected,
                     int interrupted_status) {
        Process::Options options{runnable(c.argv), ctl_environment(), dir_.file("watcher.out")};
        Process watcher(options);
        ASSERT_TRUE(wait_until([&] { return contains(watcher.output(), ready); }))
            << "README.md:" << c.line << ": " << c.text << "\n"
            << watcher.output();
        replug_monitor();
        EXPECT_TRUE(wait_until([&] { return contains(watcher.output(), expected); }))
            << "README.md:" << c.line << ": " << c.text << "\n"
            << watcher.output();
        EXPECT_EQ(watcher.stop(SIGINT), interrupted_status) << "README.md:" << c.line << ": " << c.text << "\n"
                                                            << watcher.output();
    }

    bool plugged_ = false;
};

TEST_F(ReadmeCommands, SectionShowsWhatAnAdministratorNeeds) {
    std::set<std::string> busctl, hotseatctl;
    for (const auto& c : readme_commands()) {
        EXPECT_EQ(c.text.find_first_of("|;&<>$`\"'\\"), std::string::npos)
            << "README.md:" << c.line << ": keep it one plain command: " << c.text;
        if (c.argv[0] == "busctl") {
            ASSERT_GE(c.argv.size(), 3u) << c.text;
            EXPECT_EQ(c.argv[1], "--system") << "README.md:" << c.line << ": " << c.text;
            busctl.insert(c.argv[2] == "call" ? "call " + c.argv.back() : c.argv[2]);
        } else {
            hotseatctl.insert(c.argv.size() > 1 ? c.argv[1] : "");
        }
    }
    for (const char* verb : {"tree", "introspect", "get-property", "call Start", "call Stop", "monitor"})
        EXPECT_TRUE(busctl.count(verb)) << "no busctl " << verb << " in README.md";
    for (const char* command : {"status", "start", "stop", "monitor", "reload", "check-config"})
        EXPECT_TRUE(hotseatctl.count(command)) << "no hotseatctl " << command << " in README.md";
}

void check_busctl_output(const ReadmeCommand& c, const std::string& out) {
    const auto& argv = c.argv;
    const std::string& verb = argv[2];
    if (verb == "tree") {
        EXPECT_TRUE(contains(out, "/org/hotseat/Supervisor1/vm/arch_2ddesktop")) << out;
    } else if (verb == "introspect") {
        bool vm = contains(argv[4], "/vm/");
        EXPECT_TRUE(contains(out, vm ? "org.hotseat.Supervisor1.VM " : "org.hotseat.Supervisor1.Manager ")) << out;
        EXPECT_TRUE(contains(out, vm ? ".State " : ".RuleFired ")) << out;
    } else if (verb == "get-property") {
        auto lines = lines_of(out);
        EXPECT_EQ(lines.size(), argv.size() - 6) << "one line per property\n" << out;
        for (const auto& line : lines) EXPECT_TRUE(std::regex_search(line, std::regex("^[a-z(){}]+ "))) << line;
    } else if (verb == "call" && argv.back() == "ListVMs") {
        EXPECT_EQ(out.rfind("a(sos) 2 \"arch-desktop\" \"/org/hotseat/Supervisor1/vm/arch_2ddesktop\"", 0), 0u) << out;
    } else if (verb == "call") {
        EXPECT_EQ(out, "") << "methods without results print nothing";
    } else {
        ADD_FAILURE() << "README.md:" << c.line << ": this test does not know how to check busctl " << verb;
    }
}

TEST_F(ReadmeCommands, BusctlLinesWork) {
    auto commands = commands_of("busctl");
    ASSERT_FALSE(commands.empty());
    for (const auto& c : commands) {
        SCOPED_TRACE("README.md:" + std::to_string(c.line) + ": " + c.text);
        ASSERT_TRUE(vm_settled());
        if (c.argv[2] == "monitor") {
            run_watcher(c, "Monitoring bus message stream.", "Member=RuleFired", 128 + SIGINT);
            continue;
        }
        auto r = run_command(runnable(c.argv), ctl_environment());
        ASSERT_EQ(r.status, 0) << r.both();
        check_busctl_output(c, r.out);
        if (c.argv.back() == "Start") {
            EXPECT_TRUE(state_becomes(kArch, "running"));
        }
        if (c.argv.back() == "Stop") {
            EXPECT_TRUE(state_becomes(kArch, "off"));
        }
    }
}

TEST_F(ReadmeCommands, HotseatctlLinesWork) {
    auto commands = commands_of("hotseatctl");
    ASSERT_FALSE(commands.empty());
    for (const auto& c : commands) {
        SCOPED_TRACE("README.md:" + std::to_string(c.line) + ": " + c.text);
        ASSERT_TRUE(vm_settled());
        ASSERT_GE(c.argv.size(), 2u);
        const std::string& command = c.argv[1];
        if (command == "monitor") {
            run_watcher(c, "Watching hotseatd", "rule desk-monitor fired", 0);
            continue;
        }
        auto r = run_command(runnable(c.argv), ctl_environment());
        ASSERT_EQ(r.status, 0) << r.both();
        bool json = std::find(c.argv.begin(), c.argv.end(), "--json") != c.argv.end();
        if (json) {
            EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out;
        }
        if (command == "status") {
            EXPECT_TRUE(contains(r.out, "arch-desktop")) << r.out;
        }
        if (command == "check-config") {
            EXPECT_TRUE(contains(r.out, ": OK (")) << r.out;
        }
        bool wait = std::find(c.argv.begin(), c.argv.end(), "--wait") != c.argv.end();
        if (wait && command == "start") {
            EXPECT_EQ(lines_of(r.out).back(), "arch-desktop: running") << r.out;
        }
        if (wait && command == "stop") {
            EXPECT_EQ(lines_of(r.out).back(), "arch-desktop: off") << r.out;
        }
    }
}

}  // namespace
}  // namespace hotseat::test
