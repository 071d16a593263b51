#!/usr/bin/env node
// nas-trainer: the trainer server's command line (trainer/main.ts; bin/launch.js picks the build).
import { launch } from './launch.js';

await launch('trainer/main');
