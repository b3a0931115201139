/**
 * Bridge calls for Capture → Options that the IPC router and the browser bridge must refuse or
 * pass, shared by their tests so both shells are checked against the same list.
 */
export const validCaptureCalls: Array<[string, unknown[]]> = [
  ['startCapture', [{ device: 'lo' }]],
  [
    'startCapture',
    [{ device: '\\Device\\NPF_Loopback', filter: 'tcp port 80', snapLen: 96, savePath: '/tmp/x.pcapng' }],
  ],
  ['startCapture', [{ device: 'en0', filter: '', snapLen: 262144, backend: 'dumpcap' }]],
  ['checkCaptureFilter', ['tcp port 80', 'lo']],
  ['checkCaptureFilter', ['', 'lo']],
];

export const invalidCaptureCalls: Array<[string, string, unknown[]]> = [
  ['no options', 'startCapture', []],
  ['no device', 'startCapture', [{ filter: 'tcp' }]],
  ['an empty device', 'startCapture', [{ device: '' }]],
  ['a device that looks like an option', 'startCapture', [{ device: '-w/etc/passwd' }]],
  ['a device with a newline', 'startCapture', [{ device: 'lo\nx' }]],
  ['a filter that is not text', 'startCapture', [{ device: 'lo', filter: 80 }]],
  ['a huge filter', 'startCapture', [{ device: 'lo', filter: 'x'.repeat(5000) }]],
  ['snapLen 0', 'startCapture', [{ device: 'lo', snapLen: 0 }]],
  ['snapLen above 262144', 'startCapture', [{ device: 'lo', snapLen: 262145 }]],
  ['a fractional snapLen', 'startCapture', [{ device: 'lo', snapLen: 1.5 }]],
  ['an empty savePath', 'startCapture', [{ device: 'lo', savePath: '' }]],
  ['an unknown option', 'startCapture', [{ device: 'lo', promiscuous: true }]],
  ['an unknown backend', 'startCapture', [{ device: 'lo', backend: 'wireshark' }]],
  ['a second argument', 'startCapture', [{ device: 'lo' }, 1]],
  ['a filter check without a device', 'checkCaptureFilter', ['tcp']],
  ['a filter check with a filter that is not text', 'checkCaptureFilter', [null, 'lo']],
  ['a filter check with an option as device', 'checkCaptureFilter', ['tcp', '--help']],
];
