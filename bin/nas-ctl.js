#!/usr/bin/env node
// nas-ctl: the search controller's command line. Runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../controller/cli.ts');
