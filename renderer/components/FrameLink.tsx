import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';

/** What every frame link reads: the selected frame, the action and the label. */
interface FrameLinkShared {
  selected: number | undefined;
  goToPacket: (frame: number) => Promise<unknown> | void;
  label: (frame: number) => string;
}

const FrameLinkContext = createContext<FrameLinkShared | null>(null);

/**
 * Reads the store once for all the frame links inside it. A lab guide of a long live capture
 * shows thousands of links; each subscribed to the store on its own, every progress update
 * (10 a second) ran thousands of selectors on the UI thread.
 */
export function FrameLinkScope({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const selected = useApp((s) => s.detail?.number);
  const goToPacket = useApp((s) => s.goToPacket);
  const shared = useMemo(
    () => ({ selected, goToPacket, label: (frame: number) => t('guide.frame', { frame }) }),
    [selected, goToPacket, t],
  );
  return <FrameLinkContext.Provider value={shared}>{children}</FrameLinkContext.Provider>;
}

/** A frame number that selects that packet in the list (and shows its tree) when clicked. */
export function FrameLink({ frame }: { frame: number }) {
  const shared = useContext(FrameLinkContext);
  return shared ? <FrameButton frame={frame} {...shared} /> : <SubscribedFrameLink frame={frame} />;
}

/** A frame link outside a FrameLinkScope: it reads the store itself. */
function SubscribedFrameLink({ frame }: { frame: number }) {
  const { t } = useTranslation();
  const selected = useApp((s) => (s.detail?.number === frame ? frame : undefined));
  const goToPacket = useApp((s) => s.goToPacket);
  return (
    <FrameButton
      frame={frame}
      selected={selected}
      goToPacket={goToPacket}
      label={(f) => t('guide.frame', { frame: f })}
    />
  );
}

function FrameButton({ frame, selected, goToPacket, label }: { frame: number } & FrameLinkShared) {
  return (
    <button
      type="button"
      className="frame-link"
      data-frame={frame}
      aria-label={label(frame)}
      aria-current={selected === frame ? 'true' : undefined}
      onClick={() => void goToPacket(frame)}
    >
      #{frame}
    </button>
  );
}

export function FrameLinks({ frames }: { frames: readonly number[] }) {
  return (
    <span className="frame-links">
      {frames.map((f) => (
        <FrameLink key={f} frame={f} />
      ))}
    </span>
  );
}
