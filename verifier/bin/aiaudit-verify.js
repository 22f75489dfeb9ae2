#!/usr/bin/env node
// aiaudit-verify: the command's entry point (the compiled verifier lives in dist/; build it with `npm run build -w @aiaudit/verifier`).
require('../dist/cli.js').main();
