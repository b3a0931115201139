// What a capture worker that ended before it was ready is reported as. The stderr samples are Node 20's
// own output for a worker it could not load (recorded from `fork()` as user nobody).
import { describe, expect, it } from 'vitest';
import { workerEndedError, workerFailureReason } from './cap-backend';

const NOT_FOUND = `node:internal/modules/cjs/loader:1210
  throw err;
  ^

Error: Cannot find module '/tmp/x/w/out/capture/capture-worker.js'
    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)
    at Module._load (node:internal/modules/cjs/loader:1038:27)
    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12)
    at node:internal/main/run_main_module:28:49 {
  code: 'MODULE_NOT_FOUND',
  requireStack: []
}

Node.js v20.20.2
`;

const EACCES = `node:fs:448
    return binding.readFileUtf8(path, stringToFlags(options.flag));
                   ^

Error: EACCES: permission denied, open '/tmp/wl/capture-worker.js'
    at Object.readFileSync (node:fs:448:20)
    at loadSource (node:internal/modules/cjs/loader:1548:17)
    at Module.load (node:internal/modules/cjs/loader:1266:32)
    at node:internal/main/run_main_module:28:49 {
  errno: -13,
  code: 'EACCES',
  syscall: 'open',
  path: '/tmp/wl/capture-worker.js'
}

Node.js v20.20.2
`;

describe('workerFailureReason', () => {
  it("finds Node's error line, not the location, the source excerpt, the stack or the banner", () => {
    expect(workerFailureReason(NOT_FOUND)).toBe("Error: Cannot find module '/tmp/x/w/out/capture/capture-worker.js'");
    expect(workerFailureReason(EACCES)).toBe("Error: EACCES: permission denied, open '/tmp/wl/capture-worker.js'");
    expect(workerFailureReason('TypeError [ERR_INVALID_ARG_TYPE]: The "path" argument must be of type string\n')).toBe(
      'TypeError [ERR_INVALID_ARG_TYPE]: The "path" argument must be of type string',
    );
  });

  it('without an error line: the first line that is not noise; nothing when stderr says nothing', () => {
    expect(
      workerFailureReason(
        'node:internal/process/x:1\n    at foo (node:internal/y:1:1)\nlibpcap.so.0.8: cannot open shared object file\n',
      ),
    ).toBe('libpcap.so.0.8: cannot open shared object file');
    expect(workerFailureReason('')).toBeNull();
    expect(workerFailureReason('\n  \nNode.js v20.20.2\n')).toBeNull();
  });
});

describe('workerEndedError', () => {
  it('names the real error and says what to do when the worker file could not be read', () => {
    const error = workerEndedError('capture worker exited with code 1', EACCES, '/tmp/wl/capture-worker.js');
    expect(error.message).toBe(
      "The capture worker could not start (capture worker exited with code 1): Error: EACCES: permission denied, open '/tmp/wl/capture-worker.js'. " +
        'The user running the capture cannot read /tmp/wl/capture-worker.js: that file, its folder /tmp/wl and every ' +
        'folder above it must be readable by that user.',
    );
    expect(error.code).toBe('no-backend');
    expect(error.backend).toBe('cap');
    expect(error.remedy).toMatch(/^Make \/tmp\/wl\/capture-worker\.js readable/);
    // The whole report stays available for "show details".
    expect(error.details).toContain('capture worker exited with code 1');
    expect(error.details).toContain("code: 'EACCES'");

    const missing = workerEndedError(
      'capture worker exited with code 1',
      NOT_FOUND,
      '/tmp/x/w/out/capture/capture-worker.js',
    );
    expect(missing.message).toContain("Error: Cannot find module '/tmp/x/w/out/capture/capture-worker.js'");
    expect(missing.message).toContain('its folder /tmp/x/w/out/capture and every folder above it must be readable');
  });

  it('other failures: the reason, without advice about folders', () => {
    const other = workerEndedError(
      'capture worker exited with code 1',
      "Error: Cannot find module 'cap'\nRequire stack:\n- /opt/wirelab/out/capture/capture-worker.js\n",
      '/opt/wirelab/out/capture/capture-worker.js',
    );
    expect(other.message).toBe(
      "The capture worker ended before capturing (capture worker exited with code 1): Error: Cannot find module 'cap'",
    );
    expect(other.code).toBe('failed');
    expect(workerEndedError('capture worker killed by signal SIGKILL', '', null).message).toBe(
      'The capture worker ended before capturing (capture worker killed by signal SIGKILL).',
    );
  });
});
