import { createContext, memo, useCallback, useContext, useMemo, type ReactNode } from 'react';
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
  // The label is made once per language, not per selection: a new one would draw every link again.
  const label = useCallback((frame: number) => t('guide.frame', { frame }), [t]);
  const shared = useMemo(() => ({ selected, goToPacket, label }), [selected, goToPacket, label]);
  return <FrameLinkContext.Provider value={shared}>{children}</FrameLinkContext.Provider>;
}

/** A frame number that selects that packet in the list (and shows its tree) when clicked. */
export function FrameLink({ frame }: { frame: number }) {
  const shared = useContext(FrameLinkContext);
  return shared ? (
    <FrameButton
      frame={frame}
      current={shared.selected === frame}
      goToPacket={shared.goToPacket}
      label={shared.label}
    />
  ) : (
    <SubscribedFrameLink frame={frame} />
  );
}

/** A frame link outside a FrameLinkScope: it reads the store itself. */
function SubscribedFrameLink({ frame }: { frame: number }) {
  const { t } = useTranslation();
  const selected = useApp((s) => (s.detail?.number === frame ? frame : undefined));
  const goToPacket = useApp((s) => s.goToPacket);
  return (
    <FrameButton
      frame={frame}
      current={selected === frame}
      goToPacket={goToPacket}
      label={(f) => t('guide.frame', { frame: f })}
    />
  );
}

interface FrameButtonProps {
  frame: number;
  /** Whether it is the selected packet's. */
  current: boolean;
  goToPacket: FrameLinkShared['goToPacket'];
  label: FrameLinkShared['label'];
}

/**
 * Drawn again only when its own props change (memo): a guide drawn again keeps most of its
 * frame links as they were, and a new selection changes two of them, not every one. Each
 * drawing translates its label, and thousands of them were a large part of a re-run's work.
 */
const FrameButton = memo(function FrameButton({ frame, current, goToPacket, label }: FrameButtonProps) {
  return (
    <button
      type="button"
      className="frame-link"
      data-frame={frame}
      aria-label={label(frame)}
      aria-current={current ? 'true' : undefined}
      onClick={() => void goToPacket(frame)}
    >
      #{frame}
    </button>
  );
});

export function FrameLinks({ frames }: { frames: readonly number[] }) {
  return (
    <span className="frame-links">
      {frames.map((f) => (
        <FrameLink key={f} frame={f} />
      ))}
    </span>
  );
}
