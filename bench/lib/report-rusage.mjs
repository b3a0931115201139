// Preloaded with `node --import` when /usr/bin/time is missing: writes this process's peak
// RSS (kB) to the file named by $WIRELAB_RUSAGE_FILE when it exits.
import { writeFileSync } from 'node:fs';

const file = process.env.WIRELAB_RUSAGE_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
