// Loads every program before the tests run scripts (src/engine/userspace/programs.ts).
import '../../src/engine/userspace/all_programs.ts';
