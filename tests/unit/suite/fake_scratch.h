// A ScratchProvider for the runners' unit tests: no root, no kernel. It
// records what the runner asked for (which filesystems, which cases on
// which), fails what the test says should fail, and answers each case with
// the run the test planned (a passing run by default).
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "report/sample_runs.h"
#include "suite/scratch_provider.h"

namespace eofzero::suite::testing {

class FakeScratch : public ScratchProvider {
 public:
  // What happened, in order: "open", "make ext4-4096", "ext4-4096: truncate_up",
  // "keep ext4-4096", "release ext4-4096".
  std::vector<std::string> log;
  std::optional<os::Error> open_error;
  std::map<std::string, os::Error> make_errors;  // by filesystem name ("xfs-4096")
  // The run a case ends with, by case name; a passing run for the others.
  std::map<std::string, std::function<engine::CaseRun(const engine::ScenarioOptions&)>> runs;
  // The cases whose files the runner removed, in order.
  std::vector<std::string> forgotten;
  // A session that ran this case is unusable from then on, for this reason.
  std::map<std::string, std::string> unusable_after;
  // Filesystems this fake kernel cannot mount, with the reason KernelLacks gives.
  std::map<std::string, std::string> lacking;
  // Called after each case has run (e.g. to raise an interrupt).
  std::function<void(const std::string& case_name)> after_case;

  os::Status Open() override {
    log.push_back("open");
    if (open_error) return std::unexpected(*open_error);
    return {};
  }

  std::string KernelLacks(const std::string& fstype) const override {
    auto it = lacking.find(fstype);
    return it == lacking.end() ? "" : it->second;
  }

  os::Result<std::unique_ptr<ScratchSession>> Make(const scratch::ScratchSpec& spec,
                                                   const std::string& name) override {
    log.push_back("make " + name);
    if (auto it = make_errors.find(name); it != make_errors.end())
      return std::unexpected(it->second);
    return std::make_unique<Session>(*this, spec, name);
  }

 private:
  class Session : public ScratchSession {
   public:
    Session(FakeScratch& owner, scratch::ScratchSpec spec, std::string name)
        : owner_(owner), spec_(std::move(spec)), name_(std::move(name)) {}
    ~Session() override { owner_.log.push_back("release " + name_); }
    std::string MkfsCommand() const override { return "mkfs." + name_ + " /dev/loop9"; }
    std::string Device() const override { return "/dev/loop9"; }
    std::uint32_t BlockSize() const override { return spec_.block_size; }
    engine::CaseRun RunCase(const engine::CaseSpec& c,
                            const engine::ScenarioOptions& options) override {
      owner_.log.push_back(name_ + ": " + c.name);
      auto it = owner_.runs.find(c.name);
      auto run = it != owner_.runs.end() ? it->second(options) : report::sample::PassedRun(c.name);
      run.case_name = c.name;
      if (owner_.after_case) owner_.after_case(c.name);
      if (auto u = owner_.unusable_after.find(c.name); u != owner_.unusable_after.end())
        unusable_ = u->second;
      return run;
    }
    std::string Unusable() const override { return unusable_; }
    void Forget(const engine::CaseSpec& c) override { owner_.forgotten.push_back(c.name); }
    void Keep() override { owner_.log.push_back("keep " + name_); }

   private:
    FakeScratch& owner_;
    scratch::ScratchSpec spec_;
    std::string name_;
    std::string unusable_;
  };
};

inline engine::CaseSpec Case(const std::string& name, std::vector<fsdriver::FsType> filesystems = {},
                             std::optional<std::uint32_t> block_size = std::nullopt) {
  engine::CaseSpec c;
  c.name = name;
  c.source = "/cases/" + name + ".toml";
  c.filesystems = std::move(filesystems);
  c.block_size = block_size;
  return c;
}

}  // namespace eofzero::suite::testing
