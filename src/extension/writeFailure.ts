// Why a file Loupe writes for the user (exported traces, a saved view) could not be
// written, and what to do, naming the path. Pure, so it is tested against the errors a
// full disk and a folder without write access really give (Node's codes, or VS Code's
// FileSystemError codes wrapping them).

export function writeFailure(path: string, err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : err == null ? '' : String(err);
  const said = `${typeof e.code === 'string' ? e.code : ''} ${message}`;
  const [why, todo] =
    /ENOSPC|EDQUOT|no space left/i.test(said) ? ['the disk is full', 'free some space or save it on another disk']
    : /EROFS|read-only file system/i.test(said) ? ['its file system is read-only', 'save it in a folder you can write to']
    : /EACCES|EPERM|NoPermissions|permission denied/i.test(said) ? ['Loupe may not write there', 'save it in a folder you can write to']
    : /EISDIR|FileIsADirectory/i.test(said) ? ['a folder has that name', 'choose another file name']
    : /ENOTDIR|ENOENT|FileNotFound|FileNotADirectory/i.test(said) ? ['its folder does not exist', 'choose an existing folder']
    : [message.trim().slice(0, 200) || 'an unknown error', 'try another folder'];
  return `Could not write ${path}: ${why}. Nothing was saved; ${todo}, then try again.`;
}
