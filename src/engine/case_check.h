// The checks of a case that need a block size: its variables and every step's
// numbers. Run before anything is built, so that a bad case is a FILE:LINE
// error (exit 2), never an ERROR after mkfs.
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include "engine/case_spec.h"
#include "engine/expr.h"

namespace eofzero::engine {

// {bs}, {ps}, {gap}, {eof}, {eof_block}, {eob} for `spec` on a filesystem of
// block size `bs`; `default_gap` is --gap, for cases without their own.
// The error is "FILE:LINE: message".
std::expected<Variables, std::string> VariablesFor(const CaseSpec& spec, std::uint32_t bs,
                                                   std::uint32_t page_size,
                                                   std::uint32_t default_gap);

// VariablesFor, then every number of every step evaluates, and is >= 0.
std::expected<void, std::string> PreflightCase(const CaseSpec& spec, std::uint32_t bs,
                                               std::uint32_t page_size, std::uint32_t default_gap);

}  // namespace eofzero::engine
