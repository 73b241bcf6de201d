/** Assembles a running emulator from a configuration: kernel, platform, engine, devices, targets, portals. */
package io.vhba.emulator.runtime;
