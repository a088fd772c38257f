// A message across the top: a link that could not be opened, or a link that was, with the way back
// to the work it replaced.

import { restoreBackup } from '../persist.ts';
import { useStore } from '../store/index.ts';

export function NoticeBar() {
  const notice = useStore((s) => s.notice);
  const backup = useStore((s) => s.backup);
  const setNotice = useStore((s) => s.setNotice);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-notice={notice.kind}>
      <span className="notice-text">{notice.text}</span>
      {notice.offerBackup && backup && (
        <>
          <span className="notice-text">Your previous work is saved.</span>
          <button type="button" className="button" data-restore-backup onClick={restoreBackup}>Restore my previous work</button>
        </>
      )}
      <button type="button" className="button icon" aria-label="Dismiss this message" onClick={() => setNotice(null)}>✕</button>
    </div>
  );
}
