// The one check of the cases before anything is built, for `list`, `run`,
// `selftest` and `matrix` alike: a case that cannot run as the options say is
// an exit-2 error naming its file and line, never an ERROR after mkfs.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "cli/options.h"
#include "engine/case_spec.h"
#include "suite/matrix_plan.h"

namespace eofzero::cli {

// Checks every case (engine::PreflightCase) on each filesystem of `options`
// it applies to, at its own block size or options.block_size, with options'
// --gap and the image each filesystem will get (--image-size, else
// scratch::DefaultImageBytes; the size of a user's scratch device is not
// checked). A case for none of them (a SKIP at run time) is checked on each
// filesystem it names, with its default image. Also refuses an
// --image-size too small for mkfs at a block size a case needs. The error is
// "FILE:LINE: message" or "--image-size: ..." (pure; no I/O).
std::expected<void, std::string> PreflightCases(const suite::RunOptions& options,
                                                const std::vector<const engine::CaseSpec*>& cases);

// Checks each matrix configuration's cases as its worker will run them
// (PreflightCases at the configuration's filesystem and block size, with the
// default gap and image size), before any worker starts (pure). The error is
// "FILE:LINE: message (configuration NAME)".
std::expected<void, std::string> PreflightMatrix(const std::vector<suite::MatrixJob>& jobs,
                                                 const std::vector<engine::CaseSpec>& catalog);

// The same for every case of a list, as pointers.
std::vector<const engine::CaseSpec*> Pointers(const std::vector<engine::CaseSpec>& cases);

}  // namespace eofzero::cli
