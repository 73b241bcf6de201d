/** The resource limits every layer enforces against exhaustion, and the counted, rate-limited report of each hit. */
package io.vhba.emulator.limits;
