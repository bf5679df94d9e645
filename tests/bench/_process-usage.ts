// Preloaded (--import) into a process a benchmark measures: at exit it writes the process's
// own peak resident memory and CPU time to the file named by HERALD_USAGE_FILE.
import { writeFileSync } from 'node:fs';

const target = process.env.HERALD_USAGE_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      target,
      JSON.stringify({
        maxRssMb: usage.maxRSS / 1024,
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      }),
    );
  });
}
