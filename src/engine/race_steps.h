// The race steps: threads that run through the case's os::System at once,
// each race repeated (`-n`) so an intermittent one gets many tries in one
// case. They act on the case's main file, record every write they made in
// the crash model's history (engine/history.h), check what the threads left
// right away, and leave what each range must hold for `check races` to look
// again after the crash. Their registry entries are in engine/steps.cc.
#pragma once

#include "engine/step.h"
#include "os/error.h"

namespace eofzero::engine {

// race_mmap_append [-n N] [-S pat]: stores through a mapping of the EOF page
// (past EOF) against that page's writeback; then stores below EOF against an
// appending pwrite and its sync_file_range. The gap must read zero.
os::Status RaceMmapAppend(Interpreter& in, const Step& s);
// race_dio [-n N] [-u] [-N] off: two O_DIRECT writers of one sector each
// into the same block (a hole, with -u an unwritten extent; with -N
// RWF_NOWAIT, where EAGAIN is allowed). Their bytes intact, the rest zero.
os::Status RaceDio(Interpreter& in, const Step& s);
// race_dio_read [-n N] off len: O_DIRECT reads of one block and of one
// sector, one O_DIRECT read of the whole range and a buffered read, at once:
// all must agree.
os::Status RaceDioRead(Interpreter& in, const Step& s);
// check races: every range a race step wrote, read again (buffered; O_DIRECT
// where it perturbs nothing, and always after the crash).
os::Status CheckRaces(Interpreter& in, const Step& s);

// What they ask of the filesystem.
StepDemand RaceAppendDemand(const StepNumbers& n, const StepFlagValues& flag);
StepDemand RaceDioDemand(const StepNumbers& n, const StepFlagValues& flag);
StepDemand RaceReadDemand(const StepNumbers& n, const StepFlagValues& flag);

}  // namespace eofzero::engine
