/** Pane sizes, remembered in localStorage. */
export interface Layout {
  /** Height of the detail pane, px. */
  details: number;
  /** Height of the bytes pane, px. */
  bytes: number;
}

const KEY = 'wirelab.layout';
export const DEFAULT_LAYOUT: Layout = { details: 230, bytes: 150 };

export function loadLayout(storage: Pick<Storage, 'getItem'> | undefined): Layout {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return DEFAULT_LAYOUT;
    const v = JSON.parse(raw) as Partial<Layout>;
    const ok = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 40 && n <= 4000;
    return {
      details: ok(v.details) ? v.details : DEFAULT_LAYOUT.details,
      bytes: ok(v.bytes) ? v.bytes : DEFAULT_LAYOUT.bytes,
    };
  } catch {
    return DEFAULT_LAYOUT;
  }
}

export function saveLayout(storage: Pick<Storage, 'setItem'> | undefined, layout: Layout): void {
  try {
    storage?.setItem(KEY, JSON.stringify(layout));
  } catch {
    // storage full or disabled
  }
}
