import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';

/** A frame number that selects that packet in the list (and shows its tree) when clicked. */
export function FrameLink({ frame }: { frame: number }) {
  const { t } = useTranslation();
  const goToPacket = useApp((s) => s.goToPacket);
  const current = useApp((s) => s.detail?.number === frame);
  return (
    <button
      type="button"
      className="frame-link"
      data-frame={frame}
      aria-label={t('guide.frame', { frame })}
      aria-current={current ? 'true' : undefined}
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
