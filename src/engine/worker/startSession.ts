// Starts an engine session on a script as the worker does, and as the build
// does for the first run it ships (firstRun.ts): the programs the script names
// are loaded first (userspace/programs.ts); one it reaches unnamed is loaded
// when the run stops on it, and the script runs again from the start (a run is
// deterministic, so the second is the run the first would have been).
import { EngineSession, type ProgressReport } from '../session.ts';
import { loadPrograms, programsNamed, ProgramNotLoaded } from '../userspace/programs.ts';

export async function startSession(scenario: string, seed?: number, onProgress?: ProgressReport): Promise<EngineSession> {
  await loadPrograms(programsNamed(scenario));
  for (;;) {
    try {
      return new EngineSession(scenario, seed, onProgress);
    } catch (err) {
      if (!(err instanceof ProgramNotLoaded)) throw err;
      await loadPrograms([err.program]);
    }
  }
}
