// profile_top_functions: where a profile's samples go, as `go tool pprof -top` would say.

import { sampleTypeParam } from '../api/profileRoutes.ts';
import { topFunctions } from '../profiles/topFunctions.ts';
import { BothTiers } from '../disk/bothTiers.ts';
import { defineTool, ToolInputError } from './agentTool.ts';
import { isoTime, quote, Report } from './report.ts';

export const profileTopTool = defineTool({
  name: 'profile_top_functions',
  reference: 'loupeProfile',
  title: 'Top functions of a profile',
  description: 'The functions that take the most of a profile Loupe holds (CPU, memory…): self and total share with file:line. ' +
    'Without profileId, the newest profile; the answer also lists the other profiles with their ids.',
  input: (z) => ({
    profileId: z.string().optional().describe('Profile id (listed by this tool); the newest when left out'),
    sampleType: z.string().optional().describe('Sample type name (cpu, alloc_space…) or index; the profile\'s default when left out'),
    sort: z.enum(['self', 'total']).optional().describe('Order by own samples (default) or including callees'),
    limit: z.number().int().min(1).max(200).optional().describe('At most this many functions (default 25)'),
  }),
  async run(engine, args, budget) {
    const tiers = await BothTiers.read(engine);
    const summaries = tiers.profiles();
    const report = new Report(budget);
    if (!summaries.length) {
      report.line('Loupe holds no profile. Profiles arrive over OTLP, from "Loupe: Capture CPU Profile from URL…", or from files opened in VS Code.');
      return report.toString();
    }
    const id = args.profileId ?? summaries[summaries.length - 1].id;
    const profile = tiers.profile(id);
    if (!profile) throw new ToolInputError(`profileId: no profile "${id.slice(0, 40)}"; the newest ids are ${summaries.slice(-20).map((s) => s.id).join(', ')}`);
    const type = sampleTypeParam(profile, new URLSearchParams(args.sampleType ? { sampleType: args.sampleType } : {}));
    const s = profile.summary;
    const unit = s.sampleTypes[type];
    report.line(`Profile ${s.id} ${quote(s.name, 100)} (${s.format}, ${s.source}${s.service ? `, service ${quote(s.service, 60)}` : ''}, ${s.sampleCount} samples, ${isoTime(s.startTimeUnixNano)}${s.fromDisk ? ', read from disk' : ''}), sample type ${quote(unit.type, 40)} in ${quote(unit.unit, 40)}.`);
    const top = topFunctions(profile, type, args.limit ?? 25, args.sort ?? 'self');
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    report.section(`Functions by ${args.sort ?? 'self'} (self | total | function | where):`, top.map((f) =>
      `- ${pct(f.selfShare)} | ${pct(f.totalShare)} | ${quote(f.function, 120)}${f.file ? ` | ${quote(f.line ? `${f.file}:${f.line}` : f.file, 240)}` : ''}`), 'functions');
    report.section('Other profiles (id | name | format | started):', summaries.filter((p) => p.id !== id).reverse().map((p) =>
      `- ${p.id} | ${quote(p.name, 100)} | ${p.format} | ${isoTime(p.startTimeUnixNano)}`), 'profiles');
    return report.toString();
  },
});
