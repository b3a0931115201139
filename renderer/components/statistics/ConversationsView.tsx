/**
 * Statistics › Conversations and Statistics › Endpoints: one tab per type (Ethernet, IPv4, IPv6,
 * TCP, UDP) with Wireshark's columns. A conversation can be applied as the display filter
 * Wireshark's dialog applies, and a TCP conversation followed (Follow TCP Stream).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONVERSATION_TYPES, type ConversationType } from '../../../core/stats/conversations';
import { useAppStore } from '../../store/context';
import type { ConversationEntry, EndpointEntry, StatisticsResult } from '../../worker/statistics-types';
import { conversationFilter, endpointFilter } from '../../worker/conversation-filter';
import { formatBitsPerSecond, formatSize, seconds } from './format';
import { MoreRows, useShownRows } from './shown-rows';

const hasPorts = (type: ConversationType) => type === 'tcp' || type === 'udp';

export function ConversationsView({ result, endpoints }: { result: StatisticsResult; endpoints: boolean }) {
  const { t } = useTranslation();
  const store = useAppStore();
  const rowsOf = (type: ConversationType) => (endpoints ? result.endpoints[type] : result.conversations[type]);
  // Open on the first tab with rows, TCP first (what the lab is about).
  const [type, setType] = useState<ConversationType>(
    () => (['tcp', 'ip', 'ipv6', 'udp', 'eth'] as const).find((ty) => rowsOf(ty).length > 0) ?? 'tcp',
  );
  const name = t(`stats.tabs.${type}`);
  // Each list drawn a page at a time (hooks for both: a dialog shows one of them).
  const conversationRows = useShownRows(result.conversations[type], type);
  const endpointRows = useShownRows(result.endpoints[type], type);
  const { shown, more } = endpoints ? endpointRows : conversationRows;

  const apply = async (filter: string) => {
    const outcome = await store.getState().applyFilter(filter);
    if (outcome.ok) store.getState().notify('info', t('stats.applied', { filter }));
  };
  const follow = async (row: ConversationEntry) => {
    if (row.firstFrame === null) return;
    if (!(await store.getState().goToPacket(row.firstFrame))) return;
    store.getState().closeStats();
    store.getState().openFollow('tcp');
  };

  return (
    <div>
      <div className="stats-tabs" role="tablist" aria-label={t(endpoints ? 'stats.endpoints' : 'stats.conversations')}>
        {CONVERSATION_TYPES.map((ty) => (
          <button
            key={ty}
            type="button"
            role="tab"
            className="stats-tab"
            aria-selected={ty === type}
            id={`stats-tab-${ty}`}
            onClick={() => setType(ty)}
          >
            {t('stats.tabCount', { name: t(`stats.tabs.${ty}`), count: rowsOf(ty).length })}
          </button>
        ))}
      </div>
      <div className="stats-table-wrap" role="tabpanel" aria-labelledby={`stats-tab-${type}`}>
        {endpoints ? (
          <EndpointTable type={type} rows={endpointRows.shown} name={name} onApply={apply} />
        ) : (
          <ConversationTable type={type} rows={conversationRows.shown} name={name} onApply={apply} onFollow={follow} />
        )}
        <MoreRows shown={shown.length} total={rowsOf(type).length} onMore={more} />
      </div>
    </div>
  );
}

function ConversationTable({
  type,
  rows,
  name,
  onApply,
  onFollow,
}: {
  type: ConversationType;
  rows: readonly ConversationEntry[];
  name: string;
  onApply: (filter: string) => void;
  onFollow: (row: ConversationEntry) => void;
}) {
  const { t } = useTranslation();
  const ports = hasPorts(type);
  const na = t('stats.props.na');
  return (
    <table className="stats-table" aria-label={t('stats.tableName', { name })}>
      <thead>
        <tr>
          <th scope="col">{t('stats.col.addressA')}</th>
          {ports && (
            <th scope="col" className="num">
              {t('stats.col.portA')}
            </th>
          )}
          <th scope="col">{t('stats.col.addressB')}</th>
          {ports && (
            <th scope="col" className="num">
              {t('stats.col.portB')}
            </th>
          )}
          <th scope="col" className="num">
            {t('stats.col.packets')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.bytes')}
          </th>
          {type === 'tcp' && (
            <th scope="col" className="num">
              {t('stats.col.streamId')}
            </th>
          )}
          <th scope="col" className="num">
            {t('stats.col.packetsAB')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.bytesAB')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.packetsBA')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.bytesBA')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.relStart')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.duration')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.bpsAB')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.bpsBA')}
          </th>
          <th scope="col">{t('stats.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && <NoRows columns={16} />}
        {rows.map((r, i) => {
          const filter = conversationFilter(type, r);
          return (
            <tr key={i} data-stream={r.stream ?? undefined}>
              <td>{r.addressA}</td>
              {ports && <td className="num">{r.portA}</td>}
              <td>{r.addressB}</td>
              {ports && <td className="num">{r.portB}</td>}
              <td className="num">{r.framesAtoB + r.framesBtoA}</td>
              <td className="num">{formatSize(r.bytesAtoB + r.bytesBtoA)}</td>
              {type === 'tcp' && <td className="num">{r.stream}</td>}
              <td className="num">{r.framesAtoB}</td>
              <td className="num">{formatSize(r.bytesAtoB)}</td>
              <td className="num">{r.framesBtoA}</td>
              <td className="num">{formatSize(r.bytesBtoA)}</td>
              <td className="num">{seconds(r.relStart)}</td>
              <td className="num">{seconds(r.duration, 4)}</td>
              <td className="num">{formatBitsPerSecond(r.bytesAtoB, r.duration, na)}</td>
              <td className="num">{formatBitsPerSecond(r.bytesBtoA, r.duration, na)}</td>
              <td>
                <button
                  type="button"
                  className="tb-button"
                  title={t('stats.applyFilterTitle', { filter })}
                  onClick={() => onApply(filter)}
                >
                  {t('stats.applyFilter')}
                </button>{' '}
                {type === 'tcp' && r.firstFrame !== null && (
                  <button
                    type="button"
                    className="tb-button"
                    title={t('stats.followTitle', { stream: r.stream })}
                    onClick={() => onFollow(r)}
                  >
                    {t('stats.follow')}
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function EndpointTable({
  type,
  rows,
  name,
  onApply,
}: {
  type: ConversationType;
  rows: readonly EndpointEntry[];
  name: string;
  onApply: (filter: string) => void;
}) {
  const { t } = useTranslation();
  const ports = hasPorts(type);
  return (
    <table className="stats-table" aria-label={t('stats.endpointTableName', { name })}>
      <thead>
        <tr>
          <th scope="col">{t('stats.col.address')}</th>
          {ports && (
            <th scope="col" className="num">
              {t('stats.col.port')}
            </th>
          )}
          <th scope="col" className="num">
            {t('stats.col.packets')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.bytes')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.txPackets')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.txBytes')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.rxPackets')}
          </th>
          <th scope="col" className="num">
            {t('stats.col.rxBytes')}
          </th>
          <th scope="col">{t('stats.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && <NoRows columns={9} />}
        {rows.map((r, i) => {
          const filter = endpointFilter(type, r.filterAddress, r.port);
          return (
            <tr key={i}>
              <td>{r.address}</td>
              {ports && <td className="num">{r.port}</td>}
              <td className="num">{r.txFrames + r.rxFrames}</td>
              <td className="num">{formatSize(r.txBytes + r.rxBytes)}</td>
              <td className="num">{r.txFrames}</td>
              <td className="num">{formatSize(r.txBytes)}</td>
              <td className="num">{r.rxFrames}</td>
              <td className="num">{formatSize(r.rxBytes)}</td>
              <td>
                <button
                  type="button"
                  className="tb-button"
                  title={t('stats.applyFilterTitle', { filter })}
                  onClick={() => onApply(filter)}
                >
                  {t('stats.applyFilter')}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The one row of a table with none. */
function NoRows({ columns }: { columns: number }) {
  const { t } = useTranslation();
  return (
    <tr>
      <td colSpan={columns} className="muted">
        {t('stats.none')}
      </td>
    </tr>
  );
}
