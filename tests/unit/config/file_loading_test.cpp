// load_config_file trusts only a regular file that nobody but root can change, and says clearly
// why it refused one. Runs as root (the files it creates must be root-owned to be accepted).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_test_util.h"
#include "temp_files.h"

namespace hotseat {
namespace {

using test::describe;

const std::string kGood = "[[vm]]\nname = \"arch-desktop\"\n";
constexpr uid_t kNobody = 65534;

class FileLoading : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_EQ(::geteuid(), 0u) << "these tests create root-owned files: run them as root"; }

    // A config file with exactly this mode (the umask does not get a say).
    std::string make_file(const std::string& name, unsigned mode, const std::string& text = kGood) {
        std::string path = dir_.file(name);
        test::write_file(path, text, mode);
        return path;
    }

    // The single error of a refused load, which must carry no position.
    ConfigError refusal(const std::string& path) {
        auto load = load_config_file(path);
        EXPECT_FALSE(load.config.has_value());
        EXPECT_EQ(load.errors.size(), 1u) << describe(load.errors);
        if (load.errors.empty()) return {};
        EXPECT_EQ(load.errors[0].file, path);
        EXPECT_EQ(load.errors[0].line, 0u);
        EXPECT_EQ(load.errors[0].column, 0u);
        return load.errors[0];
    }

    test::TempDir dir_;
};

bool contains(const std::string& text, const std::string& word) { return text.find(word) != std::string::npos; }

TEST_F(FileLoading, RootOwnedReadOnlyFileLoads) {
    std::string path = make_file("hotseat.toml", 0644);
    auto load = load_config_file(path);
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    EXPECT_EQ(load.config->path, path);
    EXPECT_EQ(load.config->vms.at(0).name, "arch-desktop");
}

TEST_F(FileLoading, ErrorsInTheFileNameThePath) {
    std::string path = make_file("hotseat.toml", 0600, "[[vm]]\nname = 5\n");
    auto load = load_config_file(path);
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_EQ(load.errors[0].to_string(), path + ":2:8: vm #1: name must be a string, got integer");
}

TEST_F(FileLoading, WorldWritableFileIsRefused) {
    auto error = refusal(make_file("hotseat.toml", 0666));
    EXPECT_TRUE(contains(error.message, "writable by everyone (mode 0666)")) << error.to_string();
    EXPECT_TRUE(contains(error.message, "anyone but root")) << error.to_string();
}

TEST_F(FileLoading, GroupWritableFileIsRefused) {
    auto error = refusal(make_file("hotseat.toml", 0664));
    EXPECT_TRUE(contains(error.message, "writable by its group (mode 0664)")) << error.to_string();
}

TEST_F(FileLoading, FileOwnedByAnotherUserIsRefused) {
    std::string path = make_file("hotseat.toml", 0644);
    ASSERT_EQ(::chown(path.c_str(), kNobody, kNobody), 0);
    auto error = refusal(path);
    EXPECT_TRUE(contains(error.message, "owned by uid 65534, not root")) << error.to_string();
}

TEST_F(FileLoading, SymlinkToATrustedFileLoads) {
    // NixOS puts /etc/hotseat/hotseat.toml in place as a symlink into the store.
    std::string target = make_file("store-hotseat.toml", 0444);
    std::string link = dir_.file("hotseat.toml");
    ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
    auto load = load_config_file(link);
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);
    EXPECT_EQ(load.config->path, link);
}

// The whole path is checked as systemd's chase() walks it (supervisor/config/trusted_path.h):
// a root-owned 0644 file is worth nothing in a directory someone else may write.
TEST_F(FileLoading, GroupWritableParentDirectoryIsRefused) {
    std::string dir = dir_.file("etc");
    ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
    ASSERT_EQ(::chmod(dir.c_str(), 0775), 0);
    std::string path = dir + "/hotseat.toml";
    test::write_file(path, kGood, 0644);
    auto error = refusal(path);
    EXPECT_EQ(error.message, "the directory " + dir +
                                 " is writable by its group (mode 0775): refusing a config "
                                 "that anyone but root can change (chmod go-w " +
                                 dir + ")");
}

TEST_F(FileLoading, ParentDirectoryOwnedByAnotherUserIsRefused) {
    std::string dir = dir_.file("home");
    ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
    ASSERT_EQ(::chown(dir.c_str(), kNobody, kNobody), 0);
    std::string path = dir + "/hotseat.toml";
    test::write_file(path, kGood, 0644);
    auto error = refusal(path);
    EXPECT_TRUE(contains(error.message, "the directory " + dir + " is owned by uid 65534, not root"))
        << error.to_string();
}

TEST_F(FileLoading, AnUntrustedDirectoryHigherUpIsRefusedToo) {
    std::string top = dir_.file("a");
    ASSERT_EQ(::mkdir(top.c_str(), 0755), 0);
    ASSERT_EQ(::chmod(top.c_str(), 0777), 0);  // whoever can write here can swap b/ for their own
    ASSERT_EQ(::mkdir((top + "/b").c_str(), 0755), 0);
    std::string path = top + "/b/hotseat.toml";
    test::write_file(path, kGood, 0644);
    auto error = refusal(path);
    EXPECT_TRUE(contains(error.message, "the directory " + top + " is writable by everyone (mode 0777)"))
        << error.to_string();
}

TEST_F(FileLoading, StickyWorldWritableDirectoryWithRootOwnedEntriesIsTrusted) {
    // /tmp, and NixOS's /nix/store (root:nixbld 1775): nobody may rename or remove root's entries.
    std::string dir = dir_.file("store");
    ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
    ASSERT_EQ(::chmod(dir.c_str(), 01777), 0);
    std::string path = dir + "/hotseat.toml";
    test::write_file(path, kGood, 0444);
    auto load = load_config_file(path);
    EXPECT_TRUE(load.config.has_value()) << describe(load.errors);
}

TEST_F(FileLoading, SymlinkOwnedByAnotherUserIsRefused) {
    std::string target = make_file("store-hotseat.toml", 0444);
    std::string link = dir_.file("hotseat.toml");
    ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
    ASSERT_EQ(::lchown(link.c_str(), kNobody, kNobody), 0);
    auto error = refusal(link);
    EXPECT_TRUE(contains(error.message, "the symlink " + link + " is owned by uid 65534, not root"))
        << error.to_string();
}

TEST_F(FileLoading, SymlinkIntoAnUntrustedDirectoryIsRefused) {
    std::string dir = dir_.file("drop");
    ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
    ASSERT_EQ(::chmod(dir.c_str(), 0777), 0);
    test::write_file(dir + "/hotseat.toml", kGood, 0644);
    std::string link = dir_.file("hotseat.toml");
    ASSERT_EQ(::symlink((dir + "/hotseat.toml").c_str(), link.c_str()), 0);
    auto error = refusal(link);
    EXPECT_TRUE(contains(error.message, "the directory " + dir + " is writable by everyone")) << error.to_string();
}

TEST_F(FileLoading, RelativeSymlinksAreWalkedComponentByComponent) {
    // /etc/hotseat/hotseat.toml -> ../static/hotseat.toml, as NixOS's /etc -> /etc/static links go.
    ASSERT_EQ(::mkdir(dir_.file("etc").c_str(), 0755), 0);
    ASSERT_EQ(::mkdir(dir_.file("static").c_str(), 0755), 0);
    test::write_file(dir_.file("static/hotseat.toml"), kGood, 0444);
    std::string link = dir_.file("etc/hotseat.toml");
    ASSERT_EQ(::symlink("../static/hotseat.toml", link.c_str()), 0);
    auto load = load_config_file(link);
    ASSERT_TRUE(load.config.has_value()) << describe(load.errors);

    // The same link, with the target's directory opened to everyone: refused.
    ASSERT_EQ(::chmod(dir_.file("static").c_str(), 0777), 0);
    auto error = refusal(link);
    EXPECT_TRUE(contains(error.message, "the directory " + dir_.file("static") + " is writable by everyone"))
        << error.to_string();
}

TEST_F(FileLoading, SymlinkLoopIsRefused) {
    std::string a = dir_.file("a.toml"), b = dir_.file("b.toml");
    ASSERT_EQ(::symlink(b.c_str(), a.c_str()), 0);
    ASSERT_EQ(::symlink(a.c_str(), b.c_str()), 0);
    EXPECT_EQ(refusal(a).message, "cannot open: Too many levels of symbolic links");
}

TEST_F(FileLoading, NoOwnerCheckStillRefusesAWritableDirectory) {
    // --no-owner-check (a Nix build sandbox): who owns the way does not matter, who may write it does.
    std::string dir = dir_.file("build");
    ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
    ASSERT_EQ(::chown(dir.c_str(), kNobody, kNobody), 0);
    std::string path = dir + "/hotseat.toml";
    test::write_file(path, kGood, 0644);
    ASSERT_EQ(::chown(path.c_str(), kNobody, kNobody), 0);
    auto load = load_config_file(path, OwnerCheck::Skip);
    EXPECT_TRUE(load.config.has_value()) << describe(load.errors);
    ASSERT_EQ(::chmod(dir.c_str(), 0775), 0);
    load = load_config_file(path, OwnerCheck::Skip);
    ASSERT_EQ(load.errors.size(), 1u) << describe(load.errors);
    EXPECT_TRUE(contains(load.errors[0].message, "is writable by its group")) << describe(load.errors);
}

TEST_F(FileLoading, MissingFileSaysSo) {
    auto error = refusal(dir_.file("absent.toml"));
    EXPECT_EQ(error.to_string(), dir_.file("absent.toml") + ": cannot open: No such file or directory");
}

TEST_F(FileLoading, DirectoryIsRefused) {
    auto error = refusal(dir_.path());
    EXPECT_EQ(error.message, "is a directory, not a regular file");
}

TEST_F(FileLoading, FifoIsRefusedWithoutBlocking) {
    std::string path = dir_.file("fifo.toml");
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    auto error = refusal(path);  // would hang on open() without O_NONBLOCK
    EXPECT_EQ(error.message, "is a FIFO, not a regular file");
}

TEST_F(FileLoading, FileOverOneMebibyteIsRefused) {
    auto error = refusal(make_file("big.toml", 0644, "#" + std::string(1024 * 1024, 'x') + "\n"));
    EXPECT_EQ(error.message, "is larger than 1 MiB, the limit for a config file");
}

TEST_F(FileLoading, FileOfExactlyOneMebibyteIsRead) {
    std::string text = "#" + std::string(1024 * 1024 - 2, 'x') + "\n";
    ASSERT_EQ(text.size(), 1024u * 1024u);
    auto load = load_config_file(make_file("full.toml", 0644, text));
    EXPECT_TRUE(load.config.has_value()) << describe(load.errors);
}

}  // namespace
}  // namespace hotseat
