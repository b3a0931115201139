/**
 * File › Export Objects › HTTP: every HTTP body of the capture (Wireshark's list: packet,
 * hostname, content type, size, filename), a preview of images and text, and Save / Save All
 * (a download in the browser shell, the save dialog in Electron). Files are named as
 * `tshark --export-objects http,DIR` names them; Save All puts them in one .zip.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { zipSync } from 'fflate';
import { useAppStore } from '../../store/context';
import { saveOutput } from '../../lib/desktop';
import type { HttpObjectEntry, StatisticsResult } from '../../worker/statistics-types';
import { MoreRows, useShownRows } from './shown-rows';

const TEXT_TYPES = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;
const IMAGE_TYPES = /^image\/(png|jpeg|jpg|gif|webp|bmp|svg\+xml|x-icon|vnd\.microsoft\.icon)/i;

/** How an object can be previewed, from its content type. */
export function previewKind(contentType: string): 'image' | 'text' | null {
  const type = contentType.trim();
  if (IMAGE_TYPES.test(type)) return 'image';
  if (TEXT_TYPES.test(type)) return 'text';
  return null;
}

function mimeOf(o: HttpObjectEntry): string {
  return o.contentType.split(';')[0].trim() || 'application/octet-stream';
}

function Preview({ object }: { object: HttpObjectEntry }) {
  const { t } = useTranslation();
  const kind = previewKind(object.contentType);
  const url = useMemo(
    () =>
      kind === 'image'
        ? URL.createObjectURL(new Blob([object.data.slice().buffer as ArrayBuffer], { type: mimeOf(object) }))
        : null,
    [object, kind],
  );
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url]);
  const label = t('stats.objects.previewOf', { name: object.saveName });
  if (kind === 'image' && url)
    return (
      <div className="stats-preview" role="region" aria-label={label}>
        <img src={url} alt={object.saveName} />
      </div>
    );
  if (kind === 'text')
    return (
      <div className="stats-preview" role="region" aria-label={label}>
        <pre>{new TextDecoder('utf-8', { fatal: false }).decode(object.data.subarray(0, 200_000))}</pre>
      </div>
    );
  return (
    <div className="stats-preview muted" role="region" aria-label={label}>
      {t('stats.objects.noPreview', { type: object.contentType || 'application/octet-stream' })}
    </div>
  );
}

export function HttpObjectsView({ result }: { result: StatisticsResult }) {
  const { t } = useTranslation();
  const store = useAppStore();
  const objects = result.httpObjects;
  const [selected, setSelected] = useState<number | null>(objects.length > 0 ? 0 : null);
  const chosen = selected !== null ? objects[selected] : null;

  const save = async (o: HttpObjectEntry) => {
    if (await saveOutput('object', o.saveName, o.data, mimeOf(o)))
      store.getState().notify('info', t('stats.objects.saved', { name: o.saveName, size: o.size }));
  };
  const saveAll = async () => {
    const files: Record<string, Uint8Array> = {};
    for (const o of objects) files[o.saveName] = o.data;
    const name = `${store.getState().fileBase()}-http-objects.zip`;
    if (await saveOutput('object', name, zipSync(files, { level: 6 }), 'application/zip'))
      store.getState().notify('info', t('stats.objects.savedAll', { count: objects.length, name }));
  };

  const { shown, more } = useShownRows(objects);
  if (objects.length === 0) return <p className="muted">{t('stats.none')}</p>;
  return (
    <div>
      <div className="stats-table-wrap">
        <table className="stats-table" role="grid" aria-label={t('stats.objects.table')}>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('stats.col.packet')}
              </th>
              <th scope="col">{t('stats.col.hostname')}</th>
              <th scope="col">{t('stats.col.contentType')}</th>
              <th scope="col" className="num">
                {t('stats.col.size')}
              </th>
              <th scope="col">{t('stats.col.filename')}</th>
              <th scope="col">{t('stats.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((o, i) => (
              <tr
                key={i}
                aria-selected={selected === i}
                className={selected === i ? 'is-selected' : undefined}
                data-frame={o.frame}
                onClick={() => setSelected(i)}
              >
                <td className="num">{o.frame}</td>
                <td>{o.hostname}</td>
                <td>{o.contentType}</td>
                <td className="num">{o.size} bytes</td>
                <td>{o.filename ?? o.saveName}</td>
                <td>
                  <button
                    type="button"
                    className="tb-button"
                    aria-label={`${t('stats.objects.save')} ${o.saveName}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      setSelected(i);
                      void save(o);
                    }}
                  >
                    {t('stats.objects.save')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <MoreRows shown={shown.length} total={objects.length} onMore={more} />
      {chosen ? <Preview object={chosen} /> : <p className="muted">{t('stats.objects.select')}</p>}
      <div className="dialog-buttons">
        <button
          type="button"
          className="tb-button"
          title={t('stats.objects.saveAllTitle')}
          onClick={() => void saveAll()}
        >
          {t('stats.objects.saveAll')}
        </button>
      </div>
    </div>
  );
}
