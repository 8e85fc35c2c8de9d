// A test-only hold: lets an integration test stop a run at a point of its
// choosing and act while the run is provably there (stack a mount, send a
// signal, kill it), instead of racing it. Asked for with
//
//   EOFZERO_TEST_HOLD=SOCKET:TEXT
//
// SOCKET is a Unix stream socket the test listens on, TEXT a piece of a
// diagnostic message (any level, whatever -v says): at every message that
// contains TEXT, the process connects to SOCKET, says who it is and where,
// and waits until the test lets it go on. Nobody listening (the test took the
// one hold it wanted and closed its listener, or died) lets it go on at once,
// so the processes that inherit the variable (a matrix's workers) are told
// apart by the test: it accepts whom it wants. Unset, nothing of this runs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "os/error.h"

namespace eofzero::os {

inline constexpr const char* kTestHoldVariable = "EOFZERO_TEST_HOLD";

struct HoldPoint {
  std::string socket;  // the test's listening socket
  std::string text;    // the point: a message that contains this
};

// The hold a value of EOFZERO_TEST_HOLD asks for: SOCKET:TEXT, split at the
// first ':' (TEXT may hold more), neither empty. An error says what is wrong.
Result<HoldPoint> ParseHoldPoint(std::string_view value);

// Tells the test listening on `socket` that this process is at `message`: it
// sends "PID\nMESSAGE" and half-closes the connection, then waits until the
// test closes it or sends a byte. A signal that arrives meanwhile is handled
// (its handler only records it) and the wait goes on. True when held; false,
// at once, when nobody listens (ECONNREFUSED, ENOENT).
Result<bool> HoldAt(const std::string& socket, std::string_view message);

}  // namespace eofzero::os
