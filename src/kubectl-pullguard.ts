#!/usr/bin/env node
/**
 * The kubectl plugin entry: kubectl finds `kubectl-pullguard` on PATH and runs it for `kubectl pullguard …`
 * (https://kubernetes.io/docs/tasks/extend-kubectl/kubectl-plugins/). The same program as `pullguard`; main.ts
 * reads the name it was started as for its messages.
 */
import './main.js';
