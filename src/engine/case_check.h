// The checks of a case that need to know where it will run: its variables at
// a block size, every step's numbers, and what the steps ask of the
// filesystem and its image. Run before anything is built, so that a bad case
// is a FILE:LINE error (exit 2), never an ERROR after mkfs.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>

#include "engine/case_spec.h"
#include "engine/expr.h"
#include "fsdriver/registry.h"

namespace eofzero::engine {

// {bs}, {ps}, {gap}, {eof}, {eof_block}, {eob} for `spec` on a filesystem of
// block size `bs`; `default_gap` is --gap, for cases without their own.
// The error is "FILE:LINE: message".
std::expected<Variables, std::string> VariablesFor(const CaseSpec& spec, std::uint32_t bs,
                                                   std::uint32_t page_size,
                                                   std::uint32_t default_gap);

// Where a case will run.
struct CaseTarget {
  fsdriver::FsType fs = fsdriver::kInitialFsType;
  std::uint32_t block_size = 4096;
  std::uint32_t page_size = 4096;
  std::uint32_t default_gap = 16;  // --gap, for cases without their own
  // The image the filesystem is made on (--image-size, or the filesystem's
  // default); nullopt on a user's scratch device, whose size is not checked.
  std::optional<std::uint64_t> image_bytes;
  std::string image_from = "--image-size";  // names image_bytes in errors
};

// VariablesFor, then every number of every step evaluates (no overflow) and
// is >= 0; -S patterns are bytes (0 to 0xff); every offset + length, size
// and copy range a step uses fits in the largest file target.fs holds at
// that block size; and the bytes the steps may allocate (pwrite and mwrite,
// falloc and fzero with or without -k, copy_range -l, reflink lengths) add
// up to at most scratch::CaseAllocationBudget of the image; a pread reads at
// most the image's size.
std::expected<void, std::string> PreflightCase(const CaseSpec& spec, const CaseTarget& target);

}  // namespace eofzero::engine
