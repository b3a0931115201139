/** Edit → Find Packet (Ctrl+F): display filter, string (in list, details or bytes) or hex bytes; Find / Find Previous. */
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';
import type { FindState } from '../store/types';

const KINDS: FindState['kind'][] = ['filter', 'string', 'hex'];
const WHERES: FindState['where'][] = ['list', 'details', 'bytes'];

export function FindBar() {
  const { t } = useTranslation();
  const find = useApp((s) => s.find);
  const setFind = useApp((s) => s.setFind);
  const findNext = useApp((s) => s.findNext);
  const closeFind = useApp((s) => s.closeFind);
  if (!find) return null;
  return (
    <form
      className="find-bar"
      role="search"
      aria-label={t('find.label')}
      onSubmit={(e) => {
        e.preventDefault();
        void findNext(false);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          closeFind();
          document.querySelector<HTMLElement>('.packet-list-scroll')?.focus();
        }
      }}
    >
      <label>
        {t('find.by')}{' '}
        <select value={find.kind} onChange={(e) => setFind({ kind: e.target.value as FindState['kind'] })}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`find.kinds.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {find.kind === 'string' && (
        <>
          <label>
            {t('find.where')}{' '}
            <select value={find.where} onChange={(e) => setFind({ where: e.target.value as FindState['where'] })}>
              {WHERES.map((w) => (
                <option key={w} value={w}>
                  {t(`find.wheres.${w}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={find.caseSensitive}
              onChange={(e) => setFind({ caseSensitive: e.target.checked })}
            />{' '}
            {t('find.caseSensitive')}
          </label>
        </>
      )}
      <input
        type="text"
        className="find-text"
        aria-label={t('find.text')}
        value={find.text}
        autoFocus
        spellCheck={false}
        onChange={(e) => setFind({ text: e.target.value })}
      />
      <button type="submit" className="tb-button">
        {t('find.next')}
      </button>
      <button type="button" className="tb-button" onClick={() => void findNext(true)}>
        {t('find.previous')}
      </button>
      <button type="button" className="mini-button" aria-label={t('find.close')} onClick={closeFind}>
        ×
      </button>
    </form>
  );
}
