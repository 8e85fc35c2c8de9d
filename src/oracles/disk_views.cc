#include "oracles/disk_views.h"

#include <dtl/dtl.hpp>

#include "fsdriver/units.h"

namespace eofzero::oracles {
namespace {

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  for (std::string_view line : fsdriver::SplitLines(text)) out.emplace_back(line);
  return out;
}

// A tool's output with the view's own name for the filesystem taken out, so
// that "/dev/loop0: 12/16384 files" and "/…/ext4.img: 12/16384 files" agree.
std::string Neutral(std::string text, const std::string& source) {
  if (source.empty()) return text;
  for (auto at = text.find(source); at != std::string::npos; at = text.find(source, at + 4))
    text.replace(at, source.size(), "<fs>");
  return text;
}

FsckResult Classified(const engine::FsckObservation& f) {
  return f.run ? ClassifyFsck(f.fs, *f.run) : FsckNotRun(f.fs, f.not_run.value_or(os::Error{}));
}

const char* kKernel = "through the block device's cache";
const char* kDisk = "on the disk";

void CompareFsck(const engine::DiskView& kernel, const engine::DiskView& disk,
                 DiskViewsDisagreement& d) {
  d.kernel_fsck = Classified(kernel.fsck);
  d.disk_fsck = Classified(disk.fsck);
  if (!kernel.fsck.run || !disk.fsck.run) return;  // a tool missing is not a view's fact
  const std::string tool = FsckProgramOf(kernel.fsck.fs);
  if (d.kernel_fsck.verdict != d.disk_fsck.verdict) {
    d.differences.push_back(tool + ": " + FsckVerdictName(d.kernel_fsck.verdict) + " " + kKernel +
                            ", " + FsckVerdictName(d.disk_fsck.verdict) + " " + kDisk);
    return;
  }
  // Some fsck's output is not comparable (xfs_repair's threads finish the
  // AGs in any order); e2fsck's is, once the names are taken out.
  if (!fsdriver::Driver(kernel.fsck.fs).FsckOutputComparable()) return;
  const auto& k = *kernel.fsck.run;
  const auto& o = *disk.fsck.run;
  if (Neutral(k.out + k.err, kernel.source) != Neutral(o.out + o.err, disk.source))
    d.differences.push_back(tool + " is " + FsckVerdictName(d.kernel_fsck.verdict) +
                            " on both views, but its output differs");
}

void CompareOffline(const engine::OfflineFacts& k, const engine::OfflineFacts& o,
                    DiskViewsDisagreement& d) {
  const std::string reader = k.reader.empty() ? o.reader : k.reader;
  if (!k.error.empty() || !o.error.empty()) {
    if (k.error.empty() != o.error.empty())
      d.differences.push_back(reader + " failed " + (k.error.empty() ? kDisk : kKernel) + ": " +
                              (k.error.empty() ? o.error : k.error));
    return;
  }
  const auto at = [](const engine::OfflineFacts& f) {
    return f.offset ? "device offset " + std::to_string(*f.offset) : f.how;
  };
  if (k.size != o.size)
    d.differences.push_back(reader + ": the file's on-disk size is " + std::to_string(k.size) +
                            " " + kKernel + ", " + std::to_string(o.size) + " " + kDisk);
  if (k.offset != o.offset || k.how != o.how)
    d.differences.push_back(reader + ": the EOF block is at " + at(k) + " " + kKernel + ", at " +
                            at(o) + " " + kDisk);
  else if (k.bytes != o.bytes)
    d.differences.push_back(reader + ": the EOF block's bytes differ between the views");
}

void CompareMetadata(const engine::DiskView& kernel, const engine::DiskView& disk,
                     DiskViewsDisagreement& d) {
  if (!kernel.metadata || !disk.metadata) return;
  d.metadata_tool = kernel.metadata->argv.empty() ? "" : kernel.metadata->argv[0];
  const std::string k = Neutral(kernel.metadata->out, kernel.source);
  const std::string o = Neutral(disk.metadata->out, disk.source);
  if (k == o) return;
  d.metadata_diff = DifferingLines(k, o, [](std::string_view line) {
    return line.substr(std::min(line.find_first_not_of(' '), line.size())).starts_with("Group ");
  });
  std::size_t changed = 0;
  for (const auto& line : d.metadata_diff) changed += line.starts_with("- ");
  d.differences.push_back(d.metadata_tool + ": " + std::to_string(changed) +
                          (changed == 1 ? " line" : " lines") + " of the cache's metadata " +
                          (changed == 1 ? "differs" : "differ") + " from the disk's");
}

}  // namespace

std::vector<std::string> DifferingLines(std::string_view kernel, std::string_view disk,
                                        const std::function<bool(std::string_view)>& is_header) {
  dtl::Diff<std::string, std::vector<std::string>> diff(Lines(kernel), Lines(disk));
  diff.onHuge();
  diff.compose();
  std::vector<std::string> out;
  std::string header;  // the latest header line
  bool header_shown = false;
  for (const auto& [line, info] : diff.getSes().getSequence()) {
    if (info.type == dtl::SES_COMMON) {
      if (is_header(line)) {
        header = line;
        header_shown = false;
      }
      continue;
    }
    if (is_header(line)) {  // a changed header is its own context
      header = line;
      header_shown = true;
    } else if (!header.empty() && !header_shown) {
      out.push_back(header);
      header_shown = true;
    }
    out.push_back((info.type == dtl::SES_DELETE ? "- " : "+ ") + line);
  }
  return out;
}

std::optional<DiskViewsDisagreement> CompareDiskViews(const engine::DiskViews& views) {
  if (!views.disk) return std::nullopt;
  const engine::DiskView& kernel = views.kernel;
  const engine::DiskView& disk = *views.disk;
  DiskViewsDisagreement d;
  d.kernel_source = kernel.source;
  d.kernel_how = kernel.how;
  d.disk_source = disk.source;
  d.disk_how = disk.how;
  CompareFsck(kernel, disk, d);
  if (kernel.offline && disk.offline) CompareOffline(*kernel.offline, *disk.offline, d);
  CompareMetadata(kernel, disk, d);
  if (d.differences.empty()) return std::nullopt;
  return d;
}

}  // namespace eofzero::oracles
