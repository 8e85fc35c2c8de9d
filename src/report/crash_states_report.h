// How a case's crash states (oracles/crash_states.h) read in the reports:
// one record per case and configuration, named CASE@states, whose evidence
// gives each failing state with its address, the steps that issued its
// writes, what its checks saw and the command that rebuilds it.
#pragma once

#include <string>

#include "oracles/crash_states.h"
#include "report/record.h"

namespace eofzero::report {

// "append_write@states"
std::string CrashStatesName(const std::string& case_name);

// The evidence of failing (and erroring) states: the first few in full.
std::string RenderCrashStatesEvidence(const ConfigInfo& config, const oracles::CrashStates& states);

CaseRecord MakeCrashStatesRecord(const ConfigInfo& config, const oracles::CrashStates& states);

}  // namespace eofzero::report
