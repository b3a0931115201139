import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

/** A horizontal drag handle between two stacked panes; reports the pointer's vertical movement. */
export function Splitter({
  label,
  onResize,
  onDone,
}: {
  label: string;
  onResize: (dy: number) => void;
  onDone: () => void;
}) {
  const last = useRef<number | null>(null);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    last.current = e.clientY;
    e.currentTarget.setPointerCapture(e.pointerId);
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (last.current === null) return;
    onResize(e.clientY - last.current);
    last.current = e.clientY;
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (last.current === null) return;
    last.current = null;
    e.currentTarget.releasePointerCapture(e.pointerId);
    onDone();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 50 : 10;
    if (e.key === 'ArrowUp') onResize(-step);
    else if (e.key === 'ArrowDown') onResize(step);
    else return;
    e.preventDefault();
    onDone();
  };
  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="horizontal"
      aria-label={label}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
