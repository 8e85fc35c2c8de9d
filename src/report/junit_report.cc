#include "report/junit_report.h"

#include <fmt/format.h>

#include <cstdio>
#include <pugixml.hpp>
#include <sstream>

#include "os/process.h"
#include "report/standing.h"

namespace eofzero::report {
namespace {

std::string Time(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", seconds);
  return buf;
}

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  double seconds = 0;
  void Add(Standing s, double t) {
    ++tests;
    seconds += t;
    if (s == Standing::kNewFail || s == Standing::kUnexpectedPass) ++failures;
    if (s == Standing::kError) ++errors;
    if (s == Standing::kSkip) ++skipped;
  }
  void Write(pugi::xml_node node) const {
    node.append_attribute("tests") = tests;
    node.append_attribute("failures") = failures;
    node.append_attribute("errors") = errors;
    node.append_attribute("skipped") = skipped;
    node.append_attribute("time") = Time(seconds).c_str();
  }
};

void Property(pugi::xml_node props, const char* name, const std::string& value) {
  auto p = props.append_child("property");
  p.append_attribute("name") = name;
  p.append_attribute("value") = value.c_str();
}

void Text(pugi::xml_node node, const std::string& text) {
  node.append_child(pugi::node_pcdata).set_value(text.c_str());
}

std::string SystemOut(const CaseRecord& r) {
  std::string s;
  if (r.expected_failure)
    s += "expected failure: " + r.expected_failure->reason + "\n" + r.summary + "\n" + r.evidence;
  for (const auto& n : r.notes) s += "note: " + n + "\n";
  return s;
}

// A <failure> or <error> child: message and type attributes, `text` inside.
void Outcome(pugi::xml_node tc, const char* element, const std::string& message, const char* type,
             const std::string& text) {
  auto node = tc.append_child(element);
  node.append_attribute("message") = message.c_str();
  node.append_attribute("type") = type;
  Text(node, text);
}

void AddCase(pugi::xml_node suite, const std::string& suite_name, const CaseRecord& r) {
  auto tc = suite.append_child("testcase");
  tc.append_attribute("name") = r.case_name.c_str();
  tc.append_attribute("classname") = ("eofzero." + suite_name).c_str();
  tc.append_attribute("time") = Time(r.seconds).c_str();
  if (!r.case_file.empty()) tc.append_attribute("file") = r.case_file.c_str();
  switch (StandingOf(r)) {
    case Standing::kNewFail:
      Outcome(tc, "failure", r.summary, "FAIL", r.evidence);
      break;
    case Standing::kUnexpectedPass:
      Outcome(tc, "failure",
              "unexpected pass: declared an expected failure (" + r.expected_failure->reason +
                  ") but it passed; remove the declaration if the bug is fixed",
              "XPASS", r.summary);
      break;
    case Standing::kError:
      Outcome(tc, "error", r.summary, r.not_run ? "NOT_RUN" : "ERROR", r.reason);
      break;
    case Standing::kSkip:
      tc.append_child("skipped").append_attribute("message") =
          (r.reason.empty() ? r.summary : r.reason).c_str();
      break;
    case Standing::kPass:
    case Standing::kExpectedFail:
      break;
  }
  if (auto out = SystemOut(r); !out.empty()) Text(tc.append_child("system-out"), out);
}

}  // namespace

std::string RenderJunit(const RunRecord& record) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto root = doc.append_child("testsuites");
  root.append_attribute("name") = "eofzero";
  Counts all;
  for (const auto& c : record.configs) {
    const std::string name = c.config.Short();
    auto suite = root.append_child("testsuite");
    suite.append_attribute("name") = name.c_str();
    if (!record.started.empty()) suite.append_attribute("timestamp") = record.started.c_str();
    auto props = suite.append_child("properties");
    // A guest's configuration ran on the guest's kernel (`eofzero kernels`).
    Property(props, "kernel",
             c.guest && !c.guest->release.empty() ? c.guest->release : record.kernel);
    if (c.guest) {
      Property(props, "guest_kernel", c.guest->kernel);
      Property(props, "boot_seconds", fmt::format("{:.1f}", c.guest->boot_seconds));
      Property(props, "run_seconds", fmt::format("{:.1f}", c.guest->run_seconds));
    }
    if (!record.tool.version.empty()) Property(props, "eofzero_version", record.tool.version);
    if (!record.tool.commit.empty()) Property(props, "eofzero_commit", record.tool.commit);
    Property(props, "fs", c.config.fs);
    Property(props, "block_size", std::to_string(c.config.block_size));
    Property(props, "mkfs_command", c.config.mkfs_command);
    Property(props, "mount_options", c.config.mount_options);
    if (!c.setup_error.empty()) Property(props, "setup_error", c.setup_error);
    if (record.interrupted_by)
      Property(props, "interrupted", os::DescribeSignal(record.interrupted_by));
    Counts counts;
    for (const auto& r : c.cases) {
      AddCase(suite, name, r);
      counts.Add(StandingOf(r), r.seconds);
      all.Add(StandingOf(r), r.seconds);
    }
    counts.Write(suite);
  }
  all.Write(root);
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace eofzero::report
