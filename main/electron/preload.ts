/**
 * The preload of WireLab's main window. It runs sandboxed (no Node), so scripts/build.mjs bundles
 * everything into out/electron/preload.js with only `electron` left external. It exposes exactly the
 * LabApi (from labMethods / labEvents) plus `desktop` — see desktop-api.ts for the typed surface.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld('wirelab', buildPreloadApi(ipcRenderer, webUtils));
