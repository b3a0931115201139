/** The side panel: Lab guide, Flow graph, Time–sequence / RTT tabs. */
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';
import type { SideTab } from '../store/app-store';
import { LabGuide } from './LabGuide';
import { FrameLinkScope } from './FrameLink';
import { FlowGraphView } from './FlowGraph';
import { TimeSequenceView } from './TimeSequence';

const TABS: { id: SideTab; label: string }[] = [
  { id: 'guide', label: 'guide.tab' },
  { id: 'flow', label: 'flow.tab' },
  { id: 'tcptrace', label: 'tcptrace.tab' },
];

export function SidePanel() {
  const { t } = useTranslation();
  const tab = useApp((s) => s.sideTab);
  const setSideTab = useApp((s) => s.setSideTab);
  const setSidePanelOpen = useApp((s) => s.setSidePanelOpen);
  return (
    <aside className="side-panel" aria-label={t('side.label')}>
      <div className="side-tabs" role="tablist" aria-label={t('side.label')}>
        {TABS.map((x) => (
          <button
            key={x.id}
            type="button"
            role="tab"
            id={`side-tab-${x.id}`}
            aria-selected={tab === x.id}
            aria-controls={`side-panel-${x.id}`}
            className={tab === x.id ? 'side-tab is-active' : 'side-tab'}
            onClick={() => setSideTab(x.id)}
          >
            {t(x.label)}
          </button>
        ))}
        <span className="tb-spacer" />
        <button
          type="button"
          className="mini-button"
          aria-label={t('side.close')}
          title={t('side.close')}
          onClick={() => setSidePanelOpen(false)}
        >
          ×
        </button>
      </div>
      <div className="side-body" role="tabpanel" id={`side-panel-${tab}`} aria-labelledby={`side-tab-${tab}`}>
        <FrameLinkScope>
          {tab === 'guide' && <LabGuide />}
          {tab === 'flow' && <FlowGraphView />}
          {tab === 'tcptrace' && <TimeSequenceView />}
        </FrameLinkScope>
      </div>
    </aside>
  );
}
