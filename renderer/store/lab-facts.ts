/**
 * What the host showed of the lab run of the current source (was the capture live, were the
 * server and the capture running, were the page and the logo served), remembered per source
 * generation for the lab analysis (LabRequestOptions.host).
 */
import type { HostFacts } from '../../core/analysis/lab/types';
import type { LabStatus, ServedRequest } from '../../bridge/lab-api';
import type { LabRequestOptions } from '../worker/worker-messages';

export class LabFacts {
  private generation = -1;
  private live = false;
  private server = false;
  private capture = false;
  private page = false;
  private logo = false;

  noteStatus(status: LabStatus): void {
    if (this.generation !== status.source.generation) {
      this.generation = status.source.generation;
      this.live = this.server = this.capture = this.page = this.logo = false;
    }
    if (status.source.kind === 'live') this.live = true;
    if (status.server.state === 'running') this.server = true;
    if (status.capture.state === 'running') this.capture = true;
  }

  noteRequest(request: ServedRequest): void {
    if (request.status !== 200) return;
    if (request.path === '/' || request.path === '/index.html') this.page = true;
    else if (/^\/logo\./.test(request.path)) this.logo = true;
  }

  /** The options for analyzeLab: nothing unless the source is a live capture. */
  options(status: LabStatus | null): LabRequestOptions {
    if (!this.live || !status) return {};
    const host: HostFacts = { serverUp: this.server, captureRunning: this.capture };
    if (this.page && this.logo) host.pageLoaded = true;
    return { serverPort: status.server.port, host };
  }
}
