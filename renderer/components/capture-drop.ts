/**
 * Drag and drop a capture file onto the window (both shells): it opens as Open does (the
 * dissection worker reads the File; in Electron the host reads its path). A drop some part of the
 * window handled itself (the profile form's logo) is left alone, and so is a drop while a file
 * is being opened.
 */
import { useEffect } from 'react';
import { useAppStore } from '../store/context';

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

export function useCaptureDrop(): void {
  const store = useAppStore();
  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (!hasFiles(event) || event.defaultPrevented) return;
      // Without this the browser opens the file in place of WireLab.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event) || event.defaultPrevented) return;
      event.preventDefault();
      const file = event.dataTransfer?.files[0];
      const state = store.getState();
      if (!file || !state.connected || state.busy === 'open') return;
      void state.openCapture({ file });
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [store]);
}
