/**
 * Analyze › Expert Information: items grouped by severity (errors first), each summary with its
 * group, protocol and count; opening one lists its packets, and each goes to its frame.
 */
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EXPERT_SEVERITIES } from '../../../core/stats/expert-summary';
import { useAppStore } from '../../store/context';
import type { StatisticsResult } from '../../worker/statistics-types';

export function ExpertView({ result }: { result: StatisticsResult }) {
  const { t } = useTranslation();
  const store = useAppStore();
  const [open, setOpen] = useState<Set<number>>(() => new Set());
  const [selected, setSelected] = useState<number | null>(null);
  if (result.expert.length === 0) return <p className="muted">{t('stats.none')}</p>;
  const toggle = (i: number) =>
    setOpen((o) => {
      const next = new Set(o);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });
  const indexed = result.expert.map((row, i) => ({ row, i }));
  return (
    <div className="stats-table-wrap">
      <table className="stats-table" aria-label={t('stats.expertTable')}>
        <thead>
          <tr>
            <th scope="col">{t('stats.col.summary')}</th>
            <th scope="col">{t('stats.col.group')}</th>
            <th scope="col">{t('stats.col.protocol')}</th>
            <th scope="col" className="num">
              {t('stats.col.count')}
            </th>
          </tr>
        </thead>
        {EXPERT_SEVERITIES.map((severity) => {
          const rows = indexed.filter((x) => x.row.severity === severity);
          if (rows.length === 0) return null;
          const count = rows.reduce((n, x) => n + x.row.count, 0);
          const label = t('stats.severityCount', { severity: t(`stats.severity.${severity}`), count });
          return (
            <tbody key={severity} className={`stats-severity-${severity}`} aria-label={label}>
              <tr>
                <th scope="rowgroup" colSpan={4} className="stats-severity">
                  {label}
                </th>
              </tr>
              {rows.map(({ row, i }) => (
                <Fragment key={i}>
                  <tr data-severity={severity}>
                    <td>
                      <button type="button" className="tb-button" aria-expanded={open.has(i)} onClick={() => toggle(i)}>
                        {open.has(i) ? '▾' : '▸'} {row.summary}
                      </button>
                    </td>
                    <td>{t(`stats.expertGroup.${row.group}`, { defaultValue: row.group })}</td>
                    <td>{row.protocol}</td>
                    <td className="num">{row.count}</td>
                  </tr>
                  {open.has(i) && (
                    <tr>
                      <td colSpan={4}>
                        <div
                          className="stats-frames"
                          role="group"
                          aria-label={t('stats.framesOf', { summary: row.summary })}
                        >
                          {row.frames.map((frame, k) => (
                            <button
                              key={k}
                              type="button"
                              className={selected === frame ? 'tb-button is-pressed' : 'tb-button'}
                              aria-pressed={selected === frame}
                              title={t('stats.goToFrame', { number: frame })}
                              onClick={() => {
                                setSelected(frame);
                                void store.getState().goToPacket(frame);
                              }}
                            >
                              {frame}
                            </button>
                          ))}
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          );
        })}
      </table>
    </div>
  );
}
