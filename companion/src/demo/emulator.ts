// The embedded Salesforce org of `npm start` when no RELAY_SF_* is set: the emulator workspace
// (@relay/emulator) started in this process, seeded with the demo org. Loaded dynamically: a
// companion connected to a real org never needs it. In this checkout, when the emulator's dist/ is
// not built, its TypeScript source is loaded instead (npm start runs under tsx).
import { join } from 'node:path';

export interface EmbeddedEmulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

interface EmulatorModule {
  createEmulator(options: {
    port?: number;
    host?: string;
    seed?: 'demo' | 'empty';
    dataFile?: string;
  }): Promise<EmbeddedEmulator>;
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

async function loadEmulator(): Promise<EmulatorModule> {
  const attempts = ['@relay/emulator', new URL('../../../emulator/src/index.ts', import.meta.url).href];
  let last: unknown;
  for (const specifier of attempts) {
    try {
      const mod = (await import(specifier)) as Partial<EmulatorModule>;
      if (typeof mod.createEmulator === 'function') return mod as EmulatorModule;
      last = new Error(`${specifier} has no createEmulator export`);
    } catch (error) {
      if (!isModuleNotFound(error)) throw error;
      last = error;
    }
  }
  throw new Error(
    `the embedded Salesforce emulator (@relay/emulator) cannot be loaded: ${(last as Error)?.message ?? 'not found'}. ` +
      'Run `npm install` at the repository root (and `npm run build -w emulator`), or set RELAY_SF_* to use a real org.',
  );
}

export async function startEmbeddedEmulator(port: number, dataDir: string): Promise<EmbeddedEmulator> {
  const { createEmulator } = await loadEmulator();
  try {
    // The org is kept beside the companion's data, so the Tasks of events already synced survive
    // a restart together with the events.
    return await createEmulator({
      port,
      host: '127.0.0.1',
      seed: 'demo',
      dataFile: join(dataDir, 'emulator-org.json'),
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(
        `port ${port} for the embedded emulator is in use: set RELAY_EMULATOR_PORT to a free port (0 picks one)`,
      );
    }
    throw error;
  }
}
