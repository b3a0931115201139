/**
 * Pure helpers over a packet's detail tree: which items are visible given the expanded set,
 * keyboard moves, and the mapping between tree items and bytes (both ways).
 */
import type { TreeItem } from '../worker/worker-messages';

export interface VisibleItem {
  item: TreeItem;
  depth: number;
  parent: number | null;
}

/** Key under which an item's expanded state is remembered across packets (as Wireshark does per field). */
export function expandKey(item: TreeItem): string {
  return item.field ?? item.label.replace(/\d+/g, '#');
}

export function visibleItems(tree: readonly TreeItem[], expanded: ReadonlySet<string>): VisibleItem[] {
  const out: VisibleItem[] = [];
  const walk = (items: readonly TreeItem[], depth: number, parent: number | null) => {
    for (const item of items) {
      out.push({ item, depth, parent });
      if (item.children && expanded.has(expandKey(item))) walk(item.children, depth + 1, item.id);
    }
  };
  walk(tree, 0, null);
  return out;
}

export function allExpandKeys(tree: readonly TreeItem[]): Set<string> {
  const keys = new Set<string>();
  const walk = (items: readonly TreeItem[]) => {
    for (const item of items) {
      if (item.children) {
        keys.add(expandKey(item));
        walk(item.children);
      }
    }
  };
  walk(tree);
  return keys;
}

/** The first item, depth first, that `match` accepts. */
export function findFirst(tree: readonly TreeItem[], match: (item: TreeItem) => boolean): TreeItem | null {
  for (const item of tree) {
    if (match(item)) return item;
    if (item.children) {
      const found = findFirst(item.children, match);
      if (found) return found;
    }
  }
  return null;
}

export function findItem(tree: readonly TreeItem[], id: number): TreeItem | null {
  return findFirst(tree, (item) => item.id === id);
}

/** Ancestors of an item, outermost first. */
export function ancestors(tree: readonly TreeItem[], id: number): TreeItem[] {
  const path: TreeItem[] = [];
  const walk = (items: readonly TreeItem[]): boolean => {
    for (const item of items) {
      if (item.id === id) return true;
      if (item.children) {
        path.push(item);
        if (walk(item.children)) return true;
        path.pop();
      }
    }
    return false;
  };
  return walk(tree) ? path : [];
}

export type TreeKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End';

export type TreeAction =
  | { kind: 'select'; id: number }
  | { kind: 'expand'; key: string }
  | { kind: 'collapse'; key: string }
  | { kind: 'none' };

/** What a key does in the tree (the WAI-ARIA tree pattern, as Wireshark's tree behaves). */
export function treeKeyAction(
  visible: readonly VisibleItem[],
  expanded: ReadonlySet<string>,
  selectedId: number | null,
  key: TreeKey,
): TreeAction {
  if (visible.length === 0) return { kind: 'none' };
  const pos = visible.findIndex((v) => v.item.id === selectedId);
  if (pos < 0) return { kind: 'select', id: visible[key === 'End' ? visible.length - 1 : 0].item.id };
  const current = visible[pos];
  switch (key) {
    case 'ArrowUp':
      return pos > 0 ? { kind: 'select', id: visible[pos - 1].item.id } : { kind: 'none' };
    case 'ArrowDown':
      return pos < visible.length - 1 ? { kind: 'select', id: visible[pos + 1].item.id } : { kind: 'none' };
    case 'Home':
      return { kind: 'select', id: visible[0].item.id };
    case 'End':
      return { kind: 'select', id: visible[visible.length - 1].item.id };
    case 'ArrowRight': {
      const item = current.item;
      if (!item.children) return { kind: 'none' };
      if (!expanded.has(expandKey(item))) return { kind: 'expand', key: expandKey(item) };
      return { kind: 'select', id: item.children[0].id };
    }
    case 'ArrowLeft': {
      const item = current.item;
      if (item.children && expanded.has(expandKey(item))) return { kind: 'collapse', key: expandKey(item) };
      return current.parent !== null ? { kind: 'select', id: current.parent } : { kind: 'none' };
    }
  }
}

/** The bytes an item covers in its data source, or null (generated items have none). */
export function itemByteRange(item: TreeItem): { source: number; start: number; end: number } | null {
  if (item.length <= 0) return null;
  return { source: item.source, start: item.start, end: item.start + item.length };
}

/** The deepest item whose bytes cover `offset` in data source `source` (Wireshark's click-on-byte). */
export function deepestItemAt(tree: readonly TreeItem[], source: number, offset: number): TreeItem | null {
  let best: TreeItem | null = null;
  let bestDepth = -1;
  const walk = (items: readonly TreeItem[], depth: number) => {
    for (const item of items) {
      const covers =
        item.source === source && item.length > 0 && offset >= item.start && offset < item.start + item.length;
      // Deeper wins; among equals the first in tree order (Sequence Number before its raw value).
      if (covers && depth > bestDepth) {
        best = item;
        bestDepth = depth;
      }
      // Children may point at another source (reassembled data) even when the parent does not cover.
      if (item.children) walk(item.children, depth + 1);
    }
  };
  walk(tree, 0);
  return best;
}
