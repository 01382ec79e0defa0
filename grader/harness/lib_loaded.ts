/**
 * Imported right after the test kit: takes the fingerprint of the globals as they should stay.
 *
 * @module
 */

import { libLoaded } from "./hub.ts";

libLoaded();
