#!/usr/bin/env node
// nas-ctl: the search controller's command line (controller/cli.ts; bin/launch.js picks the build).
import { launch } from './launch.js';

await launch('controller/cli');
