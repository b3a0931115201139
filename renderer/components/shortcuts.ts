/**
 * Wireshark's keyboard shortcuts for the tools: Ctrl+F Find Packet, Ctrl+M Mark, Ctrl+T Time
 * Reference, Alt+← / Alt+→ Back / Forward (Electron's menu sends the same actions).
 */
import { useEffect } from 'react';
import { useAppStore } from '../store/context';
import { desktopApi } from '../lib/desktop';

export function useToolShortcuts(): void {
  const store = useAppStore();
  useEffect(() => {
    // In Electron the application menu owns these accelerators (main/electron/menu.ts) and sends
    // the same actions; handling the keys here too would toggle a mark twice.
    if (desktopApi()) return;
    const onKey = (e: KeyboardEvent) => {
      const s = store.getState();
      const ctrl = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const inText =
        e.target instanceof HTMLElement && (e.target.tagName === 'INPUT' || e.target.tagName === 'TEXTAREA');
      if (ctrl && !e.shiftKey && !e.altKey && key === 'f') {
        e.preventDefault();
        s.openFind();
        requestAnimationFrame(() => document.querySelector<HTMLInputElement>('.find-bar input[type="text"]')?.focus());
      } else if (ctrl && !e.shiftKey && !e.altKey && key === 'm' && !inText) {
        e.preventDefault();
        s.toggleMark();
      } else if (ctrl && !e.shiftKey && !e.altKey && key === 't' && !inText) {
        e.preventDefault();
        s.toggleTimeReference();
      } else if (e.altKey && !ctrl && (e.key === 'ArrowLeft' || e.key === 'ArrowRight') && !inText) {
        e.preventDefault();
        void (e.key === 'ArrowLeft' ? s.goBack() : s.goForward());
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
