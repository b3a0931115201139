import { describe, expect, it } from 'vitest';
import { sampleDetail } from '../test/fakes';
import { ancestors, deepestItemAt, expandKey, itemByteRange, treeKeyAction, visibleItems } from './tree-model';

const tree = sampleDetail.tree;

describe('tree model', () => {
  it('shows children only of expanded items', () => {
    expect(visibleItems(tree, new Set()).map((v) => v.item.id)).toEqual([0, 1, 4, 11]);
    expect(visibleItems(tree, new Set(['tcp'])).map((v) => v.item.id)).toEqual([0, 1, 4, 5, 6, 7, 8, 9, 11]);
  });

  it('maps a tree item to exactly its bytes; generated items have none', () => {
    const seq = tree[2].children?.[2];
    expect(seq && itemByteRange(seq)).toEqual({ source: 0, start: 38, end: 42 });
    expect(itemByteRange(tree[2].children?.[1] ?? tree[0])).toBeNull();
  });

  it('maps a byte to the deepest item covering it (first in tree order among equals)', () => {
    expect(deepestItemAt(tree, 0, 39)?.field).toBe('tcp.seq');
    expect(deepestItemAt(tree, 0, 47)?.field).toBe('tcp.flags.syn');
    expect(deepestItemAt(tree, 0, 14)?.field).toBe('ip.version');
    expect(deepestItemAt(tree, 0, 5)?.field).toBe('frame');
    expect(deepestItemAt(tree, 1, 3)?.field).toBe('http.file_data');
    expect(deepestItemAt(tree, 1, 9)).toBeNull();
    expect(ancestors(tree, 10).map((a) => a.id)).toEqual([4, 9]);
  });

  it('keyboard: ↓/↑ move, → expands then enters, ← collapses then goes to the parent', () => {
    let expanded = new Set<string>();
    const visible = () => visibleItems(tree, expanded);
    expect(treeKeyAction(visible(), expanded, null, 'ArrowDown')).toEqual({ kind: 'select', id: 0 });
    expect(treeKeyAction(visible(), expanded, 1, 'ArrowDown')).toEqual({ kind: 'select', id: 4 });
    expect(treeKeyAction(visible(), expanded, 4, 'ArrowUp')).toEqual({ kind: 'select', id: 1 });
    expect(treeKeyAction(visible(), expanded, 4, 'ArrowRight')).toEqual({ kind: 'expand', key: 'tcp' });
    expanded = new Set(['tcp']);
    expect(treeKeyAction(visible(), expanded, 4, 'ArrowRight')).toEqual({ kind: 'select', id: 5 });
    expect(treeKeyAction(visible(), expanded, 7, 'ArrowLeft')).toEqual({ kind: 'select', id: 4 });
    expect(treeKeyAction(visible(), expanded, 4, 'ArrowLeft')).toEqual({ kind: 'collapse', key: 'tcp' });
    expect(treeKeyAction(visible(), expanded, 0, 'ArrowLeft')).toEqual({ kind: 'none' });
    expect(treeKeyAction(visible(), expanded, 0, 'End')).toEqual({ kind: 'select', id: 11 });
    expect(treeKeyAction(visible(), expanded, 11, 'Home')).toEqual({ kind: 'select', id: 0 });
    expect(treeKeyAction(visible(), expanded, 5, 'ArrowRight')).toEqual({ kind: 'none' });
  });

  it('remembers expansion per field, so the same subtree stays open on the next packet', () => {
    expect(expandKey(tree[2])).toBe('tcp');
    expect(expandKey({ ...tree[2], field: undefined, label: 'Frame 12: 66 bytes' })).toBe('Frame #: # bytes');
  });
});
