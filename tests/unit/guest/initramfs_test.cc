#include "guest/initramfs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "guest/cpio.h"
#include "os/kernel_filesystems.h"

namespace eofzero::guest {
namespace {

InitramfsInputs Inputs() {
  InitramfsInputs in;
  in.busybox = "/usr/bin/busybox";
  in.eofzero = "/build/eofzero";
  in.tools = {{"mkfs.ext4", "/usr/sbin/mke2fs"}, {"xfs_db", "/usr/sbin/xfs_db"}};
  in.libraries = {"/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"};
  in.etc_files = {"/etc/mke2fs.conf"};
  in.case_files = {"/src/cases/append_write.toml", "/src/cases/truncate_up.toml"};
  in.modules = {
      {"crc32c_generic", "/k/crc32c_generic.ko"}, {"jbd2", "/k/jbd2.ko"}, {"ext4", "/tmp/ext4.ko"}};
  in.runs = {{"--fs", "ext4", "--case", "it's*"}, {"--fs", "xfs", "--block-size", "1024"}};
  return in;
}

const InitramfsEntry* Find(const std::vector<InitramfsEntry>& entries, const std::string& path) {
  auto it = std::ranges::find_if(entries, [&](const auto& e) { return e.path == path; });
  return it == entries.end() ? nullptr : &*it;
}

TEST(Initramfs, HoldsBusyboxEofzeroToolsLibrariesCasesModulesAndInit) {
  const auto entries = InitramfsManifest(Inputs());
  struct Want {
    const char* path;
    const char* source;
  };
  for (auto [path, source] :
       {Want{"bin/busybox", "/usr/bin/busybox"}, Want{"bin/eofzero", "/build/eofzero"},
        Want{"sbin/mkfs.ext4", "/usr/sbin/mke2fs"}, Want{"sbin/xfs_db", "/usr/sbin/xfs_db"},
        Want{"lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6"},
        Want{"lib64/ld-linux-x86-64.so.2", "/lib64/ld-linux-x86-64.so.2"},
        Want{"etc/mke2fs.conf", "/etc/mke2fs.conf"},
        Want{"cases/append_write.toml", "/src/cases/append_write.toml"},
        Want{"lib/modules/eofzero/ext4.ko", "/tmp/ext4.ko"}}) {
    const auto* e = Find(entries, path);
    ASSERT_NE(e, nullptr) << path;
    EXPECT_EQ(e->kind, InitramfsEntry::Kind::kFile) << path;
    EXPECT_EQ(e->source, source) << path;
  }
  const auto* console = Find(entries, "dev/console");
  ASSERT_NE(console, nullptr);  // needed before devtmpfs is mounted
  EXPECT_EQ(console->kind, InitramfsEntry::Kind::kCharDevice);
  EXPECT_EQ(console->major, 5u);
  EXPECT_EQ(console->minor, 1u);
  const auto* sh = Find(entries, "bin/sh");
  ASSERT_NE(sh, nullptr);
  EXPECT_EQ(sh->kind, InitramfsEntry::Kind::kSymlink);
  const auto* init = Find(entries, "init");
  ASSERT_NE(init, nullptr);
  EXPECT_EQ(init->mode, 0755u);
  EXPECT_EQ(init->data, InitScript(Inputs()));
  EXPECT_EQ(Find(entries, "bin/eofzero")->mode, 0755u);
}

TEST(Initramfs, EveryFolderComesBeforeWhatItHolds) {
  const auto entries = InitramfsManifest(Inputs());
  std::set<std::string> seen;
  for (const auto& e : entries) {
    EXPECT_TRUE(seen.insert(e.path).second) << "twice: " << e.path;
    const auto slash = e.path.rfind('/');
    if (slash != std::string::npos) {
      EXPECT_TRUE(seen.contains(e.path.substr(0, slash))) << e.path;
    }
  }
  for (const char* dir : {"proc", "sys", "dev", "tmp", "mnt/scratch"})
    EXPECT_NE(Find(entries, dir), nullptr) << dir;
}

// Every module the initramfs holds is listed in the running kernel's
// modules.dep before it is loaded: one that fails to load is then a
// filesystem this kernel has (a mount error), not one it lacks (a SKIP).
TEST(Initramfs, TheModulesItHoldsAreTheKernelsModulesDep) {
  const std::string init = InitScript(Inputs());
  const auto made = init.find(": > /lib/modules/$(uname -r)/modules.dep");
  const auto listed = init.find("echo 'eofzero/ext4.ko:' >> /lib/modules/$(uname -r)/modules.dep");
  ASSERT_NE(made, std::string::npos) << init;
  ASSERT_NE(listed, std::string::npos) << init;
  EXPECT_LT(made, listed);
  EXPECT_LT(listed, init.find("insmod /lib/modules/eofzero/ext4.ko"));
  EXPECT_TRUE(os::ListsModule("eofzero/ext4.ko:\n", "ext4"));
}

TEST(Initramfs, InitLoadsModulesInOrderFindsDisksBySerialAndWritesTheReport) {
  const std::string init = InitScript(Inputs());
  const auto crc = init.find("insmod /lib/modules/eofzero/crc32c_generic.ko");
  const auto jbd2 = init.find("insmod /lib/modules/eofzero/jbd2.ko");
  const auto ext4 = init.find("insmod /lib/modules/eofzero/ext4.ko");
  ASSERT_NE(crc, std::string::npos);
  EXPECT_LT(crc, jbd2);
  EXPECT_LT(jbd2, ext4);
  EXPECT_NE(init.find("eofzero-scratch) scratch="), std::string::npos);
  EXPECT_NE(init.find("eofzero-results) results="), std::string::npos);
  EXPECT_LT(init.find("mount -t devtmpfs"), init.find("/sys/block/vd"));
  EXPECT_NE(init.find("      1) set -- '--fs' 'ext4' '--case' 'it'\\''s*' ;;\n"
                      "      2) set -- '--fs' 'xfs' '--block-size' '1024' ;;\n"),
            std::string::npos)
      << init;
  EXPECT_NE(init.find("/bin/eofzero run \\\n      --scratch-dev \"$scratch\" --scratch-mnt "
                      "/mnt/scratch --format json --output /tmp/report.json \"$@\""),
            std::string::npos)
      << init;
  // Each run's report, ended by a NUL (alone when it wrote none), all at once.
  EXPECT_NE(init.find("[ -s /tmp/report.json ] && cat /tmp/report.json >> /tmp/reports\n"
                      "    printf '\\000' >> /tmp/reports\n"),
            std::string::npos)
      << init;
  EXPECT_NE(init.find("cat /tmp/reports > \"$results\""), std::string::npos);
  EXPECT_NE(init.find("runs=\"1 2\"\n"), std::string::npos) << "all by default";
  EXPECT_LT(init.find(kBootedMark), init.find("/bin/eofzero run"));
  EXPECT_NE(init.find("reboot -f"), std::string::npos);
}

// kernels --selftest: each run is `eofzero selftest` on images in a folder of
// the guest's tmpfs, its JSON document written like a run's report; never on
// the scratch disk.
TEST(Initramfs, ASelftestGuestRunsSelftestOnImagesInItsTmpfsAndWritesItsJson) {
  auto in = Inputs();
  in.command = GuestCommand::kSelftest;
  in.runs = {{"--fs", "ext4", "--block-size", "4096"}};
  const std::string init = InitScript(in);
  EXPECT_NE(init.find("  mkdir -p /tmp/selftest && mount -t tmpfs -o size=2g tmpfs "
                      "/tmp/selftest\n  : > /tmp/reports\n"),
            std::string::npos)
      << init;
  EXPECT_NE(init.find("    EOFZERO_CASES_DIR=/cases EOFZERO_STATE_DIR=/run/eofzero /bin/eofzero "
                      "selftest \\\n      --workdir /tmp/selftest --format json --output "
                      "/tmp/report.json \"$@\"\n"),
            std::string::npos)
      << init;
  EXPECT_NE(init.find("      1) set -- '--fs' 'ext4' '--block-size' '4096' ;;\n"),
            std::string::npos);
  EXPECT_EQ(init.find("--scratch-dev"), std::string::npos);
  EXPECT_EQ(init.find("/bin/eofzero run"), std::string::npos);
  EXPECT_NE(init.find("[ -s /tmp/report.json ] && cat /tmp/report.json >> /tmp/reports\n"),
            std::string::npos);
  EXPECT_LT(init.find("mount -t tmpfs tmpfs /tmp\n"), init.find("mkdir -p /tmp/selftest"));
  // A run's guest runs no self-test.
  EXPECT_EQ(InitScript(Inputs()).find("selftest"), std::string::npos);
}

// The user's --cases-dir folders: each its own folder in the guest (two
// files of one name stay two), an empty one too, and every run loads them.
TEST(Initramfs, TheUsersCaseFoldersGoInEachItsOwnAndEveryRunLoadsThem) {
  auto in = Inputs();
  in.extra_case_dirs = {{"/home/u/explored/x1.toml", "/home/u/explored/same.toml"},
                        {"/tmp/more/same.toml"},
                        {}};
  const auto entries = InitramfsManifest(in);
  struct Want {
    const char* path;
    const char* source;
  };
  for (auto [path, source] : {Want{"cases-dir/1/x1.toml", "/home/u/explored/x1.toml"},
                              Want{"cases-dir/1/same.toml", "/home/u/explored/same.toml"},
                              Want{"cases-dir/2/same.toml", "/tmp/more/same.toml"}}) {
    const auto* e = Find(entries, path);
    ASSERT_NE(e, nullptr) << path;
    EXPECT_EQ(e->source, source) << path;
  }
  const auto* empty = Find(entries, "cases-dir/3");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->kind, InitramfsEntry::Kind::kDirectory);
  EXPECT_EQ(GuestCasesDir(0), "/cases-dir/1");
  const std::string init = InitScript(in);
  EXPECT_NE(init.find("--output /tmp/report.json --cases-dir "
                      "'/cases-dir/1,/cases-dir/2,/cases-dir/3' \"$@\""),
            std::string::npos)
      << init;
  // Without any, no --cases-dir and no folder.
  EXPECT_EQ(InitScript(Inputs()).find("--cases-dir"), std::string::npos);
  for (const auto& e : InitramfsManifest(Inputs())) EXPECT_FALSE(e.path.starts_with("cases-dir"));
}

TEST(Initramfs, TheCommandLineNamesTheRunsOrAskedForAProbeThatEndsBeforeAnyModule) {
  EXPECT_EQ(RunsWord({2, 1}), "eofzero.runs=2,1");
  const std::string init = InitScript(Inputs());
  EXPECT_NE(init.find("    eofzero.runs=*) runs=$(echo \"${word#eofzero.runs=}\" | tr , ' ') ;;"),
            std::string::npos)
      << init;
  const auto probe = init.find(std::string("    ") + kProbeWord + ") echo \"" + kBootedMark);
  ASSERT_NE(probe, std::string::npos) << init;
  EXPECT_LT(init.find("mount -t proc"), probe);
  EXPECT_LT(probe, init.find("insmod"));
  EXPECT_LT(probe, init.find("reboot -f"));
  EXPECT_LT(init.find("reboot -f"), init.find("insmod")) << "the probe powers off at once";
}

// Reads a newc archive back: name -> (mode, data).
std::vector<std::tuple<std::string, unsigned, std::string>> ReadCpio(const std::string& bytes) {
  std::vector<std::tuple<std::string, unsigned, std::string>> out;
  std::size_t at = 0;
  auto field = [&](int i) {
    return static_cast<unsigned>(std::stoul(bytes.substr(at + 6 + 8 * i, 8), nullptr, 16));
  };
  auto align = [](std::size_t n) { return (n + 3) & ~std::size_t{3}; };
  while (at < bytes.size()) {
    EXPECT_EQ(bytes.substr(at, 6), "070701");
    EXPECT_EQ(at % 4, 0u);
    const unsigned mode = field(1), size = field(6), namesize = field(11);
    const std::string name = bytes.substr(at + 110, namesize - 1);
    const std::size_t data = align(at + 110 + namesize);
    out.emplace_back(name, mode, bytes.substr(data, size));
    at = align(data + size);
    if (name == "TRAILER!!!") break;
  }
  EXPECT_EQ(at, bytes.size());
  return out;
}

TEST(Cpio, WritesNewcEntriesTheKernelUnpacks) {
  std::ostringstream out;
  CpioWriter cpio(out);
  cpio.Directory("bin");
  cpio.File("bin/hello", "hello\n", 0755);
  cpio.Symlink("bin/sh", "busybox");
  cpio.CharDevice("dev/console", 5, 1);
  cpio.Finish();
  const auto entries = ReadCpio(out.str());
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(std::get<0>(entries[0]), "bin");
  EXPECT_EQ(std::get<1>(entries[0]), 040755u);
  EXPECT_EQ(std::get<0>(entries[1]), "bin/hello");
  EXPECT_EQ(std::get<1>(entries[1]), 0100755u);
  EXPECT_EQ(std::get<2>(entries[1]), "hello\n");
  EXPECT_EQ(std::get<1>(entries[2]), 0120777u);
  EXPECT_EQ(std::get<2>(entries[2]), "busybox");
  EXPECT_EQ(std::get<1>(entries[3]), 020600u);
  EXPECT_EQ(std::get<0>(entries[4]), "TRAILER!!!");
}

TEST(Initramfs, ShellQuoting) {
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote("$(x)"), "'$(x)'");
}

}  // namespace
}  // namespace eofzero::guest
