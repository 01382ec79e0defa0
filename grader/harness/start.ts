/**
 * The first module of every harness entry: reads the secret and plan, connects the registry.
 *
 * @module
 */

import { start } from "./hub.ts";

start();
