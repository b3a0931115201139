/** A toolbar button that drops down a PopupMenu (View, Statistics): entries are read when it opens. */
import { useRef, useState } from 'react';
import { PopupMenu, type MenuEntry } from './PopupMenu';

export function ToolbarMenu(props: { label: string; title?: string; disabled?: boolean; entries: () => MenuEntry[] }) {
  const button = useRef<HTMLButtonElement>(null);
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  return (
    <>
      <button
        ref={button}
        type="button"
        className="tb-button"
        aria-haspopup="menu"
        aria-expanded={at !== null}
        disabled={props.disabled}
        title={props.title}
        onClick={() => {
          if (at) {
            setAt(null);
            return;
          }
          const r = button.current?.getBoundingClientRect();
          setAt({ x: r?.left ?? 0, y: r?.bottom ?? 0 });
        }}
      >
        {props.label}
        <span aria-hidden="true">▾</span>
      </button>
      {at && (
        <PopupMenu
          label={props.label}
          x={at.x}
          y={at.y}
          entries={props.entries()}
          onClose={() => setAt(null)}
          restoreFocus={button.current}
        />
      )}
    </>
  );
}
