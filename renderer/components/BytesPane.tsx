import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp } from '../store/context';
import { findItem, itemByteRange } from '../lib/tree-model';

const LINE_HEIGHT = 18;
const hex = (b: number) => (b < 16 ? '0' : '') + b.toString(16);
const printable = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

/** Hex/ASCII dump of the selected packet, one tab per data source, as Wireshark's bytes pane. */
export function BytesPane() {
  const { t } = useTranslation();
  const detail = useApp((s) => s.detail);
  const selectedItem = useApp((s) => s.selectedItem);
  const sourceIndex = useApp((s) => s.bytesSource);
  const setBytesSource = useApp((s) => s.setBytesSource);
  const selectByte = useApp((s) => s.selectByte);
  const scrollRef = useRef<HTMLDivElement>(null);

  const source = detail?.sources[sourceIndex] ?? detail?.sources[0];
  const data = source?.data;
  const lines = data ? Math.ceil(data.length / 16) : 0;

  const range = useMemo(() => {
    if (!detail || selectedItem === null) return null;
    const item = findItem(detail.tree, selectedItem);
    const r = item ? itemByteRange(item) : null;
    return r && r.source === sourceIndex ? r : null;
  }, [detail, selectedItem, sourceIndex]);

  const virtualizer = useVirtualizer({
    count: lines,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 8,
    // Until the pane is measured (and in tests without layout), assume a typical size.
    initialRect: { width: 800, height: 200 },
  });

  useEffect(() => {
    if (range) virtualizer.scrollToIndex(Math.floor(range.start / 16), { align: 'auto' });
  }, [range, virtualizer]);

  return (
    <section className="pane bytes-pane" role="region" aria-label={t('bytes.label')}>
      <div ref={scrollRef} className="bytes-scroll">
        {!data && <div className="pane-empty">{t('bytes.empty')}</div>}
        {data && (
          <div className="bytes-body" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => {
              const offset = v.index * 16;
              const cells = [];
              const ascii = [];
              for (let i = 0; i < 16; i++) {
                const at = offset + i;
                if (at >= data.length) {
                  cells.push(<span key={i} className="byte is-pad" aria-hidden="true" />);
                  continue;
                }
                const on = range !== null && at >= range.start && at < range.end;
                const select = () => selectByte(sourceIndex, at);
                cells.push(
                  <span
                    key={i}
                    className={`byte${on ? ' is-on' : ''}${i === 8 ? ' gap' : ''}`}
                    data-offset={at}
                    data-highlight={on ? 'true' : undefined}
                    onMouseDown={select}
                  >
                    {hex(data[at])}
                  </span>,
                );
                ascii.push(
                  <span key={i} className={`ascii${on ? ' is-on' : ''}${i === 8 ? ' gap' : ''}`} onMouseDown={select}>
                    {printable(data[at])}
                  </span>,
                );
              }
              return (
                <div key={v.index} className="bytes-line" style={{ transform: `translateY(${v.start}px)` }}>
                  <span className="bytes-offset">{offset.toString(16).padStart(4, '0')}</span>
                  <span className="bytes-hex">{cells}</span>
                  <span className="bytes-ascii">{ascii}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
      {detail && (
        <div className="bytes-tabs" role="tablist" aria-label={t('bytes.label')}>
          {detail.sources.map((s, i) => (
            <button
              key={i}
              type="button"
              role="tab"
              aria-selected={i === sourceIndex}
              className={`bytes-tab${i === sourceIndex ? ' is-active' : ''}`}
              onClick={() => setBytesSource(i)}
            >
              {s.name}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
