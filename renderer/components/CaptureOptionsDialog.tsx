import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';
import { desktopApi } from '../lib/desktop';
import { MAX_SNAPLEN, type CaptureFilterCheck, type InterfaceSummary, type LabError } from '../../bridge/lab-api';

/** How long typing pauses before the capture filter is compiled on the host. */
export const FILTER_CHECK_DELAY_MS = 300;

type Check =
  | { kind: 'none' }
  | { kind: 'checking' }
  | { kind: 'done'; result: CaptureFilterCheck }
  | { kind: 'failed'; message: string };

const ERROR_CODES = ['permission', 'no-device', 'bad-filter', 'no-backend', 'crashed', 'failed'] as const;
type KnownCode = (typeof ERROR_CODES)[number];

/** The OS the host runs on: both shells run it on this computer (the browser shell is loopback-only). */
function hostPlatform(): 'linux' | 'darwin' | 'win32' {
  const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;
  if (/Windows/i.test(ua)) return 'win32';
  if (/Mac OS X|Macintosh/i.test(ua)) return 'darwin';
  return 'linux';
}

/**
 * Capture → Options: the interfaces the host can capture on, a capture filter (BPF) compiled for
 * the chosen interface while it is typed, the snap length, and (Electron) a file to write. Start
 * captures on that interface without the lab's server; packets stream into the same list.
 */
export function CaptureOptionsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const listInterfaces = useApp((s) => s.listInterfaces);
  const checkCaptureFilter = useApp((s) => s.checkCaptureFilter);
  const startCapture = useApp((s) => s.startCapture);
  const [interfaces, setInterfaces] = useState<InterfaceSummary[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [device, setDevice] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [check, setCheck] = useState<Check>({ kind: 'none' });
  const [limit, setLimit] = useState(false);
  const [snapText, setSnapText] = useState(String(MAX_SNAPLEN));
  const [savePath, setSavePath] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<{ error: LabError; device: string } | null>(null);
  const titleId = useId();
  const filterStatusId = useId();
  const checkSeq = useRef(0);
  const desktop = desktopApi();

  useEffect(() => {
    let cancelled = false;
    listInterfaces()
      .then((list) => {
        if (cancelled) return;
        setInterfaces(list);
        // The loopback interface is what the lab uses: chosen until the student picks another.
        setDevice((current) => current ?? list.find((i) => i.loopback)?.name ?? null);
      })
      .catch((e: unknown) => !cancelled && setListError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [listInterfaces]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  // The filter is compiled for the chosen interface a moment after typing stops; older answers are ignored.
  useEffect(() => {
    const seq = ++checkSeq.current;
    if (device === null) {
      setCheck({ kind: 'none' });
      return;
    }
    setCheck({ kind: 'checking' });
    const timer = setTimeout(() => {
      checkCaptureFilter(filter.trim(), device)
        .then((result) => seq === checkSeq.current && setCheck({ kind: 'done', result }))
        .catch(
          (e: unknown) =>
            seq === checkSeq.current &&
            setCheck({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
        );
    }, FILTER_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [filter, device, checkCaptureFilter]);

  const snapLen = Number(snapText);
  const snapValid = !limit || (/^\d+$/.test(snapText.trim()) && snapLen >= 1 && snapLen <= MAX_SNAPLEN);
  const invalid = check.kind === 'done' && check.result.valid === false;
  const deviceGone = check.kind === 'done' && check.result.error?.code === 'no-device';
  const canStart = device !== null && check.kind !== 'checking' && !invalid && !deviceGone && snapValid && !starting;

  const describeError = (e: LabError, on: string) => {
    const code: KnownCode = (ERROR_CODES as readonly string[]).includes(e.code) ? (e.code as KnownCode) : 'failed';
    const remedy =
      code === 'permission'
        ? t(`captureOptions.remedy.permission.${hostPlatform()}`)
        : t(`captureOptions.remedy.${code}`);
    return { headline: t(`captureOptions.error.${code}`, { device: on }), remedy };
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canStart || device === null) return;
    setStarting(true);
    setError(null);
    try {
      const status = await startCapture({
        device,
        filter: filter.trim(),
        snapLen: limit ? snapLen : MAX_SNAPLEN,
        ...(savePath ? { savePath } : {}),
      });
      if (status?.capture.state === 'running') onClose();
      else if (status?.capture.error) setError({ error: status.capture.error, device });
    } finally {
      setStarting(false);
    }
  };

  const chooseFile = async () => {
    const chosen = await desktop?.chooseSavePath('capture', `${device ?? 'capture'}.pcapng`.replace(/[\\/:]/g, '_'));
    if (chosen) setSavePath(chosen);
  };

  let filterStatus: { text: string; tone: 'ok' | 'error' | 'info' } | null = null;
  if (device === null) filterStatus = { text: t('captureOptions.chooseInterface'), tone: 'info' };
  else if (check.kind === 'checking') filterStatus = { text: t('captureOptions.checking'), tone: 'info' };
  else if (check.kind === 'failed')
    filterStatus = { text: t('captureOptions.unchecked', { message: check.message }), tone: 'info' };
  else if (check.kind === 'done') {
    const r = check.result;
    if (r.valid === true)
      filterStatus =
        r.filter === ''
          ? { text: t('captureOptions.everything', { device: r.device }), tone: 'ok' }
          : {
              text: t('captureOptions.valid', {
                count: r.instructions ?? 0,
                tool: r.checkedBy ?? '?',
                device: r.device,
              }),
              tone: 'ok',
            };
    else if (r.valid === false)
      filterStatus = { text: t('captureOptions.invalid', { message: r.message ?? '' }), tone: 'error' };
    else if (r.error?.code === 'no-device') filterStatus = null;
    else filterStatus = { text: t('captureOptions.unchecked', { message: r.error?.message ?? '' }), tone: 'info' };
  }
  const shownError =
    error ??
    (deviceGone && check.kind === 'done' && check.result.error
      ? { error: check.result.error, device: device ?? '' }
      : null);
  const described = shownError ? describeError(shownError.error, shownError.device) : null;

  return (
    <div className="dialog-backdrop">
      <form
        className="dialog capture-options-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onSubmit={onSubmit}
      >
        <h2 id={titleId}>{t('captureOptions.title')}</h2>
        <p className="form-hint">{t('captureOptions.intro')}</p>

        <fieldset className="capture-interfaces">
          <legend>{t('captureOptions.interfaces')}</legend>
          {interfaces === null && !listError && <p className="form-hint">{t('captureOptions.loading')}</p>}
          {listError && (
            <p className="form-error" role="alert">
              {t('captureOptions.listFailed', { message: listError })}
            </p>
          )}
          {interfaces !== null && interfaces.length === 0 && <p className="form-hint">{t('captureOptions.none')}</p>}
          {interfaces !== null && interfaces.length > 0 && (
            <div className="capture-interfaces-scroll">
              <table className="capture-interfaces-table">
                <thead>
                  <tr>
                    <th scope="col">{t('captureOptions.name')}</th>
                    <th scope="col">{t('captureOptions.description')}</th>
                    <th scope="col">{t('captureOptions.addresses')}</th>
                    <th scope="col">{t('captureOptions.loopback')}</th>
                  </tr>
                </thead>
                <tbody>
                  {interfaces.map((i) => (
                    <tr
                      key={i.name}
                      className={i.name === device ? 'is-selected' : undefined}
                      onClick={() => setDevice(i.name)}
                    >
                      <td>
                        <label>
                          <input
                            type="radio"
                            name="capture-device"
                            value={i.name}
                            checked={i.name === device}
                            onChange={() => setDevice(i.name)}
                          />{' '}
                          {i.name}
                        </label>
                      </td>
                      <td>{i.description ?? ''}</td>
                      <td>{i.addresses.join(', ')}</td>
                      <td>{i.loopback ? t('captureOptions.yes') : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </fieldset>

        <label className="form-row">
          <span>{t('captureOptions.filter')}</span>
          <input
            className="capture-filter-input"
            value={filter}
            maxLength={4096}
            spellCheck={false}
            placeholder={t('captureOptions.filterPlaceholder')}
            aria-invalid={invalid}
            aria-describedby={filterStatusId}
            data-state={
              check.kind === 'done'
                ? check.result.valid === true
                  ? 'valid'
                  : invalid
                    ? 'invalid'
                    : 'unknown'
                : check.kind
            }
            onChange={(e) => setFilter(e.target.value)}
          />
        </label>
        <div
          id={filterStatusId}
          role="status"
          className={`capture-filter-status is-${filterStatus?.tone ?? 'info'}`}
          data-testid="capture-filter-status"
        >
          {filterStatus?.text ?? ''}
        </div>
        <p className="form-hint">{t('captureOptions.filterHint')}</p>

        <div className="form-row capture-snaplen">
          <label>
            <input type="checkbox" checked={limit} onChange={(e) => setLimit(e.target.checked)} />{' '}
            {t('captureOptions.limit')}
          </label>
          <input
            type="number"
            min={1}
            max={MAX_SNAPLEN}
            value={snapText}
            disabled={!limit}
            aria-label={t('captureOptions.snapLen')}
            aria-invalid={!snapValid}
            onChange={(e) => setSnapText(e.target.value)}
          />
          <span>{t('captureOptions.bytes')}</span>
        </div>
        <p className="form-hint">
          {snapValid
            ? t('captureOptions.snapLenHint', { max: MAX_SNAPLEN })
            : t('captureOptions.snapLenRange', { max: MAX_SNAPLEN })}
        </p>

        <fieldset className="capture-output">
          <legend>{t('captureOptions.output')}</legend>
          {desktop ? (
            <>
              <div className="form-row">
                <output className="capture-output-path">{savePath ?? t('captureOptions.noOutput')}</output>
                <button type="button" className="tb-button" onClick={() => void chooseFile()}>
                  {t('captureOptions.browse')}
                </button>
                {savePath && (
                  <button type="button" className="tb-button" onClick={() => setSavePath(null)}>
                    {t('captureOptions.clearOutput')}
                  </button>
                )}
              </div>
              <p className="form-hint">{t('captureOptions.outputDesktop')}</p>
            </>
          ) : (
            <p className="form-hint">{t('captureOptions.outputWeb')}</p>
          )}
        </fieldset>

        {described && shownError && (
          <div className="form-error" role="alert">
            <strong>{described.headline}</strong> {shownError.error.message}
            <div className="notice-remedy">{described.remedy}</div>
          </div>
        )}

        <div className="dialog-buttons">
          <button type="button" className="tb-button" onClick={onClose}>
            {t('captureOptions.cancel')}
          </button>
          <button type="submit" className="tb-button is-primary" disabled={!canStart}>
            {starting ? t('captureOptions.starting') : t('captureOptions.start')}
          </button>
        </div>
      </form>
    </div>
  );
}
