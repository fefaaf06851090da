// Placeholder: the real benchmarks will replace this file.
console.log('no benchmarks yet');
