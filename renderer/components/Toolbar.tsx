import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';
import { LANGUAGES, type Language } from '../i18n';
import { useExports } from './use-exports';
import { ProfileDialog } from './ProfileDialog';
import { ExportMenu } from './ExportMenu';
import { ViewMenu } from './ViewMenu';
import { CaptureOptionsDialog } from './CaptureOptionsDialog';
import { StatisticsMenu } from './statistics/StatisticsMenu';

export function Toolbar() {
  const { t } = useTranslation();
  const status = useApp((s) => s.status);
  const connected = useApp((s) => s.connected);
  const busy = useApp((s) => s.busy);
  const language = useApp((s) => s.language);
  const theme = useApp((s) => s.theme);
  const received = useApp((s) => s.progress.received);
  const startLab = useApp((s) => s.startLab);
  const stopLab = useApp((s) => s.stopLab);
  const openCapture = useApp((s) => s.openCapture);
  const exports = useExports();
  const sidePanelOpen = useApp((s) => s.sidePanelOpen);
  const setSidePanelOpen = useApp((s) => s.setSidePanelOpen);
  const openFollow = useApp((s) => s.openFollow);
  const selectedIndex = useApp((s) => s.selectedIndex);
  const setLanguage = useApp((s) => s.setLanguage);
  const setTheme = useApp((s) => s.setTheme);
  const fileInput = useRef<HTMLInputElement>(null);
  const profileOpen = useApp((s) => s.profileFormOpen);
  const setProfileOpen = useApp((s) => s.setProfileFormOpen);
  const [starting, setStarting] = useState(false);
  const captureOptionsOpen = useApp((s) => s.captureOptionsOpen);
  const setCaptureOptionsOpen = useApp((s) => s.setCaptureOptionsOpen);

  const captureState = status?.capture.state ?? 'idle';
  const serverState = status?.server.state ?? 'stopped';
  const labRunning = captureState === 'running' || captureState === 'starting' || serverState === 'running';

  const onStart = async () => {
    setStarting(true);
    try {
      await startLab();
    } finally {
      setStarting(false);
    }
  };

  const onSave = async () => {
    await exports.capture('all');
  };

  return (
    <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      <button
        type="button"
        className="tb-button tb-start"
        onClick={onStart}
        disabled={!connected || labRunning || starting}
        title={t('toolbar.startTitle')}
      >
        <span className="tb-icon tb-icon-start" aria-hidden="true" />
        {t('toolbar.startLab')}
      </button>
      <button
        type="button"
        className="tb-button tb-stop"
        onClick={() => void stopLab()}
        disabled={!connected || !labRunning}
        title={t('toolbar.stopTitle')}
      >
        <span className="tb-icon tb-icon-stop" aria-hidden="true" />
        {t('toolbar.stop')}
      </button>
      <button
        type="button"
        className="tb-button"
        onClick={() => setCaptureOptionsOpen(true)}
        disabled={!connected || labRunning || starting}
        title={t('captureOptions.buttonTitle')}
      >
        {t('captureOptions.button')}
      </button>
      <span className="tb-sep" aria-hidden="true" />
      <button
        type="button"
        className="tb-button"
        onClick={() => fileInput.current?.click()}
        disabled={!connected || busy === 'open'}
        title={t('toolbar.openTitle')}
      >
        {t('toolbar.open')}
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".pcap,.pcapng,.cap,application/vnd.tcpdump.pcap"
        hidden
        data-testid="open-file"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) await openCapture({ file });
        }}
      />
      <button
        type="button"
        className="tb-button"
        onClick={onSave}
        disabled={!connected || received === 0}
        title={t('toolbar.saveTitle')}
      >
        {t('toolbar.save')}
      </button>
      <ExportMenu />
      <ViewMenu />
      <StatisticsMenu />
      <span className="tb-sep" aria-hidden="true" />
      <button
        type="button"
        className="tb-button"
        onClick={() => setProfileOpen(true)}
        disabled={!connected}
        title={t('toolbar.profileTitle')}
      >
        {t('toolbar.profile')}
      </button>
      <span className="tb-sep" aria-hidden="true" />
      <button
        type="button"
        className={sidePanelOpen ? 'tb-button is-pressed' : 'tb-button'}
        aria-pressed={sidePanelOpen}
        onClick={() => setSidePanelOpen(!sidePanelOpen)}
        title={t('toolbar.guideTitle')}
      >
        {t('toolbar.guide')}
      </button>
      <button
        type="button"
        className="tb-button"
        onClick={() => openFollow('tcp')}
        disabled={selectedIndex === null}
        title={t('toolbar.followTitle')}
      >
        {t('toolbar.followTcp')}
      </button>
      <button
        type="button"
        className="tb-button"
        onClick={() => openFollow('http')}
        disabled={selectedIndex === null}
        title={t('toolbar.followTitle')}
      >
        {t('toolbar.followHttp')}
      </button>
      <span className="tb-spacer" />
      <label className="tb-field">
        <span>{t('toolbar.language')}</span>
        <select
          value={language}
          onChange={(e) => setLanguage(e.target.value as Language)}
          aria-label={t('toolbar.language')}
        >
          {LANGUAGES.map((l) => (
            <option key={l.code} value={l.code}>
              {l.label}
            </option>
          ))}
        </select>
      </label>
      <label className="tb-field">
        <span>{t('toolbar.theme')}</span>
        <select
          value={theme}
          onChange={(e) => setTheme(e.target.value as 'light' | 'dark')}
          aria-label={t('toolbar.theme')}
        >
          <option value="light">{t('toolbar.themeLight')}</option>
          <option value="dark">{t('toolbar.themeDark')}</option>
        </select>
      </label>
      {profileOpen && <ProfileDialog onClose={() => setProfileOpen(false)} />}
      {captureOptionsOpen && <CaptureOptionsDialog onClose={() => setCaptureOptionsOpen(false)} />}
    </div>
  );
}
