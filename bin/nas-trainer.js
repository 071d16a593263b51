#!/usr/bin/env node
// nas-trainer: the trainer server's command line. Runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../trainer/main.ts');
