// Every loadable program (programs.ts), for what runs any script at once
// without waiting for modules: the CLI, the tests and the benchmarks.
import './nc.ts';
import './ss.ts';
