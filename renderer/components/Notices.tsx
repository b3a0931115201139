import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';

/** Errors (with what to do next) and short confirmations, above the status bar. */
export function Notices() {
  const { t } = useTranslation();
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismiss);

  // Confirmations go away by themselves; warnings and errors stay until dismissed.
  useEffect(() => {
    const timers = notices.filter((n) => n.level === 'info').map((n) => setTimeout(() => dismiss(n.id), 4000));
    return () => timers.forEach(clearTimeout);
  }, [notices, dismiss]);

  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice is-${n.level}`} role={n.level === 'error' ? 'alert' : 'status'}>
          <div className="notice-text">
            <div className="notice-message">{n.message}</div>
            {n.remedy && (
              <div className="notice-remedy">
                <strong>{t('status.whatToDo')}</strong> {n.remedy}
              </div>
            )}
          </div>
          <button type="button" className="mini-button" onClick={() => dismiss(n.id)} aria-label={t('status.dismiss')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
