// Runs the end-to-end suite (real VS Code via code-server, driven by Chromium). Filled in by the e2e harness.
console.log('e2e: no end-to-end tests yet');
