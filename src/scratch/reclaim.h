// Reclaiming what runs that died left behind, from their registry entries
// (scratch/run_registry.h) — and only that. An entry is reclaimed only when
// its owner is gone and nobody else is reclaiming it, and each thing it
// names is released only while it still is what the run made:
//  - a mount, when what a lookup finds at its target is the filesystem with
//    the recorded UUID on the recorded device number;
//  - a loop device, when it is backed by a recorded image, by device:inode
//    and by path, and holds the filesystem the run made (its UUID);
//  - a recording's FUSE mount (a served image: scratch/recording_device.h),
//    after the loop devices, when it is inside the run's folder and its
//    fstype is eofzero's server's; its server ends with it;
//  - the run folder, when it is named as eofzero names its folders
//    (eofzero.XXXXXX) and is the recorded device:inode; images and mount
//    points must lie inside it;
//  - nothing that a live run's entry names (its folder, images, devices).
// What does not match is left alone and said; what is ours but could not be
// released (a busy mount) keeps the entry for a later try.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scratch/run_registry.h"

namespace eofzero::scratch {

struct Reclaimed {
  RunEntry entry;
  std::vector<std::string>
      released;                   // "unmounted /x", "detached /dev/loop3", "removed /d (12 MiB)"
  std::vector<std::string> left;  // not the run's (any more): left alone, and why
  std::vector<std::string> problems;  // the run's, but could not be released: the entry stays
};
// Pure: one line for a person.
std::string Describe(const Reclaimed& r);

// Reclaims every entry of `registry` whose owner is gone; skips entries whose
// owner runs, that another process is reclaiming, or whose folder holds a
// running owner's folder.
std::vector<Reclaimed> ReclaimLeftovers(const std::filesystem::path& registry);

// The guardian's task: once the owner of `entry_file` is gone, reclaims it,
// waiting (up to `nested_wait`) for owners running inside its run folder
// (a matrix's workers) to end first. Nothing when the entry is gone.
std::optional<Reclaimed> ReclaimWhenOwnerIsGone(const std::filesystem::path& entry_file,
                                                std::chrono::seconds nested_wait);

// Waits (up to `wait`) for the runs registered inside `dir` to end, and
// reclaims those that died: a matrix calls it before removing its folder, so
// that a worker killed a moment ago is released before its folder goes.
void SettleRunsInside(const std::filesystem::path& dir, std::chrono::seconds wait);

// The entries of `registry` whose owner still runs.
std::vector<RunEntry> LiveRuns(const std::filesystem::path& registry);

// Pure: whether `path` is named as eofzero names its run folders.
bool IsRunFolderName(const std::filesystem::path& path);

}  // namespace eofzero::scratch
