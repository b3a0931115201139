import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';

/** The display-filter bar: checked as you type (green/red), applied with Enter, with a history. */
export function FilterBar() {
  const { t } = useTranslation();
  const draft = useApp((s) => s.filterDraft);
  const state = useApp((s) => s.filterState);
  const applied = useApp((s) => s.filterApplied);
  const history = useApp((s) => s.filterHistory);
  const setDraft = useApp((s) => s.setFilterDraft);
  const apply = useApp((s) => s.applyFilter);
  const [historyOpen, setHistoryOpen] = useState(false);

  const invalid = state.kind === 'invalid';
  const className = `filter-input ${state.kind === 'valid' ? 'is-valid' : ''} ${invalid ? 'is-invalid' : ''} ${
    draft.trim() !== applied ? 'is-pending' : ''
  }`;

  return (
    <div className="filter-bar">
      <div className="filter-field">
        <input
          className={className}
          type="text"
          aria-label={t('filter.label')}
          aria-invalid={invalid ? 'true' : 'false'}
          aria-describedby={invalid ? 'filter-error' : undefined}
          placeholder={t('filter.placeholder')}
          spellCheck={false}
          autoComplete="off"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              setHistoryOpen(false);
              void apply();
            } else if (e.key === 'Escape') {
              setHistoryOpen(false);
            } else if (e.key === 'ArrowDown' && e.altKey) {
              setHistoryOpen(true);
            }
          }}
        />
        <button
          type="button"
          className="filter-history-button"
          aria-label={t('filter.history')}
          title={t('filter.history')}
          aria-haspopup="listbox"
          aria-expanded={historyOpen}
          onClick={() => setHistoryOpen((o) => !o)}
        >
          ▾
        </button>
        {historyOpen && (
          <ul id="filter-history" className="filter-history" role="listbox" aria-label={t('filter.history')}>
            {history.length === 0 && <li className="filter-history-empty">{t('filter.noHistory')}</li>}
            {history.map((h) => (
              <li
                key={h}
                role="option"
                aria-selected={h === applied}
                onMouseDown={(e) => {
                  e.preventDefault();
                  setHistoryOpen(false);
                  setDraft(h);
                  void apply(h);
                }}
              >
                {h}
              </li>
            ))}
          </ul>
        )}
      </div>
      <button type="button" className="tb-button" onClick={() => void apply()} disabled={invalid}>
        {t('filter.apply')}
      </button>
      <button
        type="button"
        className="tb-button"
        onClick={() => {
          setDraft('');
          void apply('');
        }}
        disabled={draft === '' && applied === ''}
      >
        {t('filter.clear')}
      </button>
      {invalid && (
        <div id="filter-error" className="filter-error" role="alert">
          {state.message}
        </div>
      )}
    </div>
  );
}
