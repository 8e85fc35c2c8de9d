// What a guest's initramfs holds (pure): busybox, the eofzero binary and the
// tools it runs (mkfs, fsck, dumpe2fs, xfs_db) with their shared libraries
// at the paths the host's loader found them, the case catalog and the case
// files of each of the user's --cases-dir folders (each run in the guest
// loads them with --cases-dir, as `run` on the host would), the kernel's
// modules in load order, and an /init that loads them, finds the virtio
// disks by serial, runs eofzero on the scratch disk once per configuration
// the kernel command line names (`eofzero.runs=2,3`; without it, all in
// order) and writes their JSON reports raw onto the results disk, each ended
// by a NUL byte (an empty one when that run wrote none). For `kernels
// --selftest` it runs `eofzero selftest` instead, on images in a tmpfs of
// its own (on loop devices there, as on the host), and writes its
// JSON documents the same way; the scratch disk is then unused. With
// `eofzero.probe` on its command line it says it booted and powers off at
// once, before loading any module: the accelerator probe's guest. The manifest is written as a cpio
// archive by initramfs_build.h.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace eofzero::guest {

// The virtio disks' serials, as the guest finds them in /sys/block/*/serial.
inline constexpr const char* kScratchSerial = "eofzero-scratch";
inline constexpr const char* kResultsSerial = "eofzero-results";
// Console lines the host waits for: booted (then "RELEASE"), and done.
inline constexpr const char* kBootedMark = "eofzero-guest: booted ";
inline constexpr const char* kDoneMark = "eofzero-guest: done";

// What the guest runs once per configuration.
enum class GuestCommand {
  kRun,       // `eofzero run` on the scratch disk
  kSelftest,  // `eofzero selftest` on images in kGuestSelftestDir
};
// A tmpfs of its own: its limit is above the guest's 1 GiB of memory, as the
// self-test's images are sparse (xfs's 512 MiB image holds a few MiB) and
// eofzero wants room for an image's whole size; /tmp's tmpfs, half the
// memory, has too little for xfs's.
inline constexpr const char* kGuestSelftestDir = "/tmp/selftest";
inline constexpr const char* kGuestSelftestTmpfsSize = "2g";

struct GuestModule {
  std::string name;
  std::filesystem::path file;  // on the host: an uncompressed .ko
};

struct InitramfsInputs {
  std::filesystem::path busybox;  // a static busybox
  std::filesystem::path eofzero;
  // Tools, by the name they get in /sbin (mkfs.ext4 reads its own name).
  std::vector<std::pair<std::string, std::filesystem::path>> tools;
  // Shared libraries and the loader, at the same absolute path as on the host.
  std::vector<std::filesystem::path> libraries;
  std::vector<std::filesystem::path> etc_files;   // e.g. /etc/mke2fs.conf, same path
  std::vector<std::filesystem::path> case_files;  // into /cases
  // The case files of each of the user's --cases-dir folders, in order: the
  // K-th folder's into GuestCasesDir(K) (each folder its own, so files of the
  // same name in two folders stay two files, as on the host).
  std::vector<std::vector<std::filesystem::path>> extra_case_dirs;
  std::vector<GuestModule> modules;               // in load order
  // What eofzero runs in the guest after `run` and its scratch device
  // options, one argument list per configuration (e.g. --fs ext4
  // --block-size 4096 --case a,b): run K of `eofzero.runs=` is runs[K-1].
  // After `selftest --workdir DIR` for GuestCommand::kSelftest.
  std::vector<std::vector<std::string>> runs;
  GuestCommand command = GuestCommand::kRun;
};

struct InitramfsEntry {
  enum class Kind { kDirectory, kFile, kSymlink, kCharDevice };
  Kind kind = Kind::kFile;
  std::string path;              // in the guest, without the leading '/'
  std::filesystem::path source;  // kFile from the host (empty: `data`)
  std::string data;              // kFile's content when no source; kSymlink's target
  unsigned mode = 0644;
  unsigned major = 0, minor = 0;  // kCharDevice
};

// Every entry in archive order: each folder before what it holds.
std::vector<InitramfsEntry> InitramfsManifest(const InitramfsInputs& inputs);

// Kernel command-line words for the guest's /init: which runs (1-based
// indices into InitramfsInputs::runs, in the order given) and the probe.
std::string RunsWord(const std::vector<std::size_t>& runs);
inline constexpr const char* kProbeWord = "eofzero.probe";

// The guest's /init (a busybox sh script).
std::string InitScript(const InitramfsInputs& inputs);

// Where the guest holds the case files of the user's `index`-th (from 0)
// --cases-dir: "/cases-dir/1", ...
std::string GuestCasesDir(std::size_t index);

// `word` quoted for sh: 'it'\''s'.
std::string ShellQuote(const std::string& word);

}  // namespace eofzero::guest
