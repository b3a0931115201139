import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';
import { readFileBytes } from '../lib/download';

/** Edits the profile page: major 专业, student ID 学号, name 姓名 and the logo. */
export function ProfileDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const profile = useApp((s) => s.profile);
  const updateProfile = useApp((s) => s.updateProfile);
  const [major, setMajor] = useState(profile?.major ?? '');
  const [studentId, setStudentId] = useState(profile?.studentId ?? '');
  const [name, setName] = useState(profile?.name ?? '');
  const [logo, setLogo] = useState<Uint8Array | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const titleId = useId();

  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      await updateProfile({ major, studentId, name }, logo ?? undefined);
      onClose();
    } catch {
      // the notice says what went wrong; keep the dialog open
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="dialog-backdrop">
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} onSubmit={onSubmit}>
        <h2 id={titleId}>{t('profile.title')}</h2>
        <label className="form-row">
          <span>{t('profile.major')}</span>
          <input value={major} maxLength={200} onChange={(e) => setMajor(e.target.value)} autoFocus />
        </label>
        <label className="form-row">
          <span>{t('profile.studentId')}</span>
          <input value={studentId} maxLength={200} onChange={(e) => setStudentId(e.target.value)} />
        </label>
        <label className="form-row">
          <span>{t('profile.name')}</span>
          <input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="form-row">
          <span>{t('profile.logo')}</span>
          <input
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp,image/svg+xml"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setLogo(await readFileBytes(file));
              setPreview(URL.createObjectURL(file));
            }}
          />
        </label>
        <div className="form-hint">
          {t('profile.logoHint')}
          {profile && !logo && ` · ${profile.logo.mimeType}, ${profile.logo.size} B`}
        </div>
        {preview && <img className="logo-preview" src={preview} alt="" />}
        <div className="dialog-buttons">
          <button type="button" className="tb-button" onClick={onClose}>
            {t('profile.cancel')}
          </button>
          <button type="submit" className="tb-button is-primary" disabled={saving}>
            {t('profile.save')}
          </button>
        </div>
      </form>
    </div>
  );
}
