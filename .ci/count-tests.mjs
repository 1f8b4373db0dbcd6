// Totals the test counts that Jest ("Tests: 2 failed, 40 passed, 42 total") and Vitest
// ("Tests  2 failed | 40 passed (42)") print, over every log given, and prints one line.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
const strip = (text) => text.replace(new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g'), '');
for (const file of process.argv.slice(2)) {
  for (const line of strip(readFileSync(file, 'utf8')).split('\n')) {
    if (!/^\s*Tests:?\s/.test(line)) continue;
    passed += Number(/(\d+) passed/.exec(line)?.[1] ?? 0);
    failed += Number(/(\d+) failed/.exec(line)?.[1] ?? 0);
  }
}
console.log(`${passed} passed, ${failed} failed`);
