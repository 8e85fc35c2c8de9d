#include "cli/option_groups.h"
#include "fsdriver/registry.h"

namespace eofzero::cli {

void AddKernelsOptions(CLI::App& app, RawOptions& raw) {
  app.add_option(
         "--kernel", raw.kernels,
         "kernels, comma separated: a Debian suite (bookworm, trixie, sid, bookworm-backports, "
         "trixie-backports), a package "
         "(linux-image-..., SUITE/linux-image-..., or its version), a .deb, or "
         "PATH/bzImage[:MODULES_DIR]");  // split by guest::ParseKernelList: empties are errors
  app.add_option("--fs", raw.fs, "filesystems to test, comma separated (" + fsdriver::FsTypeNames(",") + ")")->delimiter(',');
  AddCaseOptions(app, raw);
  app.add_option("-j,--jobs", raw.jobs, "guests at once, a kernel's configurations side by side (the number of online CPUs)");
  app.add_option("--shard", raw.shard, "run only the K-th of M slices of the kernels (K/M)");
  app.add_option("--timeout", raw.timeout, "seconds a guest may take to boot and run (900)");
  app.add_option("--append", raw.append, "extra kernel command-line words");
  app.add_flag("--selftest", raw.kernels_selftest,
               "run `eofzero selftest` in each guest (on images on loop devices there) instead of "
               "the cases");
  app.add_option("--probe-case", raw.probe_case,
                 "with --selftest: the case the controls run on (truncate_up)");
  app.add_option("--cache-dir", raw.cache_dir,
                 "where kernels and initramfs archives are kept ($EOFZERO_KERNEL_CACHE, else "
                 "/var/cache/eofzero/kernels)");
  app.add_option("--workdir", raw.workdir, "where the guests' disks live ($TMPDIR or /var/tmp)");
  app.add_flag("--keep", raw.keep, "keep the guests' folders (console logs, disks)");
  app.add_flag("-v,--verbose", raw.verbose, "more diagnostics on stderr (repeatable)");
  app.add_flag("-q,--quiet", raw.quiet, "fewer diagnostics on stderr");
  AddReportOptions(app, raw);
}

}  // namespace eofzero::cli
