// When the engine's disk tier stops writing (a full disk, a folder that became
// unwritable), the user is told once per engine and error, however often the status is
// read: on attach, on every live change and on a slow timer. Pure, so it is tested.

import type { DiskStatus, StatusResponse } from '../protocol/api.ts';

export interface DiskWarning {
  /** The notification's text: what happened, what Loupe does now, what to do. */
  message: string;
  /** The data folder, for the "Open Data Folder" action. */
  dir: string;
  /** A full disk (free space), rather than a folder that cannot be written (fix or change the folder). */
  full: boolean;
}

export class DiskAlerts {
  /** `instanceId` and error of each warning shown: a new engine (restarted) may warn again. */
  private readonly said = new Set<string>();

  /** The warning this status calls for, the first time it does; undefined after. */
  check(status: Pick<StatusResponse, 'instanceId' | 'disk'> | undefined): DiskWarning | undefined {
    const error = status?.disk?.error;
    if (!status || !error) return undefined;
    const key = `${status.instanceId}\n${error}`;
    if (this.said.has(key)) return undefined;
    this.said.add(key);
    return diskWarning(status.disk!);
  }
}

export function diskWarning(disk: DiskStatus): DiskWarning {
  const error = disk.error ?? 'writing to disk stopped';
  const full = /\bis full\b|ENOSPC|EDQUOT/.test(error);
  const sentence = error.charAt(0).toUpperCase() + error.slice(1);
  const meanwhile = 'Until then, new telemetry is kept in memory only (the oldest evicted past loupe.memoryBudgetMB) and is lost when the engine stops; what reached the disk before stays readable.';
  return { message: `Loupe: ${sentence.replace(/\s*$/, '')} ${meanwhile}`, dir: disk.dir, full };
}
