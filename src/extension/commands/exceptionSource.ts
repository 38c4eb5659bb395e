// Go to Source for an exception in the Errors tree: the first frame in the user's code
// of its stack trace, else the span's `code.*` attributes.

import type { ExceptionGroup } from '../../protocol/insights.ts';
import { spanSource } from '../../shared/source/location.ts';
import { exceptionSource } from '../../shared/source/stackTrace.ts';
import type { SourceLocation } from '../../protocol/webview.ts';
import { UserError, type LoupeContext } from '../context.ts';
import { openSource } from '../source/openSource.ts';

export function sourceOfException(group: ExceptionGroup): SourceLocation | undefined {
  return exceptionSource(group.latest.attributes) ?? spanSource(group.latest.spanAttributes);
}

export const openExceptionSource = (ctx: LoupeContext) => async (arg?: { group?: ExceptionGroup }) => {
  const group = arg?.group;
  if (!group) throw new UserError('Choose an exception in the Loupe Errors view to go to its source.');
  const loc = sourceOfException(group);
  if (!loc) throw new UserError(`The ${group.type || 'exception'} has no stack trace or code location to go to. Open its trace instead.`);
  await openSource(ctx, loc);
};
