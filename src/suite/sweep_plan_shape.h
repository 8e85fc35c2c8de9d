// The sweep's reading of a case (pure, for suite/sweep_plan.cc): where its
// extension and its durability point are, and the extension's steps for one
// primitive and distance.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <vector>

#include "engine/case_spec.h"

namespace eofzero::suite {

struct SweepShape {
  std::size_t plant = 0, shutdown = 0;  // the plant and the first shutdown after it
  // Between them: the extension's steps (with its `expect size` steps), and
  // the durability point: the flushes after the last step that changes the
  // file (pwrite's own -w/-W/-D/-Y are dropped from the extension's pwrites).
  std::vector<std::size_t> window, point;
  std::string open_flags;  // of the last `open ... main` before the window
  bool on_main = true;     // the window's steps act on main
  std::string crash;       // the first shutdown's mode: freeze, logflush, nologflush
};

// Why a case cannot be swept (no plant and shutdown, no extension between).
std::expected<SweepShape, std::string> SweepShapeOf(const engine::CaseSpec& spec);

// The case's own distance: "" when the extension is not one pwrite at an
// offset the case chose; else the name in kDistances whose offset is the
// case's (append_write's `{eob}`: next-block), or "as-written".
std::string OwnDistance(const engine::CaseSpec& spec, const SweepShape& shape);

// Whether `primitive` can act on the extension's file (fsync and the write
// flags would act on another file when the extension does).
bool AppliesToShape(const SweepShape& shape, const std::string& primitive);

// The extension's steps for one primitive and distance ("" or "as-written":
// the case's own offsets), the primitive's steps last; empty when the
// primitive does not apply (o_sync on a truncate; sync_range on an
// extension that writes no data, or data at a range not known in advance).
std::vector<engine::Step> SweepExtension(const engine::CaseSpec& spec, const SweepShape& shape,
                                         const std::string& primitive, const std::string& distance);

// Two steps mean the same: the same step, flags, numbers (blanks aside) and
// words; their lines and texts aside.
bool SameMeaning(const engine::Step& a, const engine::Step& b);

// A step of the sweep's own, parsed as a case file's would be.
engine::Step MadeStep(const std::string& text, int line);
// The shutdown step of a crash mode: "shutdown -s", "shutdown -f", "shutdown".
std::string ShutdownText(const std::string& crash);

}  // namespace eofzero::suite
