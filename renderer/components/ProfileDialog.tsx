import { useEffect, useId, useState, type DragEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';
import { readFileBytes } from '../lib/download';
import { PROFILE_FIELDS, type ProfileField } from '../../bridge/lab-api';
import { missingProfileFields } from '../lib/profile';

/** The logo formats the profile server accepts (it checks the bytes again: embedded-server/logo.ts). */
const LOGO_TYPES = 'image/png,image/jpeg,image/gif,image/webp';

/**
 * The profile form: major 专业, student ID 学号, name 姓名 and the logo (file picker or drag and drop),
 * with a preview of the page the lab serves. Opened by itself on a first run, later from Profile.
 */
export function ProfileDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const profile = useApp((s) => s.profile);
  const updateProfile = useApp((s) => s.updateProfile);
  const currentLogo = useApp((s) => s.currentLogo);
  const [values, setValues] = useState<Record<ProfileField, string>>({
    major: profile?.major ?? '',
    studentId: profile?.studentId ?? '',
    name: profile?.name ?? '',
  });
  const [logo, setLogo] = useState<{ bytes: Uint8Array; name: string } | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const titleId = useId();
  const missing = missingProfileFields(values);

  // The preview shows the logo the page serves now until another one is chosen.
  useEffect(() => {
    let cancelled = false;
    if (logo) return;
    void currentLogo()
      .then((served) => {
        if (cancelled) return;
        setPreview(URL.createObjectURL(new Blob([served.bytes.slice()], { type: served.mimeType })));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [currentLogo, logo]);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const chooseLogo = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setLogo({ bytes: await readFileBytes(file), name: file.name });
    setPreview(URL.createObjectURL(file));
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void chooseLogo(e.dataTransfer.files[0]);
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await updateProfile(values, logo?.bytes);
      onClose();
    } catch (err) {
      // The server's own check (field rules, logo format and size) says what is wrong: keep the form open.
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="dialog-backdrop">
      <form
        className="dialog profile-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onSubmit={onSubmit}
      >
        <h2 id={titleId}>{t('profile.title')}</h2>
        <p className="form-hint">{t('profile.intro')}</p>
        <div className="profile-form-body">
          <div className="profile-fields">
            {PROFILE_FIELDS.map((field, i) => (
              <label className="form-row" key={field}>
                <span>{t(`profile.${field}`)}</span>
                <input
                  value={values[field]}
                  maxLength={200}
                  autoFocus={i === 0}
                  aria-invalid={values[field].trim() === ''}
                  onChange={(e) => setValues({ ...values, [field]: e.target.value })}
                />
              </label>
            ))}
            <div
              className={dragging ? 'logo-drop is-dragging' : 'logo-drop'}
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={onDrop}
            >
              <label className="form-row">
                <span>{t('profile.logo')}</span>
                <input type="file" accept={LOGO_TYPES} onChange={(e) => void chooseLogo(e.target.files?.[0])} />
              </label>
              <div className="form-hint">
                {t('profile.logoHint')}
                {logo
                  ? ` · ${logo.name}, ${logo.bytes.length} B`
                  : profile && ` · ${profile.logo.mimeType}, ${profile.logo.size} B`}
              </div>
            </div>
          </div>
          <figure className="profile-preview" aria-label={t('profile.preview')}>
            <figcaption>{t('profile.preview')}</figcaption>
            <div className="profile-preview-page">
              {preview && <img src={preview} alt="Logo" />}
              <dl>
                {PROFILE_FIELDS.map((field) => (
                  <div key={field}>
                    <dt>{t(`profile.pageLabel.${field}`)}</dt>
                    <dd className={values[field].trim() === '' ? 'is-empty' : undefined}>
                      {values[field].trim() === '' ? t('profile.notSet') : values[field]}
                    </dd>
                  </div>
                ))}
              </dl>
            </div>
          </figure>
        </div>
        {missing.length > 0 && (
          <div className="form-warning" role="status">
            {t('profile.incomplete', {
              fields: missing.map((field) => t(`profile.${field}`)).join(t('profile.listSeparator')),
            })}
          </div>
        )}
        {error && (
          <div className="form-error" role="alert">
            {error}
          </div>
        )}
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
