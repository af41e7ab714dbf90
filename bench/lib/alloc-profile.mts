// A diagnostic (`BENCH_ALLOC_PROFILE=1`): where the companion allocates, garbage included. V8's
// sampling heap profiler normally keeps only objects still alive; with the "collected by GC" flags it
// keeps every sampled allocation, which is what decides how far the heap grows between collections.
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

export async function startAllocationProfile(): Promise<() => Promise<Array<{ site: string; mb: number }>>> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async () => {
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
    session.disconnect();
    if (process.env.BENCH_ALLOC_PROFILE_FILE) {
      (await import('node:fs')).writeFileSync(process.env.BENCH_ALLOC_PROFILE_FILE, JSON.stringify(profile));
    }
    const bySite = new Map<string, number>();
    // Attribute each allocation to the nearest frame of our own code (or the package it happened in).
    const walk = (node: ProfileNode, ours: string) => {
      const cf = node.callFrame;
      const url = cf.url.replace('file:///work/main/', '');
      const own = url.startsWith('companion/src')
        ? `${cf.functionName || '(anonymous)'} ${url}:${cf.lineNumber + 1}`
        : ours;
      const site = own || url.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1') || cf.functionName;
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      for (const child of node.children) walk(child, own);
    };
    walk(profile.head, '');
    return [...bySite]
      .map(([site, bytes]) => ({ site, mb: Math.round(bytes / 2 ** 20) }))
      .sort((a, b) => b.mb - a.mb)
      .slice(0, 30);
  };
}
