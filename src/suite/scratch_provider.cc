#include "suite/scratch_provider.h"

#include <spdlog/spdlog.h>

#include "os/kernel_filesystems.h"
#include "scratch/run_dir.h"

namespace eofzero::suite {
namespace {

class ScratchFsSession : public ScratchSession {
 public:
  ScratchFsSession(std::unique_ptr<scratch::ScratchFs> fs, scratch::RunSpace& space)
      : fs_(std::move(fs)), space_(space) {}
  std::string MkfsCommand() const override { return fs_->mkfs_result().CommandLine(); }
  std::string Device() const override { return fs_->device(); }
  std::uint32_t BlockSize() const override { return fs_->block_size(); }
  engine::CaseRun RunCase(const engine::CaseSpec& spec,
                          const engine::ScenarioOptions& options) override {
    return engine::RunCase(*fs_, spec, options);
  }
  std::string Uuid() const override { return fs_->uuid(); }
  std::string Unusable() const override { return fs_->unusable(); }
  os::Status Finish() override { return fs_->FinishRecording(); }
  void Forget(const engine::CaseSpec& spec) override {
    if (auto st = engine::RemoveCaseFiles(*fs_, spec); !st)
      spdlog::warn("{}: could not remove its files: {}", spec.name, st.error().Message());
  }
  void Keep() override {
    fs_->KeepImage();
    if (space_.dir) space_.dir->Keep();
  }

 private:
  std::unique_ptr<scratch::ScratchFs> fs_;
  scratch::RunSpace& space_;  // outlives the session (the provider owns it)
};

class ScratchFsProvider : public ScratchProvider {
 public:
  ScratchFsProvider(std::filesystem::path workdir, std::optional<scratch::ScratchTarget> target)
      : workdir_(std::move(workdir)), target_(std::move(target)) {}

  os::Status Open() override {
    auto space = scratch::OpenRunSpace(workdir_, !target_);
    if (!space) return std::unexpected(space.error());
    space_.emplace(std::move(*space));
    return {};
  }

  os::Result<std::unique_ptr<ScratchSession>> Make(const scratch::ScratchSpec& spec,
                                                   const std::string& name) override {
    if (!space_) return os::Fail(os::ErrorKind::kInvalid, "ScratchProvider::Make before Open");
    auto fs =
        target_ ? scratch::ScratchFs::CreateOnDevice(spec, *target_, space_->lease.get())
                : scratch::ScratchFs::Create(spec, space_->dir->path(), name, space_->lease.get());
    if (!fs) return std::unexpected(fs.error());
    return std::make_unique<ScratchFsSession>(std::move(*fs), *space_);
  }

  std::optional<StatePlace> StatesPlace() override {
    if (!space_ || !space_->dir) return std::nullopt;
    return StatePlace{space_->dir->path(), space_->lease.get()};
  }

  std::string KernelLacks(const std::string& fstype) const override {
    return os::KernelLacksFilesystem(fstype);
  }

 private:
  const std::filesystem::path workdir_;
  const std::optional<scratch::ScratchTarget> target_;
  // Declared last: released after every session made in it (sessions are
  // the runner's and go first, as they did when the runner owned the space).
  std::optional<scratch::RunSpace> space_;
};

}  // namespace

std::unique_ptr<ScratchProvider> MakeScratchProvider(
    const std::filesystem::path& workdir, const std::optional<scratch::ScratchTarget>& target) {
  return std::make_unique<ScratchFsProvider>(workdir, target);
}

}  // namespace eofzero::suite
