// `--alert-rules FILE`: read and checked before the engine starts, so a typo stops it
// with a message that names the file and the field instead of running without alerts.

import { readFileSync } from 'node:fs';
import { AlertRuleError, parseAlertConfig } from './alertRules.ts';

export function readAlertRulesFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AlertRuleError(`--alert-rules ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new AlertRuleError(`--alert-rules ${path}: not JSON (${(err as Error).message})`);
  }
  try {
    parseAlertConfig(body);
  } catch (err) {
    if (err instanceof AlertRuleError) throw new AlertRuleError(`--alert-rules ${path}: ${err.message}`);
    throw err;
  }
  return body;
}
